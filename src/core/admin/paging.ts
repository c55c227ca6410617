import { AuthError } from '../errors.js';
import { isStorableText } from '../users/normalize.js';

/** What a listing orders by besides the id: a text value, a non-negative integer (a time, an id), or nothing. */
export type CursorKey = 'text' | 'integer' | 'none';

interface KeyOf {
  text: string;
  integer: number;
  none: undefined;
}

export interface CursorPosition<K extends CursorKey = CursorKey> {
  key: KeyOf[K];
  id: number;
}

/** Longest cursor accepted, as sent (the query schemas allow the same). */
export const maxCursorLength = 600;
/** Longest text sort key (an email address is at most 254 characters). */
const maxTextKey = 320;

const invalidCursor = () => new AuthError('validation_failed', undefined, { cursor: ['Invalid cursor.'] });

/** An opaque page cursor bound to the listing (`scope`) that made it. */
export function encodeCursor(scope: string, position: { key?: string | number; id: number }): string {
  return Buffer.from(JSON.stringify({ s: scope, k: position.key, i: position.id }), 'utf8').toString('base64url');
}

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;

function isKey(v: unknown, kind: CursorKey): boolean {
  switch (kind) {
    case 'text':
      return typeof v === 'string' && v.length <= maxTextKey && isStorableText(v);
    case 'integer':
      return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
    case 'none':
      return v === undefined;
  }
}

/**
 * Reads a cursor back for the listing `scope` ordered by a `kind` key. Anything but a cursor
 * this listing made (forged, truncated, foreign, wrong types, NUL or broken Unicode in the key)
 * is a field error on `cursor`, so nothing unchecked ever reaches a query.
 */
export function decodeCursor<K extends CursorKey>(cursor: string, scope: string, kind: K): CursorPosition<K> {
  if (cursor.length === 0 || cursor.length > maxCursorLength || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidCursor();
  const p = parsed as Record<string, unknown>;
  if (Object.keys(p).some((k) => k !== 's' && k !== 'k' && k !== 'i')) throw invalidCursor();
  if (p.s !== scope || !isId(p.i) || !isKey(p.k, kind)) throw invalidCursor();
  return { key: p.k as KeyOf[K], id: p.i };
}

/** A page size within 1..max; a missing or unusable one is the default. */
export function pageSize(limit: number | undefined, max: number, fallback = 50): number {
  return limit === undefined || !Number.isFinite(limit) ? fallback : Math.min(Math.max(Math.trunc(limit), 1), max);
}

/** Free text a listing filters by (a search): storable text or a field error, never a query on NUL or broken Unicode. */
export function listText(value: string | undefined, field: string): string | undefined {
  if (value !== undefined && !isStorableText(value)) throw new AuthError('validation_failed', undefined, { [field]: ['Control characters and invalid Unicode are not allowed.'] });
  return value;
}

/** A LIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally (escape character `\`). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}

export { countCap, countUpTo, type BoundedCount } from '../../store/bounded-count.js';
