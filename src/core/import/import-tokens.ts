import { recordAudit } from '../audit.js';
import type { Core } from '../core.js';
import type { Db } from '../context.js';
import { randomToken, tokenDigest } from '../secrets.js';
import { inTransaction } from '../transaction.js';
import { djangoTokensEndedAtOf, importedAuthtokenId, insertDjangoTokenUses } from '../../store/django-tokens-repo.js';
import { findTokenOwners, insertImportedApiTokens } from '../../store/import-repo.js';
import { openAuthTokenSource, type AuthTokenSource, type RawAuthToken } from './sources/authtoken-source.js';
import type { ImportProgress } from './import-users.js';
import { readDateTime, readId } from './values.js';

/** What a token import needs: the store, a clock, and a log for after-commit effects. */
export type TokenImportCtx = Pick<Core, 'db' | 'log' | 'clock'>;

export interface TokenImportOptions {
  /** A dumpdata JSON file of authtoken.token, the Django SQLite file, or its postgres:// URL. */
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
  read: number;
  imported: number;
  /** Copied by an earlier run: left as they are (a key revoked since is never copied back). */
  alreadyImported: number;
  skipped: { row: string; reason: string }[];
  /** Credentials the source holds that are not copied. */
  notCopied: string[];
  dryRun: boolean;
}

/** The file or table has rows that cannot be read as DRF keys; nothing was written. */
export class TokenImportError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    const shown = problems.slice(0, 20);
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
    super(`--tokens: ${source} has ${problems.length} unreadable row${problems.length === 1 ? '' : 's'}; nothing was imported:\n${shown.map((p) => `  ${p}`).join('\n')}${more}`);
    this.name = 'TokenImportError';
  }
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
async function writeBatch(trx: Db, tokens: CheckedToken[], options: TokenImportOptions, now: number): Promise<BatchOutcome> {
  const ids = [...new Set(tokens.map((t) => t.userId))];
  const owners = await findTokenOwners(trx, ids);
  const ended = await djangoTokensEndedAtOf(trx, ids);
  const outcome: BatchOutcome = { imported: 0, alreadyImported: 0, skipped: [] };
  const linkable: CheckedToken[] = [];
  for (const t of tokens) {
    const skip = (reason: string) => outcome.skipped.push({ row: t.label, reason });
    const notImported = options.usersNotImported?.get(t.userId);
    const owner = owners.get(t.userId);
    if (notImported !== undefined) skip(`user ${t.userId} was not imported (${notImported})`);
    else if (!owner) skip(`no Gatehouse user ${t.userId}: import the users first (--from)`);
    else if (!owner.isActive) skip(`user ${t.userId} is inactive: Gatehouse ended its access, so its key is not copied`);
    else if ((ended.get(t.userId) ?? -Infinity) > t.created) skip(`user ${t.userId}'s access ended in Gatehouse after this key was made (a password reset or change, logout everywhere, deactivation)`);
    else linkable.push(t);
  }
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

/** Reads every row once; throws the list of unreadable ones (and repeated keys), or returns how many there are. */
async function checkAll(source: AuthTokenSource, batchSize: number): Promise<number> {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  let total = 0;
  for await (const page of source.pages(batchSize)) {
    for (const raw of page) {
      const checked = checkRow(raw, ++total);
      if (typeof checked === 'string') {
        problems.push(checked);
        continue;
      }
      const first = seen.get(checked.digest);
      if (first !== undefined) problems.push(`${checked.label}: the same key as token ${first}`);
      else seen.set(checked.digest, total);
    }
  }
  if (problems.length) throw new TokenImportError(source.label, problems);
  return total;
}

/** Checks a token source without writing anything (the CLI does so before it imports users): throws what `importDjangoTokens` would. */
export async function checkDjangoTokens(from: string): Promise<void> {
  const source = await openAuthTokenSource(from);
  try {
    await checkAll(source, 500);
  } finally {
    await source.close();
  }
}

/**
 * Copies DRF authtoken keys (seeds 000 and 003) into Gatehouse, stored as digests and linked to the
 * accounts the user import created with the same Django ids. Every row is checked first: if any is
 * unreadable (or a key repeats) the import stops with the list and writes nothing. Then batches of
 * one transaction each. Idempotent: a re-run copies only keys no earlier run copied.
 */
export async function importDjangoTokens(ctx: TokenImportCtx, options: TokenImportOptions, onProgress?: (p: ImportProgress) => void): Promise<TokenImportSummary> {
  const source = await openAuthTokenSource(options.from);
  try {
    const batchSize = Math.max(1, Math.min(options.batchSize ?? 500, 5000));
    const total = await checkAll(source, batchSize);
    const dryRun = options.dryRun ?? false;
    const summary: TokenImportSummary = { source: source.label, read: 0, imported: 0, alreadyImported: 0, skipped: [], notCopied: source.notCopied, dryRun };
    onProgress?.({ done: 0, total });
    for await (const page of source.pages(batchSize)) {
      const tokens: CheckedToken[] = [];
      for (const [i, raw] of page.entries()) {
        const checked = checkRow(raw, summary.read + i + 1);
        // A live Django database may have changed since the check pass.
        if (typeof checked === 'string') summary.skipped.push({ row: checked.slice(0, checked.indexOf(':')), reason: checked.slice(checked.indexOf(':') + 2) });
        else tokens.push(checked);
      }
      summary.read += page.length;
      const now = ctx.clock.now();
      let outcome: BatchOutcome;
      try {
        outcome = await inTransaction(ctx, async (trx) => {
          const result = await writeBatch(trx, tokens, options, now);
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
    if (!dryRun) {
      await recordAudit(ctx.db, {
        kind: 'admin.tokens_imported', at: ctx.clock.now(), ip: 'cli', userAgent: 'gatehouse import-django',
        detail: { source: source.label, imported: summary.imported, already_imported: summary.alreadyImported, skipped: summary.skipped.length },
      });
    }
    return summary;
  } finally {
    await source.close();
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
