import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTokenSummary } from '../../src/cli/import-django.js';
import { importDjangoTokens, importDjangoUsers, TokenImportError, type TokenImportSummary } from '../../src/core/import/index.js';
import { backends, dropSchema, postgresUrl, withPostgres } from '../support/backends.js';
import { runCli } from '../support/cli.js';
import { requireSimpleJwt } from '../support/simplejwt-service.js';
import type { TestApp } from '../support/app.js';
import { compatApp } from '../compat/support.js';
import { runDjangoProject, tempPath, type DjangoRun } from './django-fixtures.js';

const script = join(import.meta.dirname, 'django_simplejwt_blacklist.py');
const oldKey = 'the-old-django-systems-signing-key-0123456789';

interface MadeTokens { id: number; live: string; logged_out: string; rotated: string; rotated_to: string }
type DjangoProject = DjangoRun<{ users: Record<string, MadeTokens>; expired: string }>;

/** Seed 001's SimpleJWT setup in a real Django project (Debian's python3-djangorestframework-simplejwt): tokens issued, rotated and logged out by SimpleJWT. */
function djangoProject(specs: string[]): DjangoProject {
  requireSimpleJwt();
  return runDjangoProject(script, [oldKey, ...specs], 'python3-djangorestframework-simplejwt');
}

const blacklisted = { detail: 'Token is blacklisted', code: 'token_not_valid' };
const jtiOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).jti as string;

describe.each(backends)('import-django --tokens: SimpleJWT blacklist into %s', (backend) => {
  let app: TestApp;
  let project: DjangoProject;
  let first: TokenImportSummary;
  const tokens = (name: string) => project.made.users[name]!;
  const refresh = (token: string) => app.request({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: token } });
  const uses = () => app.core.db.selectFrom('django_token_uses').selectAll().orderBy('token_id').execute();

  beforeAll(async () => {
    project = djangoProject(['alice:alice pw', 'bob:bob pw', 'carol:carol pw']);
    app = await compatApp(backend, 'simplejwt', { GATEHOUSE_DJANGO_SIGNING_KEY: oldKey });
    // The old tokens carry real times: the app's clock reads the same time.
    app.clock.set(Date.now());
    expect(await importDjangoUsers(app.core, { from: project.db })).toMatchObject({ read: 3, created: 3, skipped: [] });
    first = await importDjangoTokens(app.core, { from: project.db });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('attack: a refresh token Django had blacklisted (logged out or rotated) is exchanged at Gatehouse', async () => {
    for (const kind of ['logged_out', 'rotated'] as const) {
      const res = await refresh(tokens('alice')[kind]);
      expect(res.statusCode, `${kind}: ${res.body}`).toBe(401);
      expect(res.json(), kind).toEqual(blacklisted);
    }
    // A token from the same import that Django had not blacklisted is still exchanged, once.
    const live = await refresh(tokens('alice').live);
    expect(live.statusCode, live.body).toBe(200);
    expect((await refresh(tokens('alice').live)).json()).toEqual(blacklisted);
    // Rotation's answer was live in Django: it is exchanged too.
    expect((await refresh(tokens('alice').rotated_to)).statusCode).toBe(200);
  });

  it('reports what it read and recorded; the expired entry is skipped, and no token is stored', async () => {
    // Per user: the logged-out and the rotated token; and the expired one.
    expect(first).toMatchObject({ what: '', notCopied: [], blacklist: { source: `token_blacklist_blacklistedtoken in ${project.db}`, read: 7, recorded: 6, alreadyRecorded: 0, expiredSkipped: 1 } });
    const recorded = (await uses()).filter((u) => u.session_id === null && !u.token_id.includes(':'));
    const expected = ['alice', 'bob', 'carol'].flatMap((n) => [jtiOf(tokens(n).logged_out), jtiOf(tokens(n).rotated)]);
    expect(recorded.map((u) => u.token_id)).toEqual(expect.arrayContaining(expected));
    expect(recorded.map((u) => u.token_id)).not.toContain(jtiOf(project.made.expired));
    const bob = recorded.find((u) => u.token_id === jtiOf(tokens('bob').logged_out))!;
    expect(Number(bob.user_id)).toBe(tokens('bob').id);
    expect(Number(bob.expires_at)).toBe(JSON.parse(Buffer.from(tokens('bob').logged_out.split('.')[1]!, 'base64url').toString()).exp * 1000);
    expect(JSON.stringify(await uses())).not.toContain(tokens('bob').logged_out.split('.')[2]);
    const report = formatTokenSummary(first);
    expect(report).toContain(`SimpleJWT blacklist: token_blacklist_blacklistedtoken in ${project.db}\n  read              7\n  recorded          6\n  already recorded  0\n  expired skipped   1\n`);
    expect(report).not.toContain('not copied');
    // The expired token is refused anyway, as SimpleJWT refuses it.
    expect((await refresh(project.made.expired)).json()).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' });
  });

  it('is idempotent, from the database or from `manage.py dumpdata token_blacklist`: nothing recorded twice', async () => {
    const before = await uses();
    for (const from of [project.db, project.tokens]) {
      const again = await importDjangoTokens(app.core, { from, batchSize: 2 });
      expect(again.blacklist, from).toMatchObject({ read: 7, recorded: 0, alreadyRecorded: 6, expiredSkipped: 1 });
    }
    expect(await uses()).toEqual(before);
    expect((await refresh(tokens('bob').rotated)).json()).toEqual(blacklisted);
  });

  it('a dry run records nothing', async () => {
    const fresh = djangoProject(['dora:dora pw']);
    const before = await uses();
    const dry = await importDjangoTokens(app.core, { from: fresh.tokens, dryRun: true });
    expect(dry.blacklist).toMatchObject({ read: 3, recorded: 2, expiredSkipped: 1 });
    expect(formatTokenSummary(dry)).toContain('dry run (nothing written): SimpleJWT blacklist:');
    expect(await uses()).toEqual(before);
  }, 60_000);

  it('the jwt-otp profile (seed 002, no rotation) answers a blacklisted token as it answers any used one', async () => {
    const otp = await compatApp(backend, 'jwt-otp', { GATEHOUSE_DJANGO_SIGNING_KEY: oldKey });
    try {
      otp.clock.set(Date.now());
      await importDjangoUsers(otp.core, { from: project.db });
      await importDjangoTokens(otp.core, { from: project.db });
      const res = await otp.request({ method: 'POST', url: '/auth/refresh/', payload: { refresh: tokens('carol').logged_out } });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' });
      const live = await otp.request({ method: 'POST', url: '/auth/refresh/', payload: { refresh: tokens('carol').live } });
      expect(live.statusCode, live.body).toBe(200);
    } finally {
      await otp.close();
    }
  });

  describe('rows it cannot read stop the run before anything is written', () => {
    const file = (objects: unknown[]) => {
      const path = tempPath('tokens.json');
      writeFileSync(path, JSON.stringify(objects));
      return path;
    };
    const outstanding = (pk: unknown, fields: Record<string, unknown>) => ({
      model: 'token_blacklist.outstandingtoken', pk, fields: { user: 1, jti: randomBytes(16).toString('hex'), token: 'eyJ…', created_at: '2026-01-01T00:00:00Z', expires_at: new Date(Date.now() + 86_400_000).toISOString(), ...fields },
    });
    const entry = (pk: number, token: unknown) => ({ model: 'token_blacklist.blacklistedtoken', pk, fields: { token, blacklisted_at: '2026-01-01T00:00:00Z' } });

    it('lists each bad row', async () => {
      const before = await uses();
      const good = outstanding(1, {});
      const objects = [
        good, entry(1, 1),
        outstanding(2, { jti: 'not a jti: has spaces' }), entry(2, 2),
        outstanding(3, { jti: 12345 }), entry(3, 3),
        outstanding(4, { expires_at: 'next week' }), entry(4, 4),
        outstanding(5, { expires_at: null }), entry(5, 5),
        outstanding(6, { jti: 'ended:1' }), entry(6, 6),
        outstanding(7, { jti: 'x'.repeat(256) }), entry(7, 7),
        outstanding(8, { user: ['alice'] }), entry(8, 8),
        outstanding(9, { jti: '' }), entry(9, 9),
        outstanding(10, { jti: 'jti\u200b\u0000' }), entry(10, 10),
        entry(11, 99),
      ];
      const err = await importDjangoTokens(app.core, { from: file(objects) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TokenImportError);
      expect((err as TokenImportError).problems).toEqual([
        'blacklisted token 2: "jti" is not a SimpleJWT jti (1 to 255 letters, digits, - or _)',
        'blacklisted token 3: "jti" is not a SimpleJWT jti (1 to 255 letters, digits, - or _)',
        'blacklisted token 4: "expires_at" is not a date and time ("next week")',
        'blacklisted token 5: "expires_at" is not a date and time (null)',
        'blacklisted token 6: "jti" is not a SimpleJWT jti (1 to 255 letters, digits, - or _)',
        'blacklisted token 7: "jti" is not a SimpleJWT jti (1 to 255 letters, digits, - or _)',
        'blacklisted token 8: "user" is a natural key; dump without --natural-foreign, so it is the user\'s id',
        'blacklisted token 9: no "jti"',
        'blacklisted token 10: "jti" is not a SimpleJWT jti (1 to 255 letters, digits, - or _)',
        'blacklisted token 11: its outstanding token (pk 99) is not in the file; dump the whole app: manage.py dumpdata token_blacklist',
      ]);
      expect(await uses()).toEqual(before);
    });

    it('a bad blacklist row in the Django database stops it too', async () => {
      const copy = tempPath('db.sqlite3');
      const db = new SQLite(project.db, { readonly: true });
      await db.backup(copy);
      db.close();
      const rw = new SQLite(copy);
      rw.prepare('update token_blacklist_outstandingtoken set expires_at = ? where id = (select token_id from token_blacklist_blacklistedtoken order by id limit 1)').run('soon');
      rw.close();
      const before = await uses();
      const err = await importDjangoTokens(app.core, { from: copy }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TokenImportError);
      expect((err as Error).message).toContain('blacklisted token 1: "expires_at" is not a date and time ("soon")');
      expect(await uses()).toEqual(before);
    });

    it('a big blacklist is recorded in batches: a bounded number of statements, none per token', async () => {
      const n = 1200;
      const objects = Array.from({ length: n }, (_, i) => [outstanding(1000 + i, { user: i % 2 ? null : 1 }), entry(1000 + i, 1000 + i)]).flat();
      const path = file(objects);
      app.queries.reset();
      const summary = await importDjangoTokens(app.core, { from: path, batchSize: 500 });
      expect(summary.blacklist).toMatchObject({ read: n, recorded: n, alreadyRecorded: 0 });
      // Three pages of 500: a transaction each, its inserts in chunks.
      expect(app.queries.count).toBeLessThan(60);
      expect((await importDjangoTokens(app.core, { from: path, batchSize: 500 })).blacklist).toMatchObject({ recorded: 0, alreadyRecorded: n });
    });
  });

  it("reads the blacklist from the Django project's PostgreSQL database", async () => {
    const pgProject = djangoProject(['erin:erin pw']);
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const src = new SQLite(pgProject.db, { readonly: true });
    const outstandingRows = src.prepare('select id, jti, token, created_at, expires_at, user_id from token_blacklist_outstandingtoken order by id').all() as Record<string, unknown>[];
    const blacklistRows = src.prepare('select id, token_id, blacklisted_at from token_blacklist_blacklistedtoken order by id').all() as Record<string, unknown>[];
    src.close();
    await withPostgres(async (client) => {
      await client.query(`create schema ${schema}`);
      // Django's DDL for rest_framework_simplejwt.token_blacklist on PostgreSQL (psycopg2 is not installed for Debian's python3, so written out here).
      await client.query(`CREATE TABLE "${schema}"."token_blacklist_outstandingtoken" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "jti" varchar(255) NOT NULL UNIQUE, "token" text NOT NULL, "created_at" timestamp with time zone NULL, "expires_at" timestamp with time zone NOT NULL, "user_id" integer NULL)`);
      await client.query(`CREATE TABLE "${schema}"."token_blacklist_blacklistedtoken" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "blacklisted_at" timestamp with time zone NOT NULL, "token_id" bigint NOT NULL UNIQUE REFERENCES "${schema}"."token_blacklist_outstandingtoken" ("id"))`);
      // Django's SQLite datetimes are naive UTC; PostgreSQL's session zone is set so it reads them so.
      await client.query("set time zone 'UTC'");
      for (const r of outstandingRows) await client.query(`insert into "${schema}"."token_blacklist_outstandingtoken" values ($1, $2, $3, $4, $5, $6)`, [r.id, r.jti, r.token, r.created_at, r.expires_at, r.user_id]);
      for (const r of blacklistRows) await client.query(`insert into "${schema}"."token_blacklist_blacklistedtoken" values ($1, $2, $3)`, [r.id, r.blacklisted_at, r.token_id]);
    });
    try {
      // The tables hold erin's tokens under the Django ids this app gave others: the jtis are what matter.
      const from = `${postgresUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      const summary = await importDjangoTokens(app.core, { from, batchSize: 1 });
      expect(summary.blacklist).toMatchObject({ source: expect.stringMatching(/^token_blacklist_blacklistedtoken in postgres:/), read: 3, recorded: 2, expiredSkipped: 1 });
      const erin = pgProject.made.users.erin!;
      const rows = await app.core.db.selectFrom('django_token_uses').select(['token_id', 'expires_at']).where('token_id', 'in', [jtiOf(erin.logged_out), jtiOf(erin.rotated)]).execute();
      expect(rows).toHaveLength(2);
      const exp = JSON.parse(Buffer.from(erin.rotated.split('.')[1]!, 'base64url').toString()).exp * 1000;
      expect(rows.map((r) => Number(r.expires_at))).toContain(exp);
    } finally {
      await dropSchema(schema);
    }
  }, 60_000);
});

describe('gatehouse import-django --tokens (CLI) on a SimpleJWT project', () => {
  it('imports the users and records the blacklist from the Django database alone, and says so in the report', async () => {
    const project = djangoProject(['alice:alice pw', 'bob:bob pw']);
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-blacklist-'));
    const env = { ...process.env, GATEHOUSE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: `sqlite:${join(dir, 'gatehouse.db')}`, GATEHOUSE_DATA_DIR: dir, GATEHOUSE_DJANGO_SIGNING_KEY: oldKey };
    const run = await runCli(['import-django', project.db, '--tokens'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/created\s+2/);
    expect(run.stdout).toContain(`SimpleJWT blacklist: token_blacklist_blacklistedtoken in ${project.db}\n  read              5\n  recorded          4\n  already recorded  0\n  expired skipped   1\n`);
    expect(run.stdout).not.toContain('not copied');
    expect(run.stdout).not.toContain(project.made.users.alice!.logged_out);
  }, 300_000);
});
