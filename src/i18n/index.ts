import i18next, { type TFunction } from 'i18next';
import { locales, type Locale } from '../core/locales.js';
import { fr } from './fr.js';
import { frConsoleOperations } from './fr-console-operations.js';
import { frConsoleUsers } from './fr-console-users.js';

/**
 * Translation of hosted pages through i18next. Keys are the English text (gettext style), so
 * English needs no resource and a missing French entry shows English rather than a key.
 */
const i18n = i18next.createInstance();
void i18n.init({
  initAsync: false,
  resources: { fr: { translation: { ...fr, ...frConsoleUsers, ...frConsoleOperations } } },
  supportedLngs: [...locales],
  fallbackLng: 'en',
  keySeparator: false,
  nsSeparator: false,
  // Pages escape what they insert; i18next must not escape twice.
  interpolation: { escapeValue: false },
  returnEmptyString: false,
});

const fixed = new Map<Locale, TFunction>(locales.map((locale) => [locale, i18n.getFixedT(locale)]));

/** A page's translator: the English text is the key (`t('Choose a new password')`, `t('{{email}} is confirmed.', { email })`). */
export type Translate = (text: string, vars?: Record<string, string | number>) => string;

/** A translator for one language. */
export function translator(locale: Locale): Translate {
  const t = fixed.get(locale)!;
  return (text, vars) => String(t(text, vars ?? {}));
}

/**
 * A message made by core (an error title, a password-policy line) in `locale`. The few that carry a
 * number or a field name are matched to their template first, so they translate too.
 */
export function translateMessage(locale: Locale, message: string): string {
  const t = translator(locale);
  for (const { pattern, key, vars } of parameterized) {
    const m = pattern.exec(message);
    if (m) return t(key(m), vars ? vars(m, locale) : { n: m[1]!, field: t(m[1]!) });
  }
  return t(message);
}

/**
 * A moment as a page in `locale` writes it: day, month in words, year and time, in UTC, with the
 * zone named ("10 décembre 2026 à 18:26 UTC"). account.js formats with the same options.
 */
export function formatDateTime(locale: Locale, at: Date): string {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' }).format(at);
}

/** Core messages with a value inside: the value's pattern, the msgid it fills and (when not `n`/`field`) the values. */
const parameterized: { pattern: RegExp; key: (m: RegExpExecArray) => string; vars?: (m: RegExpExecArray, locale: Locale) => Record<string, string> }[] = [
  { pattern: /^This password is too short\. It must contain at least (\d+) characters?\.$/, key: (m) => `This password is too short. It must contain at least {{n}} character${m[1] === '1' ? '' : 's'}.` },
  { pattern: /^This password is too long\. It may contain at most (\d+) characters\.$/, key: () => 'This password is too long. It may contain at most {{n}} characters.' },
  { pattern: /^The password is too similar to the (.+)\.$/, key: () => 'The password is too similar to the {{field}}.' },
  // core/users/profile.ts and the admin password checks: a field's length limit.
  { pattern: /^Ensure this field has no more than (\d+) characters\.$/, key: () => 'Ensure this field has no more than {{n}} characters.' },
  // core/settings.ts coerceSetting, shown on the console's settings page
  { pattern: /^Expected a number from (-?\d+) to (-?\d+)\.$/, key: () => 'Expected a number from {{min}} to {{max}}.', vars: (m) => ({ min: m[1]!, max: m[2]! }) },
  { pattern: /^Expected one of: (.+)\.$/, key: () => 'Expected one of: {{values}}.', vars: (m) => ({ values: m[1]! }) },
  // core/mfa/password-login.ts, past the enrolment grace: the deadline (ISO 8601) written for the page's language.
  {
    pattern: /^This account must enrol a second factor \(required since (\d{4}-\d\d-\d\dT[\d:.]+Z)\)\. Sign in through an app that supports multi-factor authentication to enrol one\.$/,
    key: () => 'This account must enrol a second factor (required since {{date}}). Sign in through an app that supports multi-factor authentication to enrol one.',
    vars: (m, locale) => ({ date: formatDateTime(locale, new Date(m[1]!)) }),
  },
];
