import { parseDuration } from '../duration.js';
import type { Locale } from './locales.js';

/** Units shown and read, largest first; `names` is what a page in each language writes (one, many). */
const units = [
  { seconds: 86400, names: { en: ['day', 'days'], fr: ['jour', 'jours'] }, words: ['d', 'day', 'days', 'j', 'jour', 'jours'] },
  { seconds: 3600, names: { en: ['h', 'h'], fr: ['h', 'h'] }, words: ['h', 'hr', 'hrs', 'hour', 'hours', 'heure', 'heures'] },
  { seconds: 60, names: { en: ['min', 'min'], fr: ['min', 'min'] }, words: ['m', 'min', 'mins', 'minute', 'minutes'] },
  { seconds: 1, names: { en: ['s', 's'], fr: ['s', 's'] }, words: ['s', 'sec', 'secs', 'second', 'seconds', 'seconde', 'secondes'] },
] as const;
const weekWords = ['w', 'week', 'weeks', 'semaine', 'semaines'];

export interface DurationStyle {
  /** At most this many units, rounded down (2). */
  parts?: number;
  /** Every unit, for a value that will be read back (a form field). */
  exact?: boolean;
  /** The language of the unit names ('en'). */
  locale?: Locale;
}

/**
 * Seconds for a reader: "90 s" → "1 min 30 s", "5 min", "1 h 30 min", "30 days" ("30 jours" in
 * French). At most `parts` units, rounded down ("1 day 2 h", not "1 day 2 h 3 min 4 s"); `exact`
 * shows every unit, for a value that will be read back (a form field).
 */
export function formatDuration(totalSeconds: number, { parts = 2, exact = false, locale = 'en' }: DurationStyle = {}): string {
  let rest = Math.max(0, Math.floor(totalSeconds));
  if (rest === 0) return '0 s';
  const out: string[] = [];
  for (const unit of units) {
    const n = Math.floor(rest / unit.seconds);
    if (n > 0) {
      out.push(`${n} ${unit.names[locale][n === 1 ? 0 : 1]}`);
      rest -= n * unit.seconds;
    } else if (out.length && !exact) break; // "1 day 5 s" for 1 day 0 h 0 min 5 s would read oddly when rounding
    if (!exact && out.length === parts) break;
  }
  return out.join(' ');
}

/** A point in the past as "5 min ago" ("il y a 5 min"); "just now" ("à l’instant") under a second. */
export function formatAge(ms: number, { locale = 'en' }: { locale?: Locale } = {}): string {
  if (locale === 'fr') return ms < 1000 ? 'à l’instant' : `il y a ${formatDuration(ms / 1000, { locale })}`;
  return ms < 1000 ? 'just now' : `${formatDuration(ms / 1000)} ago`;
}

// English and French words alike: a value a French form wrote ("30 jours") reads back on any page.
const unitByWord = new Map<string, number>([
  ...units.flatMap((u) => u.words.map((w) => [w, u.seconds] as [string, number])),
  ...weekWords.map((w) => [w, 7 * 86400] as [string, number]),
]);
// One "<number> <unit>" term; sticky, so a loop reads terms left to right in linear time.
const term = /\s*(\d{1,9})\s*([a-z]*)\s*(?:,|(?:and|et)\b)?/y;

/**
 * Reads what `formatDuration` writes, in either language, and what people type: "90", "90s",
 * "15 min", "1 h 30 min", "1h30m", "30d", "2 weeks", "30 jours", "2 semaines". A bare number is
 * seconds. Undefined when malformed.
 */
export function parseHumanDuration(raw: string): number | undefined {
  if (raw.length > 60) return undefined;
  const compact = parseDuration(raw); // "300", "5m", "30d": the form configuration accepts
  if (compact !== undefined) return compact;
  const text = raw.trim().toLowerCase();
  if (!text) return undefined;
  let total = 0;
  term.lastIndex = 0;
  while (term.lastIndex < text.length) {
    const at = term.lastIndex;
    const m = term.exec(text);
    if (!m || term.lastIndex === at) return undefined;
    const unit = unitByWord.get(m[2]!);
    if (unit === undefined) return undefined; // a bare number only stands alone (handled above)
    total += Number(m[1]) * unit;
  }
  return Number.isSafeInteger(total) ? total : undefined;
}
