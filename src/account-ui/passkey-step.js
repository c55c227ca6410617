/*
 * The "Use a passkey" button of a second-factor page (the console's sign-in and the OIDC hosted
 * sign-in), run after the WebAuthn bundle and passkeys.js (window.GatehousePasskeys). The page
 * marks up one form:
 *   <form method="post" action="…" data-passkey-step
 *         data-options='…JSON…'            (request options embedded in the page), or
 *         data-options-url="…"              (POSTed the form's other fields, answers the options)
 *         data-response-field="response"    (the hidden input the assertion goes in)
 *         data-i18n='…JSON…'>              (optional: its texts in the page's language, keyed by the English)
 *     <div data-passkey-block hidden><button type="button" data-passkey-button>Use a passkey</button></div>
 *     <p data-passkey-error hidden></p>
 *   </form>
 * The assertion is posted as an ordinary form, so what follows (a redirect) is the same as for a
 * typed code.
 */
(function () {
  'use strict';
  var form = document.querySelector('form[data-passkey-step]');
  var passkeys = window.GatehousePasskeys;
  if (!form) return;
  var block = form.querySelector('[data-passkey-block]');
  var button = form.querySelector('[data-passkey-button]');
  var error = form.querySelector('[data-passkey-error]');
  var field = form.elements[form.getAttribute('data-response-field') || 'response'];
  var catalogue = {};
  try { catalogue = JSON.parse(form.getAttribute('data-i18n') || '{}') || {}; } catch (e) { catalogue = {}; }
  function known(text) { return typeof text === 'string' && Object.prototype.hasOwnProperty.call(catalogue, text); }
  /** `text` in the page's language, English when the catalogue has no entry. */
  function t(text) { return known(text) ? catalogue[text] : text; }
  /** A refusal's most precise words in the page's language (its detail, else its title), else its most precise, else ours. */
  function problemText(json) {
    var candidates = [json && json.detail, json && json.title].filter(function (c) { return typeof c === 'string' && c !== ''; });
    for (var i = 0; i < candidates.length; i++) if (known(candidates[i])) return t(candidates[i]);
    return candidates[0] || t('The passkey step is not available. Go back and sign in again.');
  }
  function show(message) {
    if (!error) return;
    error.textContent = message;
    error.hidden = false;
  }
  if (!passkeys || !passkeys.supported()) {
    show(t('This browser cannot use passkeys here. Use a code instead.'));
    return;
  }
  if (block) block.hidden = false;
  function options() {
    var embedded = form.getAttribute('data-options');
    if (embedded) return Promise.resolve(JSON.parse(embedded));
    var fields = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (input) {
      if (input.name && input !== field) fields.append(input.name, input.value);
    });
    return fetch(form.getAttribute('data-options-url'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: fields.toString(),
      credentials: 'same-origin'
    }).then(function (res) {
      return res.json().catch(function () { return undefined; }).then(function (json) {
        if (!res.ok) throw new Error(problemText(json));
        return json;
      });
    });
  }
  button.addEventListener('click', function () {
    button.disabled = true;
    if (error) error.hidden = true;
    options().then(passkeys.assert).then(function (response) {
      field.value = JSON.stringify(response);
      form.submit();
    }).catch(function (err) {
      button.disabled = false;
      show(t((err && err.message) || 'The passkey could not be used.'));
    });
  });
})();
