import { recordAudit } from '../audit.js';
import type { Db } from '../context.js';
import { randomToken, tokenDigest } from '../secrets.js';
import { inTransaction } from '../transaction.js';
import { djangoTokensEndedAtOf, importedAuthtokenId, insertDjangoTokenUses } from '../../store/django-tokens-repo.js';
import { findTokenOwners, insertImportedApiTokens } from '../../store/import-repo.js';
import { openSession } from '../../store/sessions-repo.js';
import { openAuthTokenSource, type RawAuthToken } from './sources/authtoken-source.js';
import type { BlacklistSource } from './sources/blacklist-source.js';
import { checkBlacklist, importBlacklist, type BlacklistSummary } from './import-blacklist.js';
import { probeDjangoTokens, type RawRefreshToken } from './sources/refresh-token-source.js';
import type { SourceRow } from './sources/source.js';
import type { ImportProgress } from './import-users.js';
import { readDateTime, readId } from './values.js';
import { type TokenImportCtx, TokenImportError } from './token-import-error.js';

export { type TokenImportCtx, TokenImportError };


export interface TokenImportOptions {
  /** A dumpdata JSON file of authtoken.token and/or users.refreshtoken, the Django SQLite file, or its postgres:// URL. */
  from: string;
  batchSize?: number;
  /** Check every row and report, then roll everything back. */
  dryRun?: boolean;
  /**
   * Users the same run's user import did not import (Django pk → why): the id may belong to
   * another Gatehouse account, so their keys are skipped rather than linked to it.
   */
  usersNotImported?: ReadonlyMap<number, string>;
}

export interface TokenImportSummary {
  source: string;
  /** What the source held and this run read: `DRF keys`, `refresh tokens`, or both. */
  what: string;
  read: number;
  imported: number;
  /** Copied by an earlier run: left as they are (a key revoked since is never copied back). */
  alreadyImported: number;
  skipped: { row: string; reason: string }[];
  /** Credentials the source holds that are not copied. */
  notCopied: string[];
  /** SimpleJWT's blacklist, when the source holds token_blacklist's tables or objects (import-blacklist.ts). */
  blacklist?: BlacklistSummary;
  dryRun: boolean;
}

/** A DRF key read and checked. The key itself is never put in a message. */
interface CheckedToken {
  label: string;
  digest: string;
  prefix: string;
  userId: number;
  created: number;
}

/** Name of imported keys in the account's token list. */
export const importedTokenName = 'Django token (imported)';

// DRF's Token.key is a CharField(max_length=40), 40 hex digits by generate_key(); a key with a space could never be sent as `Token <key>`.
const keyShape = /^[\x21-\x7e]{1,40}$/;

function checkRow(raw: RawAuthToken, position: number): CheckedToken | string {
  const where = `token ${position}`;
  if (!('key' in raw) || raw.key === null || raw.key === '') return `${where}: no key (the object's "pk")`;
  if (typeof raw.key !== 'string' || !keyShape.test(raw.key)) return `${where}: the key is not a DRF key (1 to 40 visible ASCII characters)`;
  if (!('user' in raw) || raw.user === null) return `${where}: no "user" field`;
  if (Array.isArray(raw.user)) return `${where}: "user" is a natural key; dump without --natural-foreign, so it is the user's id`;
  const userId = readId(raw.user);
  if (userId === undefined) return `${where}: "user" is not a user id (${JSON.stringify(raw.user)?.slice(0, 40)})`;
  const label = `${where} (user ${userId})`;
  if (!('created' in raw) || raw.created === null || raw.created === '') return `${label}: no "created" field`;
  const created = readDateTime(raw.created);
  if (created === null || created === undefined) return `${label}: "created" is not a date and time (${JSON.stringify(raw.created)?.slice(0, 40)})`;
  return { label, digest: tokenDigest(raw.key), prefix: raw.key.slice(0, 7), userId, created };
}

/** A seed 004 refresh token read and checked. The token itself is never put in a message. */
interface CheckedRefresh {
  label: string;
  /** The digest the jwt-uuid-refresh profile's /api/refresh/ looks up (of the UUID as seed 004 sent it: lowercase, dashed). */
  digest: string;
  userId: number;
  created: number;
  expires: number;
}

/** Name of the imported sessions' user agent, in the account's session list. */
export const importedRefreshAgent = 'Django refresh token (imported)';

// A UUIDField: dashed in dumpdata and on PostgreSQL, 32 hex digits in Django's SQLite columns.
const uuidShape = /^([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})$/i;

function checkRefreshRow(raw: RawRefreshToken, position: number): CheckedRefresh | string {
  const where = `refresh token ${position}`;
  if (!('token' in raw) || raw.token === null || raw.token === '') return `${where}: no "token" field`;
  const m = typeof raw.token === 'string' ? uuidShape.exec(raw.token) : null;
  if (!m) return `${where}: "token" is not a UUID`;
  if (!('user' in raw) || raw.user === null) return `${where}: no "user" field`;
  if (Array.isArray(raw.user)) return `${where}: "user" is a natural key; dump without --natural-foreign, so it is the user's id`;
  const userId = readId(raw.user);
  if (userId === undefined) return `${where}: "user" is not a user id (${JSON.stringify(raw.user)?.slice(0, 40)})`;
  const label = `${where} (user ${userId})`;
  const created = readDateTime(raw.created_at);
  if (created === null || created === undefined) return `${label}: "created_at" is not a date and time (${JSON.stringify(raw.created_at ?? null).slice(0, 40)})`;
  const expires = readDateTime(raw.expires_at);
  if (expires === null || expires === undefined) return `${label}: "expires_at" is not a date and time (${JSON.stringify(raw.expires_at ?? null).slice(0, 40)})`;
  return { label, digest: tokenDigest(m.slice(1).join('-').toLowerCase()), userId, created, expires };
}

/** The record of a seed 004 refresh token that `import-django --tokens` copied (by its digest): a re-run never copies it again. */
const importedRefreshId = (digest: string) => `uuid-refresh:${digest}`;

/** Thrown inside a batch's transaction to roll a dry run back, carrying what would have happened. */
class DryRunRollback extends Error {
  constructor(readonly outcome: BatchOutcome) {
    super('dry run');
  }
}

interface BatchOutcome {
  imported: number;
  alreadyImported: number;
  skipped: { row: string; reason: string }[];
}

/** Links one batch of keys to their accounts in `trx`: the checks, the copy records, then the API-token rows. */
async function linkableRows<T extends { label: string; userId: number; created: number }>(trx: Db, tokens: T[], options: TokenImportOptions, outcome: BatchOutcome, what: string): Promise<T[]> {
  const ids = [...new Set(tokens.map((t) => t.userId))];
  const owners = await findTokenOwners(trx, ids);
  const ended = await djangoTokensEndedAtOf(trx, ids);
  const linkable: T[] = [];
  for (const t of tokens) {
    const skip = (reason: string) => outcome.skipped.push({ row: t.label, reason });
    const notImported = options.usersNotImported?.get(t.userId);
    const owner = owners.get(t.userId);
    if (notImported !== undefined) skip(`user ${t.userId} was not imported (${notImported})`);
    else if (!owner) skip(`no Gatehouse user ${t.userId}: import the users first (--from)`);
    else if (!owner.isActive) skip(`user ${t.userId} is inactive: Gatehouse ended its access, so its ${what} is not copied`);
    else if ((ended.get(t.userId) ?? -Infinity) > t.created) skip(`user ${t.userId}'s access ended in Gatehouse after this ${what} was made (a password reset or change, logout everywhere, deactivation)`);
    else linkable.push(t);
  }
  return linkable;
}

async function writeBatch(trx: Db, tokens: CheckedToken[], options: TokenImportOptions, now: number): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { imported: 0, alreadyImported: 0, skipped: [] };
  const linkable = await linkableRows(trx, tokens, options, outcome, 'key');
  // The copy record decides: a key copied by an earlier run is never copied again, even if revoked since.
  const claimed = await insertDjangoTokenUses(trx, linkable.map((t) => ({ token_id: importedAuthtokenId(t.digest), user_id: t.userId, session_id: null, used_at: now, expires_at: null })));
  const fresh = linkable.filter((t) => claimed.has(importedAuthtokenId(t.digest)));
  outcome.alreadyImported = linkable.length - fresh.length;
  // API-token rows, so `Token <key>` resolves as for Gatehouse's own keys and endAccess deletes them with the rest.
  await insertImportedApiTokens(trx, fresh.map((t) => ({
    id: randomToken(12), user_id: t.userId, name: importedTokenName, prefix: t.prefix, token_hash: t.digest, created_at: t.created, last_used_at: null, expires_at: null,
  })));
  outcome.imported = fresh.length;
  return outcome;
}

/**
 * Seed 004's refresh tokens into sessions of kind `uuid`, each with that token as its current refresh token, so the
 * jwt-uuid-refresh profile's /api/refresh/ rotates it once like a native one and logout, reset or end-access revoke it.
 * An expired token is skipped (seed 004 deletes a used or logged-out token's row, so every row left is otherwise live).
 */
async function writeRefreshBatch(ctx: TokenImportCtx, trx: Db, tokens: CheckedRefresh[], options: TokenImportOptions, now: number): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { imported: 0, alreadyImported: 0, skipped: [] };
  const unexpired: CheckedRefresh[] = [];
  for (const t of tokens) {
    if (t.expires > now) unexpired.push(t);
    else outcome.skipped.push({ row: t.label, reason: 'expired in Django' });
  }
  const linkable = (await linkableRows(trx, unexpired, options, outcome, 'refresh token')).map((t) => ({ ...t, sessionId: randomToken(16) }));
  const claimed = await insertDjangoTokenUses(trx, linkable.map((t) => ({ token_id: importedRefreshId(t.digest), user_id: t.userId, session_id: t.sessionId, used_at: now, expires_at: t.expires })));
  const fresh = linkable.filter((t) => claimed.has(importedRefreshId(t.digest)));
  outcome.alreadyImported = linkable.length - fresh.length;
  const sessionEnd = now + ctx.config.sessionMaxSeconds * 1000;
  for (const t of fresh) {
    // Opened at the import (its idle and absolute clocks start now); the session's start is the token's, its auth_time.
    await openSession(
      trx,
      { id: t.sessionId, user_id: t.userId, kind: 'uuid', created_at: t.created, last_used_at: now, expires_at: sessionEnd, ip: 'import', user_agent: importedRefreshAgent, revoked_at: null, revoke_reason: null, amr: null },
      { token_hash: t.digest, session_id: t.sessionId, created_at: t.created, expires_at: Math.min(t.expires, sessionEnd), rotated_at: null },
    );
  }
  outcome.imported = fresh.length;
  return outcome;
}

/** One kind of old credential: how its rows are checked and a batch of them written. */
interface TokenKind<T extends { label: string; digest: string }> {
  label: string;
  pages(size: number): AsyncIterable<SourceRow[]>;
  check(raw: SourceRow, position: number): T | string;
  write(trx: Db, rows: T[], now: number): Promise<BatchOutcome>;
  /** Names the row a repeated credential first appeared in. */
  same: string;
  /** What it is, for the report. */
  what: string;
}

/** Reads every row once; throws the list of unreadable ones (and repeated keys), or returns how many there are. */
async function checkAll<T extends { label: string; digest: string }>(kind: TokenKind<T>, batchSize: number): Promise<number> {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  let total = 0;
  for await (const page of kind.pages(batchSize)) {
    for (const raw of page) {
      const checked = kind.check(raw, ++total);
      if (typeof checked === 'string') {
        problems.push(checked);
        continue;
      }
      const first = seen.get(checked.digest);
      if (first !== undefined) problems.push(`${checked.label}: the same ${kind.same} ${first}`);
      else seen.set(checked.digest, total);
    }
  }
  if (problems.length) throw new TokenImportError(kind.label, problems);
  return total;
}

/** The kinds of credential `from` holds, opened; close each. */
async function openKinds(ctx: TokenImportCtx | undefined, from: string, options: TokenImportOptions | undefined): Promise<{ kinds: TokenKind<{ label: string; digest: string }>[]; blacklist: BlacklistSource | undefined; notCopied: string[]; close(): Promise<void> }> {
  const found = await probeDjangoTokens(from);
  const closers: (() => Promise<void>)[] = [];
  if (found.refresh) closers.push(() => found.refresh!.close());
  if (found.blacklist) closers.push(() => found.blacklist!.close());
  const close = async () => {
    for (const c of closers) await c();
  };
  try {
    const kinds: TokenKind<{ label: string; digest: string }>[] = [];
    let notCopied: string[] = [];
    if (found.authtoken) {
      const source = await openAuthTokenSource(from);
      closers.push(() => source.close());
      notCopied = source.notCopied;
      kinds.push({ label: source.label, pages: (n) => source.pages(n), check: checkRow, write: (trx, rows, now) => writeBatch(trx, rows as CheckedToken[], options!, now), same: 'key as token', what: 'DRF keys' } satisfies TokenKind<CheckedToken> as TokenKind<{ label: string; digest: string }>);
    }
    const refresh = found.refresh;
    if (refresh) {
      notCopied = notCopied.filter((n) => !n.startsWith("seed 004's"));
      kinds.push({ label: refresh.label, pages: (n) => refresh.pages(n), check: checkRefreshRow, write: (trx, rows, now) => writeRefreshBatch(ctx!, trx, rows as CheckedRefresh[], options!, now), same: 'token as refresh token', what: "seed 004's refresh tokens" } satisfies TokenKind<CheckedRefresh> as TokenKind<{ label: string; digest: string }>);
    }
    // The blacklist is read (its outstanding tokens need no copy: the old signing key verifies them).
    if (found.blacklist) notCopied = notCopied.filter((n) => !n.startsWith("SimpleJWT's"));
    return { kinds, blacklist: found.blacklist, notCopied, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Checks a token source without writing anything (the CLI does so before it imports users): throws what `importDjangoTokens` would. */
export async function checkDjangoTokens(from: string): Promise<void> {
  const opened = await openKinds(undefined, from, undefined);
  try {
    for (const kind of opened.kinds) await checkAll(kind, 500);
    if (opened.blacklist) await checkBlacklist(opened.blacklist, 500);
  } finally {
    await opened.close();
  }
}

/**
 * Copies DRF authtoken keys (seeds 000 and 003) into Gatehouse, stored as digests and linked to the
 * accounts the user import created with the same Django ids, seed 004's refresh tokens as sessions
 * of those accounts (writeRefreshBatch), and SimpleJWT's blacklist as used jtis (importBlacklist).
 * Every row is checked first: if any is unreadable (or a credential repeats) the import stops with
 * the list and writes nothing. Then batches of one
 * transaction each. Idempotent: a re-run copies only credentials no earlier run copied.
 */
export async function importDjangoTokens(ctx: TokenImportCtx, options: TokenImportOptions, onProgress?: (p: ImportProgress) => void): Promise<TokenImportSummary> {
  const opened = await openKinds(ctx, options.from, options);
  try {
    const batchSize = Math.max(1, Math.min(options.batchSize ?? 500, 5000));
    let total = 0;
    for (const kind of opened.kinds) total += await checkAll(kind, batchSize);
    if (opened.blacklist) await checkBlacklist(opened.blacklist, batchSize);
    const dryRun = options.dryRun ?? false;
    const label = opened.kinds.map((k) => k.label).join(' and ') || (opened.blacklist?.label ?? '');
    const summary: TokenImportSummary = { source: label, what: opened.kinds.map((k) => k.what).join(' and '), read: 0, imported: 0, alreadyImported: 0, skipped: [], notCopied: opened.notCopied, dryRun };
    onProgress?.({ done: 0, total });
    for (const kind of opened.kinds) {
      let position = 0;
      for await (const page of kind.pages(batchSize)) {
        const tokens: { label: string; digest: string }[] = [];
        for (const raw of page) {
          const checked = kind.check(raw, ++position);
          // A live Django database may have changed since the check pass.
          if (typeof checked === 'string') summary.skipped.push({ row: checked.slice(0, checked.indexOf(':')), reason: checked.slice(checked.indexOf(':') + 2) });
          else tokens.push(checked);
        }
        summary.read += page.length;
        const now = ctx.clock.now();
        let outcome: BatchOutcome;
        try {
          outcome = await inTransaction(ctx, async (trx) => {
            const result = await kind.write(trx, tokens, now);
            if (dryRun) throw new DryRunRollback(result);
            return result;
          });
        } catch (err) {
          if (!(err instanceof DryRunRollback)) throw err;
          outcome = err.outcome;
        }
        summary.imported += outcome.imported;
        summary.alreadyImported += outcome.alreadyImported;
        summary.skipped.push(...outcome.skipped);
        onProgress?.({ done: summary.read, total: Math.max(total, summary.read) });
      }
    }
    if (opened.blacklist) summary.blacklist = await importBlacklist(ctx, opened.blacklist, batchSize, dryRun);
    if (!dryRun) {
      await recordAudit(ctx.db, {
        kind: 'admin.tokens_imported', at: ctx.clock.now(), ip: 'cli', userAgent: 'gatehouse import-django',
        detail: { source: label, imported: summary.imported, already_imported: summary.alreadyImported, skipped: summary.skipped.length, ...(summary.blacklist && { blacklist_recorded: summary.blacklist.recorded }) },
      });
    }
    return summary;
  } finally {
    await opened.close();
  }
}

/** The Django ids a user import's report skipped (its rows are labelled `id 7 (alice)` by prepareRow). */
export function skippedUserIds(skipped: { row: string; reason: string }[]): Map<number, string> {
  const ids = new Map<number, string>();
  for (const s of skipped) {
    const m = /^id (\d+)(?: |$)/.exec(s.row);
    if (m) ids.set(Number(m[1]), s.reason);
  }
  return ids;
}
