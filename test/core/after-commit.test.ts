import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createApp, type Gatehouse } from '../../src/app.js';
import { MemoryCache } from '../../src/cache/memory.js';
import { afterCommit, inTransaction, type TransactionCtx } from '../../src/core/transaction.js';
import { openStore, type Store } from '../../src/store/db.js';
import type { Database } from '../../src/store/schema.js';
import { backends, freshStore, postgresUrl, type FreshStore } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { capturingLogger, type LogLine } from '../cache/support.js';

/** A second connection to the same database: it sees only what has been committed. */
async function observerFor(db: Kysely<Database>, backend: 'sqlite' | 'postgres', schema?: string): Promise<Store> {
  if (backend === 'postgres') return openStore(postgresUrl, { schema, poolSize: 1 });
  const rows = (await sql<{ name: string; file: string }>`pragma database_list`.execute(db)).rows;
  return openStore(`sqlite:${rows.find((r) => r.name === 'main')!.file}`);
}

describe.each(backends)('effects registered in a transaction on %s', (backend) => {
  let fresh: FreshStore;
  let observer: Store;
  let ctx: TransactionCtx;
  let lines: LogLine[];
  let next = 0;

  beforeAll(async () => {
    fresh = await freshStore(backend);
    const logger = capturingLogger();
    lines = logger.lines;
    ctx = { db: fresh.store.db, log: logger.log };
    // A foreign key checked at COMMIT, so a test can make the commit itself fail.
    await sql`create table probe_parent (id integer primary key)`.execute(fresh.store.db);
    await sql`create table probe (id integer primary key, parent integer references probe_parent (id) deferrable initially deferred)`.execute(fresh.store.db);
    observer = await observerFor(fresh.store.db, backend, fresh.schema);
  });
  afterAll(async () => {
    await observer?.close();
    await fresh?.store.close();
    await fresh?.drop();
  });

  const insertProbe = (db: Kysely<any>, id: number, parent: number | null = null) => sql`insert into probe (id, parent) values (${id}, ${parent})`.execute(db);
  const committed = async (id: number) => (await sql<{ id: number }>`select id from probe where id = ${id}`.execute(observer.db)).rows.length === 1;

  it('runs an effect once the transaction has committed, not before', async () => {
    const id = ++next;
    const seen: string[] = [];
    const result = await inTransaction(ctx, async (trx) => {
      await insertProbe(trx, id);
      await afterCommit(ctx, trx, async () => {
        seen.push(`effect sees the row committed: ${await committed(id)}`);
      });
      seen.push('work done');
      return 'result';
    });
    expect(result).toBe('result');
    expect(seen).toEqual(['work done', 'effect sees the row committed: true']);
  });

  it('drops the effects of a transaction that rolls back', async () => {
    const id = ++next;
    let ran = false;
    await expect(
      inTransaction(ctx, async (trx) => {
        await insertProbe(trx, id);
        await afterCommit(ctx, trx, () => (ran = true));
        throw new Error('use case failed');
      }),
    ).rejects.toThrow('use case failed');
    expect(ran).toBe(false);
    expect(await committed(id)).toBe(false);
  });

  it('drops the effects of a transaction whose COMMIT fails', async () => {
    const id = ++next;
    let ran = false;
    await expect(
      inTransaction(ctx, async (trx) => {
        await insertProbe(trx, id, 999_999);
        await afterCommit(ctx, trx, () => (ran = true));
      }),
    ).rejects.toThrow(/foreign key/i);
    expect(ran).toBe(false);
    expect(await committed(id)).toBe(false);
    // The connection is usable again afterwards.
    await inTransaction(ctx, (trx) => insertProbe(trx, ++next));
    expect(await committed(next)).toBe(true);
  });

  it('a nested inTransaction joins the outer one: its effects wait for the outer commit, all in registration order', async () => {
    const seen: string[] = [];
    await inTransaction(ctx, async (outer) => {
      await afterCommit(ctx, outer, () => seen.push('first'));
      await inTransaction(
        ctx,
        async (inner) => {
          expect(inner).toBe(outer);
          await afterCommit(ctx, inner, () => seen.push('second'));
        },
        outer,
      );
      await afterCommit(ctx, outer, () => seen.push('third'));
      seen.push('outer work done');
    });
    expect(seen).toEqual(['outer work done', 'first', 'second', 'third']);
  });

  it('an outer rollback drops what a nested call registered', async () => {
    let ran = false;
    await expect(
      inTransaction(ctx, async (outer) => {
        await inTransaction(ctx, (inner) => afterCommit(ctx, inner, () => (ran = true)), outer);
        throw new Error('outer failed');
      }),
    ).rejects.toThrow('outer failed');
    expect(ran).toBe(false);
  });

  it('an effect that throws is logged; later effects still run and the committed result is returned', async () => {
    const id = ++next;
    const seen: string[] = [];
    const result = await inTransaction(ctx, async (trx) => {
      await insertProbe(trx, id);
      await afterCommit(ctx, trx, () => {
        throw new Error('cache down');
      });
      await afterCommit(ctx, trx, () => seen.push('after the failing one'));
      return 42;
    });
    expect(result).toBe(42);
    expect(seen).toEqual(['after the failing one']);
    expect(await committed(id)).toBe(true);
    const logged = lines.find((l) => l.level === 50 && /after-commit effect failed/.test(l.msg));
    expect((logged?.err as { message?: string } | undefined)?.message).toBe('cache down');
  });

  it('outside a transaction the statements already committed, so the effect runs at once', async () => {
    let ran = false;
    await afterCommit(ctx, ctx.db, () => (ran = true));
    expect(ran).toBe(true);
  });

  it('refuses a transaction it cannot see commit: opened around it, or already finished', async () => {
    await ctx.db.transaction().execute(async (trx) => {
      await expect(afterCommit(ctx, trx, () => undefined)).rejects.toThrow(/opened by inTransaction/);
      await expect(inTransaction(ctx, async () => undefined, trx)).rejects.toThrow(/did not open/);
    });
    let leaked: Kysely<Database> | undefined;
    await inTransaction(ctx, async (trx) => {
      leaked = trx;
    });
    await expect(afterCommit(ctx, leaked!, () => undefined)).rejects.toThrow(/opened by inTransaction/);
  });
});

describe.each(backends)('a password reset announced after its commit, on %s', (backend) => {
  const cache = new MemoryCache();
  let a: TestApp;
  let b: Gatehouse;
  let observer: Store;
  /** Every message published while the reset ran, with whether the revocation was committed when it was sent. */
  const sent: { channel: string; revocationCommitted: boolean }[] = [];
  let watchedSession: string | undefined;

  beforeAll(async () => {
    a = await testApp(backend, {}, { cache });
    b = await createApp(a.config, { clock: a.clock, store: a.store, cache, mailWorker: false, log: a.core.log, migrate: false });
    observer = await observerFor(a.store.db, backend, a.store.schema);
    const publish = cache.publish.bind(cache);
    cache.publish = async (channel, message) => {
      if (watchedSession) {
        const row = await observer.db.selectFrom('sessions').select('revoked_at').where('id', '=', watchedSession).executeTakeFirst();
        sent.push({ channel, revocationCommitted: row?.revoked_at != null });
      }
      return publish(channel, message);
    };
  });
  afterAll(async () => {
    await observer?.close();
    await b?.close();
    await a?.close();
  });

  it("another instance hears of the reset's revocation only once it is committed, and refuses the token at once", async () => {
    const signed = await a.signUp();
    const onB = () => b.http.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${signed.access_token}` } });
    expect((await onB()).statusCode).toBe(200);
    const forgot = await a.request({ method: 'POST', url: '/v1/auth/password/forgot', payload: { email: signed.user.email } });
    expect(forgot.statusCode).toBe(202);
    const mail = await a.core.db.selectFrom('outbox').select(['text_body']).where('to_addr', '=', signed.user.email).where('kind', '=', 'password_reset').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    const reset_token = decodeURIComponent(/token=([A-Za-z0-9_%.-]+)/.exec(mail.text_body)![1]!);

    watchedSession = (await a.core.db.selectFrom('sessions').select('id').where('user_id', '=', signed.user.id).executeTakeFirstOrThrow()).id;
    const reset = await a.request({ method: 'POST', url: '/v1/auth/password/reset', payload: { reset_token, new_password: 'another sturdy passphrase 77' } });
    watchedSession = undefined;
    expect(reset.statusCode, reset.body).toBe(204);

    expect(sent.map((s) => s.channel)).toContain('revocations');
    expect(sent.filter((s) => !s.revocationCommitted)).toEqual([]);
    // Announced before the response: B refuses the token with no waiting.
    const refused = await onB();
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('session_revoked');
  });
});
