/*
 * The hosted account page (/account): sign in through the /v1 API, then manage passkeys and the
 * authenticator app. The tokens live in this script's memory only (never storage or cookies), so
 * reloading the page signs out. Passkey ceremonies go through passkeys.js (window.GatehousePasskeys).
 */
(function () {
  'use strict';
  var api = {
    login: '/v1/auth/login',
    refresh: '/v1/auth/refresh',
    logout: '/v1/auth/logout',
    mfaVerify: '/v1/auth/mfa/verify',
    me: '/v1/me',
    passkeys: '/v1/me/passkeys',
    mfa: '/v1/me/mfa',
    totpEnrol: '/v1/me/mfa/totp',
    totpConfirm: '/v1/me/mfa/totp/confirm',
    totpRemove: '/v1/me/mfa/totp',
    recoveryCodes: '/v1/me/mfa/recovery-codes',
  };
  // `enrolment`: past a "require a second factor" grace, the login's enrolment-only token and the password
  // just typed (POST /v1/me/mfa/totp wants it), kept here until a factor is added or the person starts over.
  var state = { access: null, refresh: null, user: null, mfaToken: null, factors: [], enrolment: null };
  var passkeys = window.GatehousePasskeys;

  function $(id) { return document.getElementById(id); }
  function show(id, on) { $(id).hidden = !on; }

  // The page's language: its texts come translated in the #i18n JSON block, keyed by the English.
  var lang = document.documentElement.lang || 'en';
  var catalogue = {};
  try { catalogue = JSON.parse($('i18n').textContent) || {}; } catch (e) { catalogue = {}; }
  function known(text) { return typeof text === 'string' && Object.prototype.hasOwnProperty.call(catalogue, text); }
  /** `text` in the page's language (English when there is no entry), `{{name}}` filled from `vars`. */
  function t(text, vars) {
    var out = known(text) ? catalogue[text] : text;
    return out.replace(/\{\{(\w+)\}\}/g, function (m, name) { return vars && vars[name] !== undefined ? String(vars[name]) : m; });
  }

  /** A moment in the page's language, in UTC with the zone named (the options of src/i18n formatDateTime). */
  function dateText(iso) {
    var at = new Date(iso);
    if (isNaN(at.getTime())) return String(iso);
    return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' }).format(at);
  }

  // The texts of the page as served (its text nodes, and the attributes people read), noted before the
  // script changes any: the same page served in another language has the same nodes in the same order,
  // so the page can take on the account's stored language after sign-in without reloading (which would
  // sign out: the tokens are in memory only).
  var readAttributes = ['placeholder', 'alt', 'aria-label', 'title'];
  function textsOf(doc) {
    var nodes = [];
    var walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    // <noscript> is text where scripts run and markup where they do not (DOMParser): skipped on both sides.
    for (var n = walker.nextNode(); n; n = walker.nextNode()) if (!n.parentNode.closest('noscript')) nodes.push(n);
    return { nodes: nodes, attributed: Array.prototype.slice.call(doc.body.querySelectorAll('[' + readAttributes.join('],[') + ']')) };
  }
  var servedTexts = textsOf(document);
  function sameShape(a, b) {
    if (a.nodes.length !== b.nodes.length || a.attributed.length !== b.attributed.length) return false;
    for (var i = 0; i < a.nodes.length; i++) if (a.nodes[i].parentNode.nodeName !== b.nodes[i].parentNode.nodeName) return false;
    for (var j = 0; j < a.attributed.length; j++) if (a.attributed[j].nodeName !== b.attributed[j].nodeName) return false;
    return true;
  }

  /**
   * Shows the page in `locale` (a stored users.locale) when it is not the page's language: the server
   * renders the page in it (GET /account?lang=), and its texts and script catalogue replace these.
   * Anything unexpected (a language not shipped, another page) leaves the page as it is.
   */
  function speak(locale) {
    if (typeof locale !== 'string' || locale === '' || locale === lang) return Promise.resolve();
    return fetch('/account?lang=' + encodeURIComponent(locale), { headers: { accept: 'text/html' }, credentials: 'same-origin' }).then(function (res) {
      return res.ok ? res.text() : '';
    }).then(function (markup) {
      var doc = new DOMParser().parseFromString(markup, 'text/html');
      var served = doc.documentElement.lang;
      var block = doc.getElementById('i18n');
      var texts = textsOf(doc);
      if (!served || served === lang || !block || !sameShape(servedTexts, texts)) return;
      var next = JSON.parse(block.textContent) || {};
      servedTexts.nodes.forEach(function (node, i) { node.nodeValue = texts.nodes[i].nodeValue; });
      servedTexts.attributed.forEach(function (el, i) {
        readAttributes.forEach(function (name) {
          var value = texts.attributed[i].getAttribute(name);
          if (value !== null) el.setAttribute(name, value);
        });
      });
      document.title = doc.title;
      document.documentElement.lang = lang = served;
      catalogue = next;
    }).catch(function () { /* the page keeps its language */ });
  }

  /** The account's stored language: on the session's user, else from GET /v1/me. */
  function storedLocale(user) {
    if (user && Object.prototype.hasOwnProperty.call(user, 'locale')) return Promise.resolve(user.locale);
    return call('GET', api.me).then(function (me) { return me && me.locale; }, function () { return null; });
  }

  function notice(text, kind) {
    var n = $('notice');
    n.textContent = text || '';
    n.className = 'notice' + (kind ? ' ' + kind : '');
    n.hidden = !text;
  }

  /** The most precise message of a failure that is in the page's language, else the most precise one. */
  function problemText(err) {
    var p = err && err.problem;
    // A sensitive change (adding or removing a passkey) wants a fresh second factor: the page's way is a new sign-in.
    if (p && p.code === 'step_up_required') return t('This change needs a fresh second factor: sign out, then sign in again with your authenticator app or passkey, and make the change within a few minutes.');
    if (p && p.code === 'mfa_enrolment_required' && typeof p.mfa_enrolment_required_by === 'string') {
      return t('This account needs a second factor since {{date}}, and its password alone no longer signs it in.', { date: dateText(p.mfa_enrolment_required_by) });
    }
    var candidates = [];
    if (p && p.errors) {
      var first = Object.keys(p.errors)[0];
      if (first && p.errors[first] && p.errors[first][0]) candidates.push(p.errors[first][0]);
    }
    if (p) candidates.push(p.detail, p.title);
    if (err) candidates.push(err.message);
    candidates = candidates.filter(function (c) { return typeof c === 'string' && c !== ''; });
    for (var i = 0; i < candidates.length; i++) if (known(candidates[i])) return t(candidates[i]);
    return candidates[0] || t('Something went wrong.');
  }

  /** `auth`: true for the session's access token, or a token string (the enrolment-only token). */
  function request(method, url, body, auth) {
    var headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    var bearer = typeof auth === 'string' ? auth : auth && state.access;
    if (bearer) headers.authorization = 'Bearer ' + bearer;
    return fetch(url, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' }).then(function (res) {
      return res.text().then(function (text) {
        var json;
        try { json = text ? JSON.parse(text) : undefined; } catch (e) { json = undefined; }
        return { status: res.status, ok: res.ok, json: json };
      });
    });
  }

  /** An authenticated call; an expired access token is refreshed once with the refresh token held in memory. */
  function call(method, url, body, retried) {
    return request(method, url, body, true).then(function (res) {
      if (res.status === 401 && !retried && state.refresh && res.json && res.json.code === 'token_expired') {
        return request('POST', api.refresh, { refresh_token: state.refresh }).then(function (r) {
          if (!r.ok) { signedOut(t('Your session ended; sign in again.')); throw failure(r); }
          state.access = r.json.access_token;
          state.refresh = r.json.refresh_token;
          return call(method, url, body, true);
        });
      }
      if (!res.ok) throw failure(res);
      return res.json;
    });
  }

  function failure(res) {
    var err = new Error((res.json && (res.json.detail || res.json.title)) || 'Request failed (' + res.status + ')');
    err.problem = res.json;
    return err;
  }

  function busy(form, on) {
    var buttons = (form.tagName ? form : document).querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = on;
  }

  function guarded(el, work) {
    busy(el, true);
    return Promise.resolve().then(work).catch(function (err) {
      notice(problemText(err), 'error');
    }).then(function () { busy(el, false); });
  }

  // ---- signing in ---------------------------------------------------------

  function signedIn(session) {
    state.access = session.access_token;
    state.refresh = session.refresh_token;
    state.user = session.user;
    state.mfaToken = null;
    $('password').value = '';
    $('code').value = '';
    // In the account's stored language from here on, when it has one that is not the page's.
    return storedLocale(session.user).then(speak).then(function () {
      notice('');
      show('step-sign-in', false);
      show('step-factor', false);
      show('step-account', true);
      show('sign-out', true);
      $('who').textContent = t('Signed in as {{name}}', { name: session.user.username || session.user.email });
      // Within the grace of a "require a second factor" setting: the login answer carries its end.
      if (typeof session.mfa_enrolment_required_by === 'string') {
        notice(t('Add a second factor (a passkey or an authenticator app) by {{date}}: after that, your password alone will no longer sign you in.', { date: dateText(session.mfa_enrolment_required_by) }), 'info');
      }
      return Promise.all([loadPasskeys(), loadMfa()]);
    });
  }

  function signedOut(message) {
    state.access = state.refresh = state.user = state.mfaToken = null;
    // Secrets and recovery codes shown once leave the page with the session.
    show('totp-enrol', false);
    showRecoveryCodes([]);
    leaveEnrolment();
    show('step-account', false);
    show('step-factor', false);
    show('sign-out', false);
    show('step-sign-in', true);
    notice(message || '', message ? 'info' : '');
  }

  function factorStep(body) {
    state.mfaToken = body.mfa_token;
    state.factors = body.factors || [];
    $('password').value = '';
    show('step-sign-in', false);
    show('step-factor', true);
    var codes = state.factors.indexOf('totp') >= 0 || state.factors.indexOf('recovery_code') >= 0;
    show('code-form', codes);
    show('factor-passkey', state.factors.indexOf('passkey') >= 0 && passkeys.supported());
    notice('');
    if (codes) $('code').focus();
  }

  $('password-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var form = e.target;
    var password = $('password').value;
    guarded(form, function () {
      return request('POST', api.login, { login: $('login').value, password: password }).then(function (res) {
        var body = res.json || {};
        if (body.mfa_token) return factorStep(body);
        if (body.code === 'mfa_enrolment_required' && typeof body.enrolment_token === 'string') return enrolStep(body, password);
        if (!res.ok) throw failure(res);
        return signedIn(body);
      });
    });
  });

  $('passkey-sign-in').addEventListener('click', function (e) {
    guarded(e.target.parentNode, function () { return passkeys.signIn().then(signedIn); });
  });

  $('code-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var code = $('code').value.trim();
    // Six digits (spaces allowed) are an app's code; anything else is tried as a recovery code.
    var app = /^[\d\s]{6,16}$/.test(code) || state.factors.indexOf('recovery_code') < 0;
    var body = app ? { mfa_token: state.mfaToken, code: code } : { mfa_token: state.mfaToken, recovery_code: code };
    guarded(e.target, function () {
      return request('POST', api.mfaVerify, body).then(function (res) {
        if (!res.ok) throw failure(res);
        return signedIn(res.json);
      });
    });
  });

  $('factor-passkey').addEventListener('click', function (e) {
    guarded(e.target.parentNode, function () { return passkeys.secondFactor(state.mfaToken).then(signedIn); });
  });

  $('factor-cancel').addEventListener('click', function () { signedOut(); });

  $('sign-out').addEventListener('click', function () {
    var done = function () { signedOut(t('You are signed out.')); };
    call('POST', api.logout).then(done, done);
  });

  // ---- passkeys -----------------------------------------------------------

  function when(iso) {
    return iso ? new Date(iso).toLocaleString(lang) : t('never');
  }

  function passkeyRow(p) {
    var li = document.createElement('li');
    li.className = 'item';
    li.dataset.id = p.id;
    var title = document.createElement('p');
    title.className = 'item-title';
    title.textContent = p.name;
    var meta = document.createElement('p');
    meta.className = 'muted small';
    meta.textContent = t('{{kind}} · added {{added}} · last used {{used}}', { kind: t(p.device_type === 'multiDevice' ? 'Synced passkey' : 'Device-bound passkey'), added: when(p.created_at), used: when(p.last_used_at) });
    var actions = document.createElement('div');
    actions.className = 'row';
    var rename = button(t('Rename'), 'link');
    var remove = button(t('Remove'), 'link danger');
    actions.appendChild(rename);
    actions.appendChild(remove);
    li.appendChild(title);
    li.appendChild(meta);
    li.appendChild(actions);

    rename.addEventListener('click', function () {
      var form = inlineForm(t('Name'), 'text', p.name, t('Save'), 'rename-' + p.id);
      li.appendChild(form.el);
      actions.hidden = true;
      form.input.focus();
      form.el.addEventListener('submit', function (e) {
        e.preventDefault();
        guarded(form.el, function () {
          return call('PATCH', api.passkeys + '/' + encodeURIComponent(p.id), { name: form.input.value }).then(function () {
            notice(t('Passkey renamed.'), 'ok');
            return loadPasskeys();
          });
        });
      });
      form.cancel.addEventListener('click', function () { li.removeChild(form.el); actions.hidden = false; });
    });

    remove.addEventListener('click', function () {
      var form = inlineForm(t('Your current password'), 'password', '', t('Remove passkey'), 'remove-' + p.id);
      li.appendChild(form.el);
      actions.hidden = true;
      form.input.focus();
      form.el.addEventListener('submit', function (e) {
        e.preventDefault();
        guarded(form.el, function () {
          return call('DELETE', api.passkeys + '/' + encodeURIComponent(p.id), { current_password: form.input.value }).then(function () {
            notice(t('Passkey removed.'), 'ok');
            return Promise.all([loadPasskeys(), loadMfa()]);
          });
        });
      });
      form.cancel.addEventListener('click', function () { li.removeChild(form.el); actions.hidden = false; });
    });
    return li;
  }

  function button(text, cls) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = cls;
    b.textContent = text;
    return b;
  }

  function inlineForm(labelText, type, value, submitText, id) {
    var el = document.createElement('form');
    el.noValidate = true;
    el.className = 'inline';
    var label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = labelText;
    var input = document.createElement('input');
    input.id = id;
    input.type = type;
    input.value = value;
    input.maxLength = type === 'password' ? 4096 : 64;
    if (type === 'password') input.autocomplete = 'current-password';
    var submit = button(submitText, 'primary');
    submit.type = 'submit';
    var cancel = button(t('Cancel'), 'link');
    var row = document.createElement('div');
    row.className = 'row';
    row.appendChild(submit);
    row.appendChild(cancel);
    el.appendChild(label);
    el.appendChild(input);
    el.appendChild(row);
    return { el: el, input: input, cancel: cancel };
  }

  function loadPasskeys() {
    return call('GET', api.passkeys).then(function (list) {
      var ul = $('passkey-list');
      while (ul.firstChild) ul.removeChild(ul.firstChild);
      list.forEach(function (p) { ul.appendChild(passkeyRow(p)); });
      show('passkeys-empty', list.length === 0);
    });
  }

  $('add-passkey-form').addEventListener('submit', function (e) {
    e.preventDefault();
    guarded(e.target, function () {
      return passkeys.add(state.access, $('add-password').value, $('passkey-name').value.trim()).then(function (p) {
        $('add-password').value = '';
        $('passkey-name').value = '';
        notice(t('Passkey “{{name}}” added.', { name: p.name }), 'ok');
        return Promise.all([loadPasskeys(), loadMfa()]);
      });
    });
  });

  // ---- authenticator app (TOTP) -------------------------------------------

  function loadMfa() {
    return call('GET', api.mfa).then(function (mfa) {
      var on = Boolean(mfa && mfa.totp === true);
      var left = (mfa && mfa.recovery_codes_left) || 0;
      $('totp-status').textContent = on
        ? t('An authenticator app is set up for this account. Recovery codes left: {{n}}.', { n: left })
        : t('No authenticator app is set up.');
      show('totp-start-form', !on && $('totp-enrol').hidden);
      show('totp-manage', on);
    }, function () {
      $('totp-status').textContent = t('The authenticator app settings are not available.');
      show('totp-start-form', false);
      show('totp-manage', false);
    });
  }

  /** Recovery codes, shown once, in the list `listId` of the block `blockId` (hidden when there are none). */
  function showCodes(listId, blockId, codes) {
    var ul = $(listId);
    while (ul.firstChild) ul.removeChild(ul.firstChild);
    codes.forEach(function (c) { var li = document.createElement('li'); li.textContent = c; ul.appendChild(li); });
    show(blockId, codes.length > 0);
  }
  function showRecoveryCodes(codes) { showCodes('recovery-code-list', 'recovery-codes', codes); }

  /** A new app secret (POST /v1/me/mfa/totp's answer) as its QR code in `qrId` and its key in `secretId`; `enrol` null clears them. */
  function showTotpSecret(qrId, secretId, enrol) {
    var qr = $(qrId);
    while (qr.firstChild) qr.removeChild(qr.firstChild);
    var svg = enrol && (enrol.qr_svg || enrol.qr);
    if (svg) {
      // The SVG is the server's own rendering; parsed as an image so it can carry no script.
      var img = document.createElement('img');
      img.alt = t('QR code for your authenticator app');
      img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
      qr.appendChild(img);
    }
    $(secretId).textContent = (enrol && enrol.secret) || '';
  }

  $('totp-start-form').addEventListener('submit', function (e) {
    e.preventDefault();
    guarded(e.target, function () {
      return call('POST', api.totpEnrol, { current_password: $('totp-password').value }).then(function (enrol) {
        $('totp-password').value = '';
        showTotpSecret('totp-qr', 'totp-secret', enrol);
        show('totp-start-form', false);
        show('totp-enrol', true);
        $('totp-code').focus();
      });
    });
  });

  $('totp-confirm-form').addEventListener('submit', function (e) {
    e.preventDefault();
    guarded(e.target, function () {
      return call('POST', api.totpConfirm, { code: $('totp-code').value.trim() }).then(function (done) {
        $('totp-code').value = '';
        show('totp-enrol', false);
        showRecoveryCodes((done && done.recovery_codes) || []);
        notice(t('The authenticator app is set up.'), 'ok');
        return loadMfa();
      });
    });
  });

  $('recovery-codes-form').addEventListener('submit', function (e) {
    e.preventDefault();
    guarded(e.target, function () {
      return call('POST', api.recoveryCodes, { current_password: $('recovery-password').value }).then(function (done) {
        $('recovery-password').value = '';
        showRecoveryCodes((done && done.recovery_codes) || []);
        notice(t('New recovery codes issued; the old ones no longer work.'), 'ok');
        return loadMfa();
      });
    });
  });

  $('totp-remove-form').addEventListener('submit', function (e) {
    e.preventDefault();
    guarded(e.target, function () {
      return call('DELETE', api.totpRemove, { current_password: $('totp-remove-password').value, code: $('totp-remove-code').value.trim() }).then(function () {
        $('totp-remove-password').value = '';
        $('totp-remove-code').value = '';
        show('recovery-codes', false);
        notice(t('The authenticator app was removed.'), 'ok');
        return loadMfa();
      });
    });
  });

  // ---- enrolling a second factor (past a "require a second factor" grace) ---

  // The login was refused with an enrolment-only token: it may only add a factor (an app or a passkey)
  // and read what the account has. Once one is added the person signs in again with it.
  function enrolStep(body, password) {
    state.enrolment = { token: body.enrolment_token, password: password };
    $('password').value = '';
    leaveEnrolment(true);
    show('enrol-passkey-form', Boolean(passkeys && passkeys.supported()));
    show('step-sign-in', false);
    show('step-enrol', true);
    notice(problemText({ problem: body }), 'info');
    $('enrol-totp-start').focus();
  }

  /** Forgets the enrolment token, the kept password and any secret or codes shown; `keep` leaves the step's state as new. */
  function leaveEnrolment(keep) {
    if (!keep) state.enrolment = null;
    $('enrol-totp-code').value = '';
    $('enrol-passkey-name').value = '';
    showTotpSecret('enrol-totp-qr', 'enrol-totp-secret', null);
    showCodes('enrol-recovery-code-list', 'enrol-recovery-codes', []);
    show('enrol-choices', true);
    show('enrol-totp', false);
    show('enrol-done', false);
    show('enrol-cancel', true);
    if (!keep) show('step-enrol', false);
  }

  /** A call with the enrolment-only token. */
  function enrolCall(method, url, body) {
    if (!state.enrolment) return Promise.reject(new Error(t('Your session ended; sign in again.')));
    return request(method, url, body, state.enrolment.token).then(function (res) {
      if (!res.ok) throw failure(res);
      return res.json;
    });
  }

  /** A factor is added: the token and the password are dropped, and the person signs in again with the factor. */
  function enrolled() {
    state.enrolment = null;
    show('enrol-choices', false);
    show('enrol-totp', false);
    show('enrol-cancel', false);
    show('enrol-done', true);
    notice(t('Done — sign in again with your new factor.'), 'ok');
    $('enrol-sign-in').focus();
  }

  $('enrol-totp-start').addEventListener('click', function (e) {
    guarded(e.target.parentNode, function () {
      return enrolCall('POST', api.totpEnrol, { current_password: state.enrolment && state.enrolment.password }).then(function (enrol) {
        showTotpSecret('enrol-totp-qr', 'enrol-totp-secret', enrol);
        show('enrol-choices', false);
        show('enrol-totp', true);
        notice('');
        $('enrol-totp-code').focus();
      });
    });
  });

  $('enrol-totp-confirm-form').addEventListener('submit', function (e) {
    e.preventDefault();
    guarded(e.target, function () {
      return enrolCall('POST', api.totpConfirm, { code: $('enrol-totp-code').value.trim() }).then(function (done) {
        $('enrol-totp-code').value = '';
        showTotpSecret('enrol-totp-qr', 'enrol-totp-secret', null);
        showCodes('enrol-recovery-code-list', 'enrol-recovery-codes', (done && done.recovery_codes) || []);
        enrolled();
      });
    });
  });

  $('enrol-passkey-form').addEventListener('submit', function (e) {
    e.preventDefault();
    guarded(e.target, function () {
      if (!state.enrolment) return enrolCall();
      return passkeys.add(state.enrolment.token, state.enrolment.password, $('enrol-passkey-name').value.trim()).then(function () {
        $('enrol-passkey-name').value = '';
        enrolled();
      });
    });
  });

  $('enrol-sign-in').addEventListener('click', function () {
    signedOut(t('Done — sign in again with your new factor.'));
    $('login').focus();
  });

  $('enrol-cancel').addEventListener('click', function () { signedOut(); });

  // ---- start --------------------------------------------------------------

  show('passkey-sign-in-block', Boolean(passkeys && passkeys.supported()));
  signedOut();
})();
