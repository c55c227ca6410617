import type { Db } from '../context.js';
import { inTransaction } from '../transaction.js';
import { insertDjangoTokenUses } from '../../store/django-tokens-repo.js';
import type { BlacklistSource, RawBlacklisted } from './sources/blacklist-source.js';
import { type TokenImportCtx, TokenImportError } from './token-import-error.js';
import { readDateTime, readId } from './values.js';

/** What the run did with SimpleJWT's blacklist. */
export interface BlacklistSummary {
  source: string;
  read: number;
  /** Recorded as used by this run, so the refresh-token exchange refuses them. */
  recorded: number;
  /** Recorded already (an earlier run, or the token was exchanged since). */
  alreadyRecorded: number;
  /** Expired in Django: SimpleJWT refuses them anyway, so is the exchange. */
  expiredSkipped: number;
}

interface CheckedBlacklisted {
  jti: string;
  /** 0 when Django's outstanding token names no user (issued without one, or the user was deleted). */
  userId: number;
  expires: number;
}

// SimpleJWT's jti is uuid4().hex; an id with ':' could collide with Gatehouse's own records (`ended:7`).
const jtiShape = /^[A-Za-z0-9_-]{1,255}$/;

// As the cleanup job: an instance whose clock is up to a minute behind may still verify a just-expired token.
const clockSkewMs = 60_000;

function checkBlacklistedRow(raw: RawBlacklisted, position: number): CheckedBlacklisted | string {
  const where = `blacklisted token ${position}`;
  if ('outstanding' in raw) return `${where}: its outstanding token (pk ${JSON.stringify(raw.outstanding).slice(0, 40)}) is not in the file; dump the whole app: manage.py dumpdata token_blacklist`;
  if (!('jti' in raw) || raw.jti === null || raw.jti === '') return `${where}: no "jti"`;
  if (typeof raw.jti !== 'string' || !jtiShape.test(raw.jti)) return `${where}: "jti" is not a SimpleJWT jti (1 to 255 letters, digits, - or _)`;
  const expires = readDateTime(raw.expires_at);
  if (expires === null || expires === undefined) return `${where}: "expires_at" is not a date and time (${JSON.stringify(raw.expires_at ?? null).slice(0, 40)})`;
  if (Array.isArray(raw.user)) return `${where}: "user" is a natural key; dump without --natural-foreign, so it is the user's id`;
  const userId = raw.user === null || raw.user === undefined ? 0 : readId(raw.user);
  if (userId === undefined) return `${where}: "user" is not a user id (${JSON.stringify(raw.user)?.slice(0, 40)})`;
  return { jti: raw.jti, userId, expires };
}

/** Reads every entry once; throws the list of unreadable ones. */
export async function checkBlacklist(source: BlacklistSource, batchSize: number): Promise<void> {
  const problems: string[] = [];
  let position = 0;
  for await (const page of source.pages(batchSize)) {
    for (const raw of page) {
      const checked = checkBlacklistedRow(raw, ++position);
      if (typeof checked === 'string') problems.push(checked);
    }
  }
  if (problems.length) throw new TokenImportError(source.label, problems);
}

/** Thrown inside a batch's transaction to roll a dry run back, carrying what would have been recorded. */
class DryRunRollback extends Error {
  constructor(readonly recorded: number) {
    super('dry run');
  }
}

async function recordBatch(trx: Db, rows: CheckedBlacklisted[], now: number): Promise<number> {
  // As the exchange records a use: the jti, its owner, no session, and the token's exp (the cleanup job prunes it after).
  const claimed = await insertDjangoTokenUses(trx, rows.map((r) => ({ token_id: r.jti, user_id: r.userId, session_id: null, used_at: now, expires_at: r.expires })));
  return claimed.size;
}

/**
 * Records each live entry of SimpleJWT's blacklist (a token Django rotated or logged out) as a used jti, so
 * the exchange of old refresh tokens refuses it as "Token is blacklisted". One transaction per page of
 * `batchSize`; a re-run records nothing twice. Call `checkBlacklist` first; a row that became unreadable
 * since (a live database) stops the run here too, as an entry left out would be a token let back in.
 */
export async function importBlacklist(ctx: TokenImportCtx, source: BlacklistSource, batchSize: number, dryRun: boolean): Promise<BlacklistSummary> {
  const summary: BlacklistSummary = { source: source.label, read: 0, recorded: 0, alreadyRecorded: 0, expiredSkipped: 0 };
  for await (const page of source.pages(batchSize)) {
    const now = ctx.clock.now();
    const live = new Map<string, CheckedBlacklisted>();
    for (const raw of page) {
      const checked = checkBlacklistedRow(raw, ++summary.read);
      if (typeof checked === 'string') throw new TokenImportError(source.label, [checked]);
      if (checked.expires <= now - clockSkewMs) summary.expiredSkipped += 1;
      else live.set(checked.jti, checked);
    }
    let recorded: number;
    try {
      recorded = await inTransaction(ctx, async (trx) => {
        const n = await recordBatch(trx, [...live.values()], now);
        if (dryRun) throw new DryRunRollback(n);
        return n;
      });
    } catch (err) {
      if (!(err instanceof DryRunRollback)) throw err;
      recorded = err.recorded;
    }
    summary.recorded += recorded;
    summary.alreadyRecorded += live.size - recorded;
  }
  return summary;
}
