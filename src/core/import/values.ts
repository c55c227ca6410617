/**
 * Django column values as the three sources hand them over (SQLite text and 0/1, PostgreSQL
 * booleans and timestamp text, dumpdata JSON), read into Gatehouse's types. Each reader
 * returns undefined for a value it cannot read, so the caller can say which field was bad.
 */

/** A positive whole number (ids; bigint columns arrive as strings). */
export function readId(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

const truthy = new Set(['1', 't', 'true', 'y', 'yes']);
const falsy = new Set(['0', 'f', 'false', 'n', 'no']);

export function readFlag(value: unknown): 0 | 1 | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === 0 || value === 1) return value;
  if (typeof value === 'bigint') return value === 0n ? 0 : value === 1n ? 1 : undefined;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (truthy.has(v)) return 1;
    if (falsy.has(v)) return 0;
  }
  return undefined;
}

/** Text; null and absent read as ''. Anything else (numbers, objects) is not text. */
export function readText(value: unknown): string | undefined {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : undefined;
}

// Django writes "2024-11-18 11:59:14.730979" (SQLite, naive UTC), PostgreSQL "…+00", dumpdata "…T…Z".
const dateTimeShape = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Epoch milliseconds of a stored datetime; null for null. A time without a zone is UTC
 * (Django with USE_TZ keeps UTC). Undefined when unreadable.
 */
export function readDateTime(value: unknown): number | null | undefined {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = dateTimeShape.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  let at = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    at -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
  }
  return Number.isNaN(at) ? undefined : at;
}

/** A calendar date as YYYY-MM-DD; null for null or ''. */
export function readDate(value: unknown): string | null | undefined {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.getUTCDate() === Number(m[3]) && date.getUTCMonth() === Number(m[2]) - 1 ? m[0] : undefined;
}

/** NUL and other C0 controls: PostgreSQL text cannot hold NUL, and no name or address needs them. */
export function hasControlCharacters(value: string): boolean {
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value); // eslint-disable-line no-control-regex -- finding them is the point
}
