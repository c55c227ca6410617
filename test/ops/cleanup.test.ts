import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteExpiredRows, type CleanupContext } from '../../src/jobs/cleanup.js';
import { backends, withPostgres } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';

const day = 86_400_000;

describe.each(backends)('expired-row cleanup on %s', (backend) => {
  let app: TestApp;
  let ctx: CleanupContext;
  let userId: number;
  beforeAll(async () => {
    app = await testApp(backend);
    userId = (await app.signUp()).user.id;
    ctx = { db: app.store.db, clock: app.clock, log: app.core.log, retentionSeconds: 7 * 86_400, sessionIdleSeconds: app.config.sessionIdleSeconds };
  });
  afterAll(async () => {
    await app?.close();
  });

  const id = () => randomBytes(8).toString('hex');

  async function session(fields: { expires_at: number; last_used_at?: number; revoked_at?: number | null }): Promise<string> {
    const now = app.clock.now();
    const sid = id();
    await app.store.db.insertInto('sessions').values({
      id: sid, user_id: userId, kind: 'opaque', created_at: now - 100 * day, last_used_at: fields.last_used_at ?? now,
      expires_at: fields.expires_at, ip: '', user_agent: '', revoked_at: fields.revoked_at ?? null, revoke_reason: fields.revoked_at ? 'test' : null,
    }).execute();
    await app.store.db.insertInto('refresh_tokens').values({ token_hash: id(), session_id: sid, created_at: now, expires_at: fields.expires_at, rotated_at: null }).execute();
    return sid;
  }

  async function code(expiresAt: number, consumedAt: number | null = null): Promise<string> {
    const cid = id();
    await app.store.db.insertInto('one_time_codes').values({
      id: cid, purpose: 'password_reset', user_id: userId, email: 'x@example.com', code_hash: id(), token_hash: id(),
      attempts: 0, created_at: app.clock.now() - 30 * day, expires_at: expiresAt, consumed_at: consumedAt,
    } as never).execute();
    return cid;
  }

  const exists = async (table: 'sessions' | 'one_time_codes', rowId: string) =>
    (await app.store.db.selectFrom(table).select('id').where('id', '=', rowId).executeTakeFirst()) !== undefined;

  it('deletes what expired or was revoked longer ago than the retention, and nothing still useful', async () => {
    const now = app.clock.now();
    const live = await session({ expires_at: now + 30 * day });
    const expiredRecently = await session({ expires_at: now - 2 * day });
    const expiredLongAgo = await session({ expires_at: now - 8 * day });
    const idleLongAgo = await session({ expires_at: now + 30 * day, last_used_at: now - 40 * day });
    const revokedRecently = await session({ expires_at: now + 30 * day, revoked_at: now - 2 * day });
    const revokedLongAgo = await session({ expires_at: now + 30 * day, revoked_at: now - 8 * day });
    const liveCode = await code(now + 600_000);
    const oldCode = await code(now - 8 * day);
    const usedCode = await code(now + 600_000, now - 8 * day);
    await app.store.db.insertInto('refresh_tokens').values({ token_hash: 'old-rotated', session_id: live, created_at: now - 40 * day, expires_at: now - 8 * day, rotated_at: now - 40 * day }).execute();
    await app.store.db.insertInto('refresh_tokens').values({ token_hash: 'fresh-rotated', session_id: live, created_at: now - day, expires_at: now + day, rotated_at: now - day }).execute();
    await app.store.db.insertInto('console_sessions').values({ id_hash: 'old-console', user_id: userId, csrf_token: 'c', created_at: now - 9 * day, last_used_at: now - 9 * day, expires_at: now - 8 * day, ip: '', user_agent: '' }).execute();
    await app.store.db.insertInto('console_sessions').values({ id_hash: 'live-console', user_id: userId, csrf_token: 'c', created_at: now, last_used_at: now, expires_at: now + day, ip: '', user_agent: '' }).execute();
    const device = (tag: string, expiresAt: number) => ({ id: tag, token_hash: `${tag}-hash`, user_id: userId, failures: 0, created_at: now - 100 * day, last_used_at: now - 10 * day, expires_at: expiresAt });
    await app.store.db.insertInto('device_tokens').values([device('expired-device', now - 1), device('live-device', now + day)]).execute();

    const counts = await deleteExpiredRows(ctx);
    expect(counts).toEqual({ sessions: 3, refresh_tokens: 1, one_time_codes: 2, console_sessions: 1, device_tokens: 1, audit_events: 0, outbox: 0, webhook_deliveries: 0 });
    for (const sid of [live, expiredRecently, revokedRecently]) expect(await exists('sessions', sid), sid).toBe(true);
    for (const sid of [expiredLongAgo, idleLongAgo, revokedLongAgo]) expect(await exists('sessions', sid), sid).toBe(false);
    // A deleted session takes its refresh tokens with it; a rotated token still inside its life stays for reuse detection.
    const orphans = await app.store.db.selectFrom('refresh_tokens').select('token_hash').where('session_id', 'in', [expiredLongAgo, idleLongAgo, revokedLongAgo]).execute();
    expect(orphans).toEqual([]);
    const kept = await app.store.db.selectFrom('refresh_tokens').select('token_hash').where('session_id', '=', live).execute();
    expect(kept.map((r) => r.token_hash)).toContain('fresh-rotated');
    expect(kept.map((r) => r.token_hash)).not.toContain('old-rotated');
    expect(await exists('one_time_codes', liveCode)).toBe(true);
    expect(await exists('one_time_codes', oldCode)).toBe(false);
    expect(await exists('one_time_codes', usedCode)).toBe(false);
    const consoles = await app.store.db.selectFrom('console_sessions').select('id_hash').execute();
    expect(consoles.map((c) => c.id_hash)).toEqual(['live-console']);
    // An expired device token skips nothing: it goes at once, not after the retention.
    expect((await app.store.db.selectFrom('device_tokens').select('id').execute()).map((d) => d.id)).toEqual(['live-device']);
    // Nothing left to do: a second round deletes nothing.
    expect(await deleteExpiredRows(ctx)).toEqual({ sessions: 0, refresh_tokens: 0, one_time_codes: 0, console_sessions: 0, device_tokens: 0, audit_events: 0, outbox: 0, webhook_deliveries: 0 });
  });

  it('keeps a revoked session listed while an access token it issued could still be alive, even with a short retention', async () => {
    const now = app.clock.now();
    const halfDay = await session({ expires_at: now + 30 * day, revoked_at: now - day / 2 });
    const twoDays = await session({ expires_at: now + 30 * day, revoked_at: now - 2 * day });
    await deleteExpiredRows({ ...ctx, retentionSeconds: 60 });
    expect(await exists('sessions', halfDay)).toBe(true);
    expect(await exists('sessions', twoDays)).toBe(false);
  });

  it('deletes a big backlog in batches', async () => {
    const now = app.clock.now();
    const rows = Array.from({ length: 2500 }, () => ({
      id: id(), purpose: 'email_verification', user_id: userId, email: 'x@example.com', code_hash: id(), token_hash: id(),
      attempts: 0, created_at: now - 30 * day, expires_at: now - 10 * day, consumed_at: null,
    }));
    for (let i = 0; i < rows.length; i += 500) await app.store.db.insertInto('one_time_codes').values(rows.slice(i, i + 500) as never).execute();
    const counts = await deleteExpiredRows(ctx);
    expect(counts?.one_time_codes).toBe(2500);
  });

  // PostgreSQL only: the one-instance-at-a-time rule is an advisory lock, and SQLite has no shared
  // server several instances could race on (one embedded file, one process). These two tests are skipped on SQLite by design.
  it.runIf(backend === 'postgres')('runs on one instance at a time: another holding the lock makes it skip', async () => {
    const schema = app.store.schema as string;
    await withPostgres(async (client) => {
      await client.query(`select pg_advisory_lock(hashtext('gatehouse.cleanup.' || $1))`, [schema]);
      try {
        expect(await deleteExpiredRows(ctx)).toBeUndefined();
      } finally {
        await client.query(`select pg_advisory_unlock(hashtext('gatehouse.cleanup.' || $1))`, [schema]);
      }
    });
    expect(await deleteExpiredRows(ctx)).toBeDefined();
  });

  it.runIf(backend === 'postgres')('deletes each row once when instances run it at the same moment', async () => {
    const now = app.clock.now();
    const sids = await Promise.all(Array.from({ length: 20 }, () => session({ expires_at: now - 9 * day })));
    const results = await Promise.all(Array.from({ length: 4 }, () => deleteExpiredRows(ctx)));
    const ran = results.filter((r) => r !== undefined);
    expect(ran.length).toBeGreaterThanOrEqual(1);
    expect(ran.reduce((n, r) => n + r!.sessions, 0)).toBe(20);
    for (const sid of sids) expect(await exists('sessions', sid)).toBe(false);
  });
});
