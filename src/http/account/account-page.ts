import type { Locale } from '../../core/locales.js';
import { translator, type Translate } from '../../i18n/index.js';
import { html, raw } from '../admin/console/html.js';
import { accountAssetUrl, passkeyScriptUrls } from './account-assets.js';
import { catalogueJson } from './account-messages.js';

/**
 * The account page's markup in `locale`: every step is here, hidden until the script (account.js)
 * shows it. Without JavaScript the page says so; nothing is inline, so the CSP allows no inline
 * code. The texts the script shows come translated in the `#i18n` JSON block (a data block, not code).
 */
export function accountPage(productName: string, locale: Locale): string {
  const scripts = [...passkeyScriptUrls(), accountAssetUrl('account.js')];
  const t = translator(locale);
  return `<!doctype html>${html`<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('Your account')} · ${productName}</title>
<link rel="stylesheet" href="${accountAssetUrl('account.css')}">
<script type="application/json" id="i18n">${raw(catalogueJson(locale))}</script>
${scripts.map((src) => html`<script src="${src}" defer></script>`)}
</head>
<body>
<main class="wrap">
<header class="top"><p class="brand">${productName}</p><button type="button" class="link" id="sign-out" hidden>${t('Sign out')}</button></header>
<noscript><p class="notice error">${t('This page needs JavaScript.')}</p></noscript>
<p class="notice" id="notice" role="status" aria-live="polite" hidden></p>

<section id="step-sign-in" class="card" hidden aria-labelledby="sign-in-title">
  <h1 id="sign-in-title">${t('Sign in')}</h1>
  <form id="password-form" novalidate>
    <label for="login">${t('Username or email')}</label>
    <input id="login" name="login" autocomplete="username webauthn" required maxlength="254">
    <label for="password">${t('Password')}</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="4096">
    <button type="submit" class="primary">${t('Sign in')}</button>
  </form>
  <div class="or" id="passkey-sign-in-block" hidden><span>${t('or')}</span><button type="button" id="passkey-sign-in" class="secondary">${t('Sign in with a passkey')}</button></div>
</section>

<section id="step-factor" class="card" hidden aria-labelledby="factor-title">
  <h1 id="factor-title">${t('One more step')}</h1>
  <p>${t('Confirm it is you with another factor.')}</p>
  <form id="code-form" novalidate hidden>
    <label for="code">${t('Code from your authenticator app, or a recovery code')}</label>
    <input id="code" name="code" autocomplete="one-time-code" inputmode="text" required maxlength="64">
    <button type="submit" class="primary">${t('Verify')}</button>
  </form>
  <button type="button" id="factor-passkey" class="secondary" hidden>${t('Use a passkey')}</button>
  <button type="button" class="link" id="factor-cancel">${t('Start over')}</button>
</section>

<section id="step-enrol" class="card" hidden aria-labelledby="enrol-title">
  <h1 id="enrol-title">${t('Add a second factor')}</h1>
  <p>${t('Add an authenticator app or a passkey to this account, then sign in again with it.')}</p>
  <div id="enrol-choices">
    <h2>${t('Authenticator app')}</h2>
    <button type="button" id="enrol-totp-start" class="secondary">${t('Set up an authenticator app')}</button>
    <form id="enrol-passkey-form" novalidate hidden>
      <h2>${t('Passkeys')}</h2>
      <label for="enrol-passkey-name">${t('Passkey name')}</label>
      <input id="enrol-passkey-name" name="name" maxlength="64">
      <button type="submit" class="secondary">${t('Add a passkey')}</button>
    </form>
  </div>
  ${totpSetup(t, 'enrol-', 'enrol-totp')}
  <div id="enrol-done" hidden>
    ${recoveryCodes(t, 'enrol-')}
    <button type="button" id="enrol-sign-in" class="primary">${t('Sign in again')}</button>
  </div>
  <button type="button" class="link" id="enrol-cancel">${t('Start over')}</button>
</section>

<section id="step-account" hidden aria-labelledby="account-title">
  <h1 id="account-title">${t('Your account')}</h1>
  <p id="who" class="muted"></p>

  <div class="card" aria-labelledby="passkeys-title">
    <h2 id="passkeys-title">${t('Passkeys')}</h2>
    <p class="muted">${t('Sign in with your fingerprint, face or screen lock instead of a password, or use a passkey as a second factor.')}</p>
    <ul id="passkey-list" class="list"></ul>
    <p id="passkeys-empty" class="muted" hidden>${t('No passkeys yet.')}</p>
    <form id="add-passkey-form" novalidate>
      <h3>${t('Add a passkey')}</h3>
      <label for="passkey-name">${t('Passkey name')}</label>
      <input id="passkey-name" name="name" maxlength="64" placeholder="${t('e.g. Work laptop')}">
      <label for="add-password">${t('Your current password')}</label>
      <input id="add-password" name="current_password" type="password" autocomplete="current-password" required maxlength="4096">
      <button type="submit" class="primary">${t('Add a passkey')}</button>
    </form>
  </div>

  <div class="card" aria-labelledby="totp-title">
    <h2 id="totp-title">${t('Authenticator app')}</h2>
    <p id="totp-status" class="muted"></p>
    <form id="totp-start-form" novalidate hidden>
      <label for="totp-password">${t('Your current password')}</label>
      <input id="totp-password" name="current_password" type="password" autocomplete="current-password" required maxlength="4096">
      <button type="submit" class="secondary">${t('Set up an authenticator app')}</button>
    </form>
    ${totpSetup(t, '', 'totp-enrol')}
    ${recoveryCodes(t, '')}
    <div id="totp-manage" hidden>
      <form id="recovery-codes-form" novalidate>
        <h3>${t('New recovery codes')}</h3>
        <p class="muted small">${t('Replaces every code you have now.')}</p>
        <label for="recovery-password">${t('Your current password')}</label>
        <input id="recovery-password" name="current_password" type="password" autocomplete="current-password" required maxlength="4096">
        <button type="submit" class="secondary">${t('Get new recovery codes')}</button>
      </form>
      <form id="totp-remove-form" novalidate>
        <h3>${t('Remove the authenticator app')}</h3>
        <label for="totp-remove-password">${t('Your current password')}</label>
        <input id="totp-remove-password" name="current_password" type="password" autocomplete="current-password" required maxlength="4096">
        <label for="totp-remove-code">${t('Code from the app')}</label>
        <input id="totp-remove-code" name="code" autocomplete="one-time-code" inputmode="numeric" required maxlength="10">
        <button type="submit" class="secondary danger">${t('Remove the authenticator app')}</button>
      </form>
    </div>
  </div>
</section>
</main>
</body>
</html>`.value}`;
}

/** A new authenticator app's QR code, key and confirm form (the account card's and the enrolment step's); `p` prefixes the ids. */
function totpSetup(t: Translate, p: string, id: string) {
  return html`<div id="${id}" hidden>
    <p>${t('Scan this code with your authenticator app, then enter the code it shows.')}</p>
    <div id="${p}totp-qr" class="qr"></div>
    <p class="muted small">${t('Or enter this key:')} <code id="${p}totp-secret"></code></p>
    <form id="${p}totp-confirm-form" novalidate>
      <label for="${p}totp-code">${t('Code from the app')}</label>
      <input id="${p}totp-code" name="code" autocomplete="one-time-code" inputmode="numeric" required maxlength="10">
      <button type="submit" class="primary">${t('Confirm')}</button>
    </form>
  </div>`;
}

/** The recovery codes shown once after an app is confirmed; `p` prefixes the ids. */
function recoveryCodes(t: Translate, p: string) {
  return html`<div id="${p}recovery-codes" hidden>
      <p><strong>${t('Recovery codes')}</strong> — ${t('each works once if you lose your device. Keep them somewhere safe; they are not shown again.')}</p>
      <ul id="${p}recovery-code-list" class="codes"></ul>
    </div>`;
}
