/*
 * Gatehouse passkey ceremonies over the /v1 JSON API, for pages served by Gatehouse (the hosted
 * account page, the OIDC sign-in pages). Load /account/assets/simplewebauthn-browser.js first.
 * Everything is same-origin; nothing is fetched from elsewhere.
 *
 *   GatehousePasskeys.supported()                        → boolean
 *   GatehousePasskeys.signIn()                           → session JSON of POST /v1/auth/passkey
 *   GatehousePasskeys.secondFactor(mfaToken)             → session JSON of POST /v1/auth/mfa/passkey
 *   GatehousePasskeys.add(accessToken, password, name)   → the new passkey
 *   GatehousePasskeys.assert(optionsJSON)                → AuthenticationResponseJSON (the browser ceremony only)
 *   GatehousePasskeys.create(optionsJSON)                → RegistrationResponseJSON (the browser ceremony only)
 *   GatehousePasskeys.post(url, body, accessToken?)      → JSON, the helper the calls above use
 *
 * Pages with their own endpoints (the OIDC sign-in step) fetch options from the /v1 routes, run
 * `assert`, and post the response where they need it.
 *
 * A refused call rejects with an Error whose `problem` is the server's problem JSON (or undefined)
 * and whose `cancelled` is true when the person dismissed the browser's prompt.
 */
(function () {
  'use strict';
  var lib = window.SimpleWebAuthnBrowser;

  function fail(message, problem, cancelled) {
    var err = new Error(message);
    err.problem = problem;
    err.cancelled = Boolean(cancelled);
    return err;
  }

  function post(url, body, accessToken) {
    var headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (accessToken) headers.authorization = 'Bearer ' + accessToken;
    return fetch(url, { method: 'POST', headers: headers, body: JSON.stringify(body || {}), credentials: 'same-origin' }).then(function (res) {
      return res.text().then(function (text) {
        var json;
        try { json = text ? JSON.parse(text) : undefined; } catch (e) { json = undefined; }
        if (!res.ok) throw fail((json && (json.detail || json.title)) || 'Request failed (' + res.status + ')', json, false);
        return json;
      });
    });
  }

  function ceremony(run) {
    return run().catch(function (err) {
      if (err && err.problem !== undefined) throw err;
      var cancelled = err && (err.name === 'NotAllowedError' || err.name === 'AbortError');
      throw fail(cancelled ? 'The passkey prompt was dismissed or timed out.' : (err && err.message) || 'The passkey could not be used.', undefined, cancelled);
    });
  }

  window.GatehousePasskeys = {
    post: post,
    assert: function (options) {
      return ceremony(function () { return lib.startAuthentication({ optionsJSON: options }); });
    },
    create: function (options) {
      return ceremony(function () { return lib.startRegistration({ optionsJSON: options }); });
    },
    supported: function () {
      return Boolean(lib && lib.browserSupportsWebAuthn());
    },
    /** Passwordless sign-in with a discoverable passkey. */
    signIn: function () {
      return post('/v1/auth/passkey/options').then(function (options) {
        return ceremony(function () { return lib.startAuthentication({ optionsJSON: options }); });
      }).then(function (response) {
        return post('/v1/auth/passkey', { response: response });
      });
    },
    /** The second step of a password login answered with an mfa_token. */
    secondFactor: function (mfaToken) {
      return post('/v1/auth/mfa/passkey/options', { mfa_token: mfaToken }).then(function (options) {
        return ceremony(function () { return lib.startAuthentication({ optionsJSON: options }); });
      }).then(function (response) {
        return post('/v1/auth/mfa/passkey', { mfa_token: mfaToken, response: response });
      });
    },
    /** Registers a new passkey for the signed-in account (needs its current password). */
    add: function (accessToken, currentPassword, name) {
      return post('/v1/me/passkeys/options', { current_password: currentPassword }, accessToken).then(function (options) {
        return ceremony(function () { return lib.startRegistration({ optionsJSON: options }); });
      }).then(function (response) {
        var body = { response: response };
        if (name) body.name = name;
        return post('/v1/me/passkeys', body, accessToken);
      });
    },
  };
})();
