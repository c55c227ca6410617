import { AuthError } from '../errors.js';

export interface CursorPosition {
  key?: string | number;
  id: number;
}

/** An opaque page cursor bound to the listing (`scope`) that made it. */
export function encodeCursor(scope: string, position: CursorPosition): string {
  return Buffer.from(JSON.stringify({ s: scope, k: position.key, i: position.id }), 'utf8').toString('base64url');
}

/** Reads a cursor back; a forged, truncated or foreign cursor is a field error, never a 500. */
export function decodeCursor(cursor: string, scope: string): CursorPosition {
  const invalid = new AuthError('validation_failed', undefined, { cursor: ['Invalid cursor.'] });
  if (cursor.length > 600 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const p = parsed as { s?: unknown; k?: unknown; i?: unknown };
  if (!p || typeof p !== 'object' || p.s !== scope || typeof p.i !== 'number' || !Number.isSafeInteger(p.i)) throw invalid;
  if (p.k !== undefined && typeof p.k !== 'string' && typeof p.k !== 'number') throw invalid;
  return { key: p.k as string | number | undefined, id: p.i };
}

/** A LIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally (escape character `\`). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}
