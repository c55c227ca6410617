/*
 * The "Use a passkey" button of a second-factor page (the console's sign-in and the OIDC hosted
 * sign-in), run after the WebAuthn bundle and passkeys.js (window.GatehousePasskeys). The page
 * marks up one form:
 *   <form method="post" action="…" data-passkey-step
 *         data-options='…JSON…'            (request options embedded in the page), or
 *         data-options-url="…"              (POSTed the form's other fields, answers the options)
 *         data-response-field="response">   (the hidden input the assertion goes in)
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
  function show(message) {
    if (!error) return;
    error.textContent = message;
    error.hidden = false;
  }
  if (!passkeys || !passkeys.supported()) {
    show('This browser cannot use passkeys here. Use a code instead.');
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
        if (!res.ok) throw new Error((json && (json.detail || json.title)) || 'The passkey step is not available. Go back and sign in again.');
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
      show((err && err.message) || 'The passkey could not be used.');
    });
  });
})();
