import { errorCatalog } from '../../core/errors.js';
import type { Locale } from '../../core/locales.js';
import { translator } from '../../i18n/index.js';

/**
 * Every text the account page's scripts show (account.js builds them; passkeys.js and the /v1 API
 * send the rest), keyed by the English as in src/i18n. The page embeds their translation for its
 * language (`accountCatalogue`), and the script looks a text up there, English when absent.
 * `{{name}}` placeholders are filled by the script.
 */
export const accountMessages: readonly string[] = [
  // account.js
  'Something went wrong.',
  'Your session ended; sign in again.',
  'Signed in as {{name}}',
  'You are signed out.',
  'never',
  'Synced passkey',
  'Device-bound passkey',
  '{{kind}} · added {{added}} · last used {{used}}',
  'Rename',
  'Remove',
  'Name',
  'Save',
  'Cancel',
  'Your current password',
  'Remove passkey',
  'Passkey renamed.',
  'Passkey removed.',
  'Passkey “{{name}}” added.',
  'An authenticator app is set up for this account. Recovery codes left: {{n}}.',
  'No authenticator app is set up.',
  'The authenticator app settings are not available.',
  'QR code for your authenticator app',
  'The authenticator app is set up.',
  'New recovery codes issued; the old ones no longer work.',
  'The authenticator app was removed.',
  'Add a second factor (a passkey or an authenticator app) by {{date}}: after that, your password alone will no longer sign you in.',
  'This account needs a second factor since {{date}}, and its password alone no longer signs it in.',
  'This change needs a fresh second factor: sign out, then sign in again with your authenticator app or passkey, and make the change within a few minutes.',
  'Done — sign in again with your new factor.',
  // passkeys.js
  'The passkey prompt was dismissed or timed out.',
  'The passkey could not be used.',
  // What the /v1 routes the page calls answer: field messages and details, then every problem title.
  'Wrong password.',
  'Wrong code.',
  'This field is required.',
  'This field may not be blank.',
  'No such passkey',
  'The passkey could not be verified; start again',
  'The enrolment token is invalid or expired; log in again.',
  ...new Set(Object.values(errorCatalog).map((e) => e.title)),
];

/**
 * What passkey-step.js (the "Use a passkey" form of the console's and the OIDC second-factor pages)
 * shows: its own texts, passkeys.js's, and the problems its options URL answers.
 */
export const passkeyStepMessages: readonly string[] = [
  'This browser cannot use passkeys here. Use a code instead.',
  'The passkey step is not available. Go back and sign in again.',
  'The passkey could not be used.',
  'The passkey prompt was dismissed or timed out.',
  'This verification step has expired or was already used. Reload the page and sign in again.',
  'This sign-in has expired or was already finished. Go back to the application and start again.',
  'The form has expired or did not come from this page. Go back, reload the page and try again.',
  ...(['mfa_token_invalid', 'not_found', 'permission_denied', 'rate_limited'] as const).map((code) => errorCatalog[code].title),
];

/**
 * The passkey step's texts through a page's translator, as the JSON its form carries in
 * `data-i18n` (only the entries that differ from the English; the attribute is escaped by the page).
 */
export function passkeyStepCatalogue(t: (text: string) => string): string {
  return JSON.stringify(Object.fromEntries(passkeyStepMessages.map((key) => [key, t(key)] as const).filter(([key, text]) => text !== key)));
}

const catalogues = new Map<Locale, Readonly<Record<string, string>>>();

/**
 * The page's messages in `locale`: only those whose text differs from the English key, so the
 * English page embeds `{}` and the script shows its own words.
 */
export function accountCatalogue(locale: Locale): Readonly<Record<string, string>> {
  let catalogue = catalogues.get(locale);
  if (!catalogue) {
    const t = translator(locale);
    catalogue = Object.fromEntries(accountMessages.map((key) => [key, t(key)] as const).filter(([key, text]) => text !== key));
    catalogues.set(locale, catalogue);
  }
  return catalogue;
}

/** The catalogue as the text of a `<script type="application/json">` block: no `<`, `>` or `&` that could end it. */
export function catalogueJson(locale: Locale): string {
  return JSON.stringify(accountCatalogue(locale)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
