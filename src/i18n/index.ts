import i18next, { type TFunction } from 'i18next';
import { locales, type Locale } from '../core/locales.js';
import { fr } from './fr.js';

/**
 * Translation of hosted pages through i18next. Keys are the English text (gettext style), so
 * English needs no resource and a missing French entry shows English rather than a key.
 */
const i18n = i18next.createInstance();
void i18n.init({
  initAsync: false,
  resources: { fr: { translation: fr } },
  supportedLngs: [...locales],
  fallbackLng: 'en',
  keySeparator: false,
  nsSeparator: false,
  // Pages escape what they insert; i18next must not escape twice.
  interpolation: { escapeValue: false },
  returnEmptyString: false,
});

const fixed = new Map<Locale, TFunction>(locales.map((locale) => [locale, i18n.getFixedT(locale)]));

/** A translator for one language: `t('Choose a new password')`, `t('{{email}} is confirmed.', { email })`. */
export function translator(locale: Locale): (text: string, vars?: Record<string, string | number>) => string {
  const t = fixed.get(locale)!;
  return (text, vars) => String(t(text, vars ?? {}));
}

/**
 * A message made by core (an error title, a password-policy line) in `locale`. The few that carry a
 * number or a field name are matched to their template first, so they translate too.
 */
export function translateMessage(locale: Locale, message: string): string {
  const t = translator(locale);
  for (const { pattern, key } of parameterized) {
    const m = pattern.exec(message);
    if (m) return t(key(m), { n: m[1]!, field: t(m[1]!) });
  }
  return t(message);
}

/** Core messages with a value inside: the value's pattern and the msgid it fills. */
const parameterized: { pattern: RegExp; key: (m: RegExpExecArray) => string }[] = [
  { pattern: /^This password is too short\. It must contain at least (\d+) characters?\.$/, key: (m) => `This password is too short. It must contain at least {{n}} character${m[1] === '1' ? '' : 's'}.` },
  { pattern: /^This password is too long\. It may contain at most (\d+) characters\.$/, key: () => 'This password is too long. It may contain at most {{n}} characters.' },
  { pattern: /^The password is too similar to the (.+)\.$/, key: () => 'The password is too similar to the {{field}}.' },
];
