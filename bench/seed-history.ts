/**
 * A database with a history, for the `history` scenario (bench/history.ts): audit events,
 * sessions with their refresh tokens, sent mail and one-time codes, each table filled by one
 * INSERT … SELECT generated inside the database (generate_series on PostgreSQL, a recursive CTE
 * on SQLite), as bench/database.ts seeds users.
 *
 * Distributions, from the row number n (deterministic, so runs compare):
 * - owners: n spread over every user by a multiplicative hash, so every user (the measured one
 *   too) has about the same history: ~10 audit events, 2 sessions, 1 mail, 1 code at full size;
 * - time: rows are written in time order (ids grow with time, as in production), spread evenly
 *   over their span: audit events over 730 days (with audit_retention_days 365 half are
 *   prunable), sessions over 90 days (30-day lifetime: two thirds expired, half of those past
 *   the 7-day cleanup retention), mail over 60 days (half past the 30-day mail retention),
 *   codes over 30 days (1-hour lifetime, half consumed);
 * - every 10th session revoked when last used, so the newest ones are in the revocation set.
 * Seeded ids and token digests carry a `seed-` prefix no real token hashes to.
 */
import { sql, type RawBuilder } from 'kysely';
import { openStore } from '../src/store/db.js';
import type { BenchDatabase } from './database.js';

export interface HistorySize {
  users: number;
  auditEvents: number;
  sessions: number;
  outbox: number;
  codes: number;
}

export const fullHistory: HistorySize = { users: 1_000_000, auditEvents: 10_000_000, sessions: 2_000_000, outbox: 1_000_000, codes: 1_000_000 };

export function scaledHistory(scale: number): HistorySize {
  const s = (n: number) => Math.max(1000, Math.round(n * scale));
  return { users: s(fullHistory.users), auditEvents: s(fullHistory.auditEvents), sessions: s(fullHistory.sessions), outbox: s(fullHistory.outbox), codes: s(fullHistory.codes) };
}

const day = 86_400_000;
/** Retention settings the seeded spans are chosen against (written by bench/history.ts). */
export const historySettings = { audit_retention_days: 365, outbox_retention_days: 30 };

/** Rows 1..count as `n`, generated inside the database, then `select`ed into `insert`. */
function rows(backend: BenchDatabase['backend'], count: number, insert: RawBuilder<unknown>, select: RawBuilder<unknown>): RawBuilder<unknown> {
  return backend === 'sqlite'
    ? sql`WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${count}) ${insert} ${select} FROM seq`
    : sql`${insert} ${select} FROM generate_series(1::bigint, ${count}::bigint) AS n`;
}

/** Owner of row n: one of users 1..users, spread by a multiplicative hash. */
const owner = (users: number) => sql.raw(`(1 + ((n * 2654435761) % ${users}))`);
/** Row n of count, spread evenly over the `spanMs` before `now` (oldest first). */
const atText = (now: number, spanMs: number, count: number) => `(${now - spanMs} + (n * ${spanMs}) / ${count})`;
const at = (now: number, spanMs: number, count: number) => sql.raw(atText(now, spanMs, count));

/** Seeds every history table; returns seconds per table. Users must already exist (1..size.users). */
export async function seedHistory(db: BenchDatabase, size: HistorySize, now: number, log: (line: string) => void): Promise<Record<string, number>> {
  const store = openStore(db.url);
  const seconds: Record<string, number> = {};
  const sqlite = db.backend === 'sqlite';
  const u = owner(size.users);
  const step = async (name: string, statement: RawBuilder<unknown>) => {
    const t = performance.now();
    await statement.execute(store.db);
    seconds[name] = (performance.now() - t) / 1000;
    log(`    seeded ${name} in ${seconds[name]!.toFixed(1)} s`);
  };
  try {
    // A large page cache for this connection only, so index inserts do not thrash (the server's own settings are untouched).
    if (sqlite) await sql`PRAGMA cache_size = -2000000`.execute(store.db);
    const auditAt = at(now, 730 * day, size.auditEvents);
    await step(
      `audit_events (${size.auditEvents})`,
      rows(
        db.backend,
        size.auditEvents,
        sql`INSERT INTO audit_events (at, kind, user_id, actor_id, ip, user_agent, detail)`,
        sql`SELECT ${auditAt},
          CASE n % 20 WHEN 0 THEN 'logout' WHEN 1 THEN 'login.failed' WHEN 2 THEN 'login.failed' WHEN 3 THEN 'password.reset_requested'
            WHEN 4 THEN 'password.changed' WHEN 5 THEN 'profile.updated' WHEN 6 THEN 'session.revoked' ELSE 'login.succeeded' END,
          CASE WHEN n % 40 = 1 THEN NULL ELSE ${u} END, NULL,
          '10.' || (n % 250) || '.' || ((n / 250) % 250) || '.' || (n % 199),
          CASE n % 3 WHEN 0 THEN 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' WHEN 1 THEN 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) Safari/605.1' ELSE 'okhttp/4.12.0' END,
          CASE WHEN n % 20 IN (1, 2) THEN '{"reason":"bad_password"}' ELSE '{}' END`,
      ),
    );
    const created = at(now, 90 * day, size.sessions);
    // Last used up to 6 days after creation, never in the future.
    const lastUsed = sql.raw(`${sqlite ? 'min' : 'least'}(${now}, ${atText(now, 90 * day, size.sessions)} + (n % 7) * ${day})`);
    // Session n belongs to user ((n - 1) % users) + 1, so every user has the same number of sessions.
    await step(
      `sessions (${size.sessions})`,
      rows(
        db.backend,
        size.sessions,
        sql`INSERT INTO sessions (id, user_id, kind, created_at, last_used_at, expires_at, ip, user_agent, revoked_at, revoke_reason)`,
        sql`SELECT 'seed-s-' || n, 1 + ((n - 1) % ${size.users}), 'jwt', ${created}, ${lastUsed}, ${created} + ${30 * day},
          '10.' || (n % 250) || '.' || ((n / 250) % 250) || '.1', 'okhttp/4.12.0',
          CASE WHEN n % 10 = 0 THEN ${lastUsed} END, CASE WHEN n % 10 = 0 THEN 'logout' END`,
      ),
    );
    await step(
      `refresh_tokens (${size.sessions})`,
      rows(
        db.backend,
        size.sessions,
        sql`INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at, rotated_at)`,
        sql`SELECT 'seed-r-' || n, 'seed-s-' || n, ${lastUsed}, ${created} + ${30 * day}, NULL`,
      ),
    );
    const mailAt = at(now, 60 * day, size.outbox);
    await step(
      `outbox (${size.outbox})`,
      rows(
        db.backend,
        size.outbox,
        sql`INSERT INTO outbox (kind, to_addr, subject, text_body, html_body, status, attempts, next_attempt_at, claimed_until, claimed_by, last_error, created_at, sent_at)`,
        sql`SELECT CASE n % 3 WHEN 0 THEN 'password_reset' WHEN 1 THEN 'email_verification' ELSE 'email_change_notice' END,
          'bench_' || ${u} || '@bench.example', 'Your Gatehouse code',
          'Your code is 123456. It expires in one hour. If you did not ask for it, ignore this message; nothing changes until the code is used.',
          '<p>Your code is <b>123456</b>. It expires in one hour.</p><p>If you did not ask for it, ignore this message; nothing changes until the code is used.</p>',
          CASE WHEN n % 50 = 0 THEN 'failed' ELSE 'sent' END, CASE WHEN n % 50 = 0 THEN 5 ELSE 1 END, ${mailAt}, NULL, NULL,
          CASE WHEN n % 50 = 0 THEN 'connect ECONNREFUSED' END, ${mailAt}, CASE WHEN n % 50 = 0 THEN NULL ELSE ${mailAt} + 1500 END`,
      ),
    );
    const codeAt = at(now, 30 * day, size.codes);
    await step(
      `one_time_codes (${size.codes})`,
      rows(
        db.backend,
        size.codes,
        sql`INSERT INTO one_time_codes (id, purpose, user_id, email, code_hash, token_hash, attempts, created_at, expires_at, consumed_at)`,
        sql`SELECT 'seed-c-' || n, CASE n % 3 WHEN 0 THEN 'password_reset' WHEN 1 THEN 'email_verification' ELSE 'email_change' END,
          ${u}, 'bench_' || ${u} || '@bench.example', 'seed-h-' || n, 'seed-t-' || n, n % 3, ${codeAt}, ${codeAt} + 3600000,
          CASE WHEN n % 2 = 0 THEN ${codeAt} + 60000 END`,
      ),
    );
    const t = performance.now();
    await sql`ANALYZE`.execute(store.db);
    seconds.analyze = (performance.now() - t) / 1000;
    log(`    analyze in ${seconds.analyze.toFixed(1)} s`);
  } finally {
    await store.close();
  }
  return seconds;
}
