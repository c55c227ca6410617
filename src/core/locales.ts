/** The languages Gatehouse ships complete: mails and hosted pages in each (src/i18n, src/mail/templates). */
export const locales = ['en', 'fr'] as const;

export type Locale = (typeof locales)[number];

/**
 * The shipped language a tag names: exact, or by its primary subtag (`fr-CA` → `fr`), case-insensitive.
 * Anything else (an unknown language, a non-string) is undefined.
 */
export function localeOf(value: unknown): Locale | undefined {
  if (typeof value !== 'string' || value.length > 35) return undefined;
  const primary = value.trim().toLowerCase().split(/[-_]/)[0];
  return (locales as readonly string[]).includes(primary ?? '') ? (primary as Locale) : undefined;
}

/**
 * The language of a mail to an account: its stored one (set at sign-up from the client's
 * Accept-Language). Never the language of the request that caused the mail: that may be an
 * operator's, or anyone's who typed the address into "forgot password".
 */
export function mailLocale(user: { locale: string | null }): string | null {
  return user.locale;
}
