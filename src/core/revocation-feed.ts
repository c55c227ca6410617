import type { Core } from './core.js';
import { AuthError } from './errors.js';
import { maxCursorLength, pageSize } from './admin/paging.js';
import { settingDefs } from './settings.js';
import { revokedSessionsAfter, type RevokedSessionRow } from '../store/revocation-feed-repo.js';

/**
 * The revocation feed for resource servers: revoked sessions, in (revoked_at, sid) order, each with
 * `not_after`, the time after which no access token of that session can be valid.
 */
export interface FeedEntry {
  sid: string;
  revoked_at: number;
  not_after: number;
  /** The position just past this entry: the page cursor, and the stream's event id. */
  cursor: string;
}

export interface FeedPosition {
  at: number;
  id: string;
}

/** No access token outlives its issue by more than the longest lifetime the setting allows, nor its session. */
export const longestAccessMs = settingDefs.access_token_ttl.max * 1000;
export const feedPageMax = 1000;
const feedPageDefault = 500;
const scope = 'revocations';
/** Before every entry. */
export const feedStart: FeedPosition = { at: 0, id: '' };

export function encodeFeedCursor(p: FeedPosition): string {
  return Buffer.from(JSON.stringify({ s: scope, k: p.at, i: p.id }), 'utf8').toString('base64url');
}

const invalidCursor = (field: string) => new AuthError('validation_failed', undefined, { [field]: ['Invalid cursor.'] });

/** A cursor this feed made, or a field error on `field` (`cursor`, or `Last-Event-ID` for the stream). */
export function decodeFeedCursor(cursor: string, field = 'cursor'): FeedPosition {
  if (cursor.length === 0 || cursor.length > maxCursorLength || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor(field);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor(field);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidCursor(field);
  const p = parsed as Record<string, unknown>;
  if (Object.keys(p).some((k) => k !== 's' && k !== 'k' && k !== 'i')) throw invalidCursor(field);
  if (p.s !== scope || typeof p.k !== 'number' || !Number.isSafeInteger(p.k) || p.k < 0) throw invalidCursor(field);
  // Session ids are base64url; the start position has none.
  if (typeof p.i !== 'string' || !/^[A-Za-z0-9_-]{0,64}$/.test(p.i)) throw invalidCursor(field);
  return { at: p.k, id: p.i };
}

export function feedEntry(row: RevokedSessionRow): FeedEntry {
  return { sid: row.id, revoked_at: row.revoked_at, not_after: Math.min(row.expires_at, row.revoked_at + longestAccessMs), cursor: encodeFeedCursor({ at: row.revoked_at, id: row.id }) };
}

export interface FeedPage {
  revocations: FeedEntry[];
  /** Past the last entry returned (or the position asked for, when there was none): ask again with it for what follows. */
  cursor: string;
  has_more: boolean;
}

/**
 * A revocation is stamped before its transaction commits, and instances' clocks differ a little: one
 * may become visible with a time just before entries already read. So the cursor of the last page
 * stops this far behind the present, and the next poll reads those entries again (a follower adds a
 * sid to a set: a repeat costs nothing, a miss would leave a token valid).
 */
export const settleMs = 5_000;

/** Where a stream resumes from an event id: `settleMs` earlier, for the same reason as the pages' cursor. */
export function resumeFrom(p: FeedPosition): FeedPosition {
  return { at: Math.max(0, p.at - settleMs), id: '' };
}


/** One page of live entries after `from`; entries whose tokens have all expired are gone. */
export async function revocationPage(core: Core, from: FeedPosition, limit?: number): Promise<FeedPage> {
  const size = pageSize(limit, feedPageMax, feedPageDefault);
  const now = core.clock.now();
  const rows = await revokedSessionsAfter(core.db, from, now - longestAccessMs, now, size + 1);
  const entries = rows.slice(0, size).map(feedEntry);
  const has_more = rows.length > size;
  const last = entries.at(-1);
  // A full page hands over its exact end (the next page follows at once); the last page, which read
  // everything there is, the settled present, even when that is before `from`: it re-reads the last
  // few seconds rather than skip what commits late behind them.
  const cursor = has_more && last ? { at: last.revoked_at, id: last.sid } : { at: Math.max(0, now - settleMs), id: '' };
  return { revocations: entries, cursor: encodeFeedCursor(cursor), has_more };
}
