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
  ...new Set(Object.values(errorCatalog).map((e) => e.title)),
];

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
