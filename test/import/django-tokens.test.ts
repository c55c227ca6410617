import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { updateUserAsAdmin } from '../../src/core/admin/user-admin.js';
import { importDjangoTokens, importDjangoUsers, TokenImportError, type TokenImportSummary } from '../../src/core/import/index.js';
import { deleteExpiredRows } from '../../src/jobs/cleanup.js';
import { parseImportArgs } from '../../src/cli/import-django.js';
import { openStore } from '../../src/store/db.js';
import { backends, dropSchema, postgresUrl, withPostgres } from '../support/backends.js';
import type { TestApp } from '../support/app.js';
import { compatApp } from '../compat/support.js';
import { djangoHash, dumpdataFile, runDjangoProject, tempPath, type DjangoRun } from './django-fixtures.js';

const script = join(import.meta.dirname, 'django_authtoken.py');

/** username → Django pk and DRF key, as Django made them. */
type DjangoProject = DjangoRun<Record<string, { id: number; key: string }>>;

/** A real Django project with rest_framework.authtoken (Debian's python3-django and DRF): users and keys made by Django, then dumpdata. */
const djangoProject = (specs: string[]): DjangoProject => runDjangoProject(script, specs, 'python3-djangorestframework');

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest('base64url');
const meta = { ip: '127.0.0.1', userAgent: 'test' };

describe.each(backends)('import-django --tokens into %s', (backend) => {
  let app: TestApp;
  let project: DjangoProject;
  let first: TokenImportSummary;
  const key = (name: string) => project.made[name]!.key;
  const id = (name: string) => project.made[name]!.id;

  // Seed 003's /api/me/ and seed 000's /view_profile/, both DRF TokenAuthentication.
  const me = (apiKey: string, scheme = 'Token') => app.request({ method: 'GET', url: '/api/me/', headers: { authorization: `${scheme} ${apiKey}` } });
  const viewProfile = (apiKey: string) => app.request({ method: 'POST', url: '/view_profile/', apiKey });
  const rows = async () => ({
    // Not last_used_at: a request's touch of it is written after the answer.
    apiTokens: await app.core.db.selectFrom('api_tokens').select(['id', 'user_id', 'name', 'prefix', 'token_hash', 'created_at', 'expires_at']).orderBy('id').execute(),
    uses: await app.core.db.selectFrom('django_token_uses').selectAll().orderBy('token_id').execute(),
  });

  async function resetByMail(email: string, newPassword = 'a new sturdy passphrase 31') {
    const forgot = await app.request({ method: 'POST', url: '/v1/auth/password/forgot', payload: { email } });
    expect(forgot.statusCode).toBe(202);
    const mail = await app.core.db.selectFrom('outbox').select(['text_body']).where('to_addr', '=', email).where('kind', '=', 'password_reset').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    const reset_token = decodeURIComponent(/token=([A-Za-z0-9_%.-]+)/.exec(mail.text_body)![1]!);
    const res = await app.request({ method: 'POST', url: '/v1/auth/password/reset', payload: { reset_token, new_password: newPassword } });
    expect(res.statusCode, res.body).toBe(204);
  }

  beforeAll(async () => {
    project = djangoProject(['alice:alice pw', 'bob:bob pw:inactive', 'carol:carol pw', 'dave:dave pw', 'erin:erin pw', 'grace:grace pw', 'root:root pw']);
    // With the old signing key set, as in a cut-over that also carries SimpleJWT tokens: ending access is then recorded per account.
    app = await compatApp(backend, 'drf-token,drf-authtoken', { GATEHOUSE_DJANGO_SIGNING_KEY: 'the old django secret key, long enough 0123456789' });
    const users = await importDjangoUsers(app.core, { from: project.users });
    expect(users).toMatchObject({ read: 7, created: 7, skipped: [] });
    // Gatehouse is live before the keys come over: grace resets her password here first.
    await resetByMail('grace@example.com');
    first = await importDjangoTokens(app.core, { from: project.tokens });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('copies the keys Django made (real manage.py dumpdata) to the users imported with the same ids', async () => {
    expect(first).toMatchObject({ source: `authtoken.token objects in ${project.tokens}`, read: 7, imported: 5, alreadyImported: 0, notCopied: [], dryRun: false });
    // dumpdata orders by pk, which is the (random) key: compare as a set.
    expect(first.skipped).toHaveLength(2);
    expect(first.skipped).toEqual(expect.arrayContaining([
      { row: expect.stringMatching(new RegExp(`^token \\d \\(user ${id('bob')}\\)$`)), reason: `user ${id('bob')} is inactive: Gatehouse ended its access, so its key is not copied` },
      { row: expect.stringMatching(new RegExp(`^token \\d \\(user ${id('grace')}\\)$`)), reason: `user ${id('grace')}'s access ended in Gatehouse after this key was made (a password reset or change, logout everywhere, deactivation)` },
    ]));
    const { apiTokens } = await rows();
    expect(apiTokens.map((t) => Number(t.user_id)).sort()).toEqual(['alice', 'carol', 'dave', 'erin', 'root'].map(id).sort());
    const audit = await app.core.db.selectFrom('audit_events').select(['detail']).where('kind', '=', 'admin.tokens_imported').execute();
    expect(audit).toHaveLength(1);
  });

  it("a client keeps its key: the seeds' `Authorization: Token <key>` answers as it did in Django", async () => {
    const res = await me(key('alice'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ id: id('alice'), username: 'alice', email: 'alice@example.com' });
    // DRF's keyword check ignores case.
    expect((await me(key('alice'), 'token')).statusCode).toBe(200);
    const profile = await viewProfile(key('carol'));
    expect(profile.statusCode, profile.body).toBe(200);
    expect(profile.body).toContain('"carol"');
    // An inactive user's key was not copied: "Invalid token." as for any unknown key.
    const bob = await me(key('bob'));
    expect(bob.statusCode).toBe(401);
    expect(bob.json()).toEqual({ detail: 'Invalid token.' });
  });

  it('stores only digests: no key appears in any row, and the digest is the one Gatehouse resolves', async () => {
    const all = await rows();
    const text = JSON.stringify(all);
    for (const name of Object.keys(project.made)) expect(text).not.toContain(key(name));
    const alice = all.apiTokens.find((t) => Number(t.user_id) === id('alice'))!;
    expect(alice).toMatchObject({ token_hash: digest(key('alice')), prefix: key('alice').slice(0, 7), expires_at: null, name: 'Django token (imported)' });
    expect(all.uses.map((u) => u.token_id)).toContain(`authtoken:${digest(key('alice'))}`);
  });

  it("attack: a key Django made before the account's access ended in Gatehouse is copied afterwards", async () => {
    const res = await me(key('grace'));
    expect(res.statusCode).toBe(401);
    expect((await rows()).apiTokens.some((t) => Number(t.user_id) === id('grace'))).toBe(false);
  });

  it('attack: without a cut-over signing key, a key made before a password reset is copied by a later import', async () => {
    const plain = await compatApp(backend, 'drf-authtoken');
    try {
      await importDjangoUsers(plain.core, { from: project.users });
      const forgot = await plain.request({ method: 'POST', url: '/v1/auth/password/forgot', payload: { email: 'alice@example.com' } });
      expect(forgot.statusCode).toBe(202);
      const mail = await plain.core.db.selectFrom('outbox').select(['text_body']).where('kind', '=', 'password_reset').executeTakeFirstOrThrow();
      const reset_token = decodeURIComponent(/token=([A-Za-z0-9_%.-]+)/.exec(mail.text_body)![1]!);
      const reset = await plain.request({ method: 'POST', url: '/v1/auth/password/reset', payload: { reset_token, new_password: 'a new sturdy passphrase 31' } });
      expect(reset.statusCode, reset.body).toBe(204);
      await importDjangoTokens(plain.core, { from: project.tokens });
      expect((await plain.request({ method: 'GET', url: '/api/me/', apiKey: key('alice') })).statusCode).toBe(401);
      expect((await plain.request({ method: 'GET', url: '/api/me/', apiKey: key('carol') })).statusCode).toBe(200);
    } finally {
      await plain.close();
    }
  });

  it('attack: an imported token outlives a password reset', async () => {
    // Without GATEHOUSE_DJANGO_SIGNING_KEY (a DRF-only cut-over): nothing but the copied rows stands between the key and a re-run.
    const plain = await compatApp(backend, 'drf-authtoken');
    try {
      const get = (apiKey: string) => plain.request({ method: 'GET', url: '/api/me/', apiKey });
      await importDjangoUsers(plain.core, { from: project.users });
      expect(await importDjangoTokens(plain.core, { from: project.tokens })).toMatchObject({ imported: 6 });
      expect((await get(key('alice'))).statusCode).toBe(200);
      const forgot = await plain.request({ method: 'POST', url: '/v1/auth/password/forgot', payload: { email: 'alice@example.com' } });
      expect(forgot.statusCode).toBe(202);
      const mail = await plain.core.db.selectFrom('outbox').select(['text_body']).where('kind', '=', 'password_reset').executeTakeFirstOrThrow();
      const reset_token = decodeURIComponent(/token=([A-Za-z0-9_%.-]+)/.exec(mail.text_body)![1]!);
      const reset = await plain.request({ method: 'POST', url: '/v1/auth/password/reset', payload: { reset_token, new_password: 'a new sturdy passphrase 31' } });
      expect(reset.statusCode, reset.body).toBe(204);
      expect((await get(key('alice'))).statusCode).toBe(401);
      // Nor does a re-run (the import is run again just before the switch) bring it back.
      // (alice's key now counts as made before her access ended, the others as copied already)
      const again = await importDjangoTokens(plain.core, { from: project.tokens });
      expect(again).toMatchObject({ imported: 0, alreadyImported: 5 });
      expect((await get(key('alice'))).statusCode).toBe(401);
      expect((await get(key('carol'))).statusCode).toBe(200);
    } finally {
      await plain.close();
    }
  });

  it('attack: an imported token outlives a password reset on the cut-over app too', async () => {
    expect((await me(key('alice'))).statusCode).toBe(200);
    await resetByMail('alice@example.com');
    expect((await me(key('alice'))).statusCode).toBe(401);
    expect((await viewProfile(key('alice'))).statusCode).toBe(401);
    expect((await importDjangoTokens(app.core, { from: project.tokens })).imported).toBe(0);
    expect((await me(key('alice'))).statusCode).toBe(401);
  });

  it('attack: an imported token outlives deactivation', async () => {
    await app.core.db.updateTable('users').set({ is_staff: 1, is_superuser: 1 }).where('id', '=', id('root')).execute();
    await app.core.users.invalidate(id('root'));
    const root = (await app.core.users.get(id('root')))!;
    expect((await me(key('carol'))).statusCode).toBe(200);
    await updateUserAsAdmin(app.core, { user: root, meta }, id('carol'), { is_active: false });
    expect((await me(key('carol'))).statusCode).toBe(401);
    await updateUserAsAdmin(app.core, { user: root, meta }, id('carol'), { is_active: true });
    expect((await me(key('carol'))).statusCode, 'reactivation does not bring the key back').toBe(401);
  });

  it('attack: an imported token outlives logout everywhere (the end of access)', async () => {
    expect((await me(key('dave'))).statusCode).toBe(200);
    // The Django password still works (its hash came along); the session it opens ends everything.
    const login = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'dave', password: 'dave pw' } });
    expect(login.statusCode, login.body).toBe(200);
    const out = await app.request({ method: 'POST', url: '/v1/auth/logout-all', token: login.json().access_token });
    expect(out.statusCode, out.body).toBe(200);
    expect((await me(key('dave'))).statusCode).toBe(401);
  });

  it("seed 000's /logout/ deletes the imported key, as DRF deletes the user's one key", async () => {
    const res = await app.request({ method: 'POST', url: '/logout/', apiKey: key('erin') });
    expect(res.statusCode, res.body).toBe(200);
    expect((await viewProfile(key('erin'))).statusCode).toBe(401);
  });

  it('is idempotent, from the dump or from the Django database itself: a re-run copies nothing twice and brings back no revoked key', async () => {
    const before = await rows();
    for (const from of [project.tokens, project.db, `sqlite:${project.db}`]) {
      const again = await importDjangoTokens(app.core, { from });
      // erin's key was deleted by /logout/ since: copied once is copied for good. root's is still there.
      expect(again, from).toMatchObject({ read: 7, imported: 0, alreadyImported: 2 });
      // bob is inactive; alice, carol and dave lost all access since their keys were made (grace before they came).
      expect(again.skipped.map((k) => k.row.replace(/^token \d+ /, '')).sort()).toEqual(['alice', 'bob', 'carol', 'dave', 'grace'].map((n) => `(user ${id(n)})`).sort());
    }
    expect(await rows()).toEqual(before);
    expect((await me(key('root'))).statusCode).toBe(200);
  });

  describe('bad files: a clear error naming each bad row, and nothing written', () => {
    const file = (content: unknown) => {
      const path = tempPath('tokens.json');
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
      return path;
    };
    // A fresh key no run has seen, for a user that exists: only the bad row stops it.
    const goodRow = () => ({ model: 'authtoken.token', pk: createHash('sha1').update(String(Math.random())).digest('hex'), fields: { user: id('root'), created: '2024-05-01T10:00:00.000Z' } });
    const cases: [string, () => string, RegExp][] = [
      ['malformed JSON', () => file('[{"model": "authtoken.token", "pk": '), /is not dumpdata JSON: /],
      ['not a list', () => file({ model: 'authtoken.token' }), /expected a list of objects/],
      ['an object without a model', () => file([goodRow(), { pk: 'x' }]), /object 2 has no "model"/],
      ['the wrong model (the users dump)', () => project.users, /no "authtoken\.token" objects in .*models present: auth\.user.*manage\.py dumpdata authtoken\.token/],
      ['no key', () => file([goodRow(), { model: 'authtoken.token', fields: { user: id('root'), created: '2024-05-01T10:00:00Z' } }]), /token 2: no key/],
      ['no user', () => file([goodRow(), { model: 'authtoken.token', pk: 'a'.repeat(40), fields: { created: '2024-05-01T10:00:00Z' } }]), /token 2: no "user" field/],
      ['no created', () => file([goodRow(), { model: 'authtoken.token', pk: 'b'.repeat(40), fields: { user: id('root') } }]), /token 2 \(user \d+\): no "created" field/],
      ['no fields at all', () => file([{ model: 'authtoken.token', pk: 'c'.repeat(40) }]), /token 1: no "user" field/],
      ['an unreadable date', () => file([{ model: 'authtoken.token', pk: 'd'.repeat(40), fields: { user: id('root'), created: 'yesterday' } }]), /"created" is not a date and time/],
      ['a user that is not an id', () => file([{ model: 'authtoken.token', pk: 'e'.repeat(40), fields: { user: 'root', created: '2024-05-01T10:00:00Z' } }]), /"user" is not a user id \("root"\)/],
      ['a natural foreign key', () => file([{ model: 'authtoken.token', pk: 'f'.repeat(40), fields: { user: ['root'], created: '2024-05-01T10:00:00Z' } }]), /natural key; dump without --natural-foreign/],
      ['a key with a space', () => file([{ model: 'authtoken.token', pk: 'secret key with spaces', fields: { user: id('root'), created: '2024-05-01T10:00:00Z' } }]), /token 1: the key is not a DRF key/],
      ['a key too long', () => file([{ model: 'authtoken.token', pk: '0'.repeat(41), fields: { user: id('root'), created: '2024-05-01T10:00:00Z' } }]), /the key is not a DRF key/],
      ['a key that is a number', () => file([{ model: 'authtoken.token', pk: 1234, fields: { user: id('root'), created: '2024-05-01T10:00:00Z' } }]), /the key is not a DRF key/],
      ['duplicate keys', () => { const row = goodRow(); return file([row, goodRow(), { ...row, fields: { ...row.fields, user: id('alice') } }]); }, /token 3 \(user \d+\): the same key as token 1/],
      ['not a file', () => join(tmpdir(), 'no-such-dump.json'), /no such file/],
      ['neither JSON nor SQLite', () => file('key,user\nabc,1\n'), /neither dumpdata JSON .* nor a SQLite database/],
    ];
    it.each(cases)('%s', async (_name, make, message) => {
      const path = make();
      const before = await rows();
      const err = await importDjangoTokens(app.core, { from: path }).then(() => undefined, (e: unknown) => e as Error);
      expect(err, 'refused').toBeInstanceOf(Error);
      expect(err!.message).toMatch(message);
      // A refused key is never echoed back.
      expect(err!.message).not.toContain('secret key with spaces');
      expect(await rows()).toEqual(before);
    });

    it('lists every bad row (up to 20) in one error', async () => {
      const bad = Array.from({ length: 25 }, (_, i) => ({ model: 'authtoken.token', pk: `k${i}`, fields: { user: id('root') } }));
      const err = await importDjangoTokens(app.core, { from: file(bad) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TokenImportError);
      expect((err as TokenImportError).problems).toHaveLength(25);
      expect((err as Error).message).toMatch(/has 25 unreadable rows; nothing was imported:\n {2}token 1 \(user \d+\): no "created" field\n[^]*… and 5 more$/);
    });

    it('an unknown user is reported and skipped; the other keys come in', async () => {
      const known = goodRow();
      const stranger = { model: 'authtoken.token', pk: '9'.repeat(40), fields: { user: 987654, created: '2024-05-01T10:00:00Z' } };
      const summary = await importDjangoTokens(app.core, { from: file([stranger, known]) });
      expect(summary).toMatchObject({ read: 2, imported: 1, alreadyImported: 0 });
      expect(summary.skipped).toEqual([{ row: 'token 1 (user 987654)', reason: 'no Gatehouse user 987654: import the users first (--from)' }]);
      expect((await me(known.pk)).statusCode).toBe(200);
      const { uses } = await rows();
      expect(uses.some((u) => u.token_id === `authtoken:${digest('9'.repeat(40))}`), 'no record of the skipped key').toBe(false);
    });

    it('an empty dump imports nothing; a dry run checks and writes nothing', async () => {
      expect(await importDjangoTokens(app.core, { from: file([]) })).toMatchObject({ read: 0, imported: 0 });
      const before = await rows();
      const row = goodRow();
      const dry = await importDjangoTokens(app.core, { from: file([row]), dryRun: true });
      expect(dry).toMatchObject({ read: 1, imported: 1, dryRun: true });
      expect(await rows()).toEqual(before);
      expect((await me(row.pk)).statusCode).toBe(401);
    });

    it('reads a SimpleJWT blacklist beside the keys: nothing left uncopied', async () => {
      // Seed 004's users.refreshtoken objects are copied since (test/import/django-uuid-refresh.test.ts), SimpleJWT's
      // blacklist recorded (test/import/django-simplejwt-blacklist.test.ts); outstanding tokens need no copy.
      const path = file([goodRow(), { model: 'token_blacklist.outstandingtoken', pk: 1, fields: { user: 1, jti: '0b0e', token: 'eyJ…', created_at: '2024-05-01T10:00:00Z', expires_at: '2024-06-01T10:00:00Z' } }]);
      const summary = await importDjangoTokens(app.core, { from: path });
      expect(summary).toMatchObject({ imported: 1, notCopied: [], blacklist: { read: 0, recorded: 0 } });
    });
  });

  it('works in batches: 1,200 keys in three transactions, a bounded number of statements', async () => {
    const users = Array.from({ length: 1200 }, (_, i) => ({
      id: 50_000 + i, username: `bulk${i}`, password: djangoHash.pbkdf2('x', 1), email: `bulk${i}@example.com`, first_name: '', last_name: '',
      is_superuser: false, is_staff: false, is_active: true, date_joined: '2024-01-01T00:00:00Z', last_login: null,
    }));
    await importDjangoUsers(app.core, { from: dumpdataFile(users) });
    const keys = users.map((u) => createHash('sha1').update(`bulk key ${u.id}`).digest('hex'));
    const path = tempPath('bulk.json');
    writeFileSync(path, JSON.stringify(users.map((u, i) => ({ model: 'authtoken.token', pk: keys[i], fields: { user: u.id, created: '2024-02-01T00:00:00Z' } }))));
    app.queries.reset();
    const summary = await importDjangoTokens(app.core, { from: path, batchSize: 500 });
    expect(summary).toMatchObject({ read: 1200, imported: 1200, skipped: [] });
    // Per batch: owners, ended marks, copy records and token rows in chunks — never a statement per key.
    expect(app.queries.count).toBeLessThan(60);
    expect((await me(keys[1199]!)).statusCode).toBe(200);
  });

  it("reads authtoken_token from the Django project's PostgreSQL database, page by page", async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const pgKeys = Array.from({ length: 5 }, (_, i) => createHash('sha1').update(`pg key ${i}`).digest('hex'));
    await withPostgres(async (client) => {
      await client.query(`create schema ${schema}`);
      // Django's DDL for rest_framework.authtoken on PostgreSQL.
      await client.query(`CREATE TABLE "${schema}"."authtoken_token" ("key" varchar(40) NOT NULL PRIMARY KEY, "created" timestamp with time zone NOT NULL, "user_id" integer NOT NULL UNIQUE)`);
      for (const [i, k] of pgKeys.entries()) await client.query(`insert into "${schema}"."authtoken_token" values ($1, $2, $3)`, [k, '2024-03-01T12:00:00.123456+02:00', i < 4 ? 51_000 + i : 987_654]);
    });
    try {
      const from = `${postgresUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      const summary = await importDjangoTokens(app.core, { from, batchSize: 2 });
      expect(summary).toMatchObject({ source: expect.stringMatching(/^authtoken_token in postgres:/), read: 5, imported: 4, skipped: [{ row: expect.stringMatching(/^token \d \(user 987654\)$/), reason: expect.stringContaining('no Gatehouse user 987654') }] });
      expect((await me(pgKeys[3]!)).statusCode).toBe(200);
      const row = await app.core.db.selectFrom('api_tokens').select('created_at').where('token_hash', '=', digest(pgKeys[0]!)).executeTakeFirstOrThrow();
      expect(Number(row.created_at)).toBe(Date.UTC(2024, 2, 1, 10, 0, 0, 123));
    } finally {
      await dropSchema(schema);
    }
  });

  it('cleanup prunes records of expired old tokens, and keeps copied keys and access-ended marks', async () => {
    const now = app.clock.now();
    const root = id('root');
    await app.core.db.insertInto('django_token_uses').values([
      { token_id: 'jti-expired', user_id: root, session_id: null, used_at: now - 90 * 86_400_000, expires_at: now - 120_000 },
      { token_id: 'jti-just-expired', user_id: root, session_id: null, used_at: now - 86_400_000, expires_at: now - 1000 },
      { token_id: 'jti-live', user_id: root, session_id: null, used_at: now - 86_400_000, expires_at: now + 86_400_000 },
    ]).execute();
    const kept = (await rows()).uses.filter((u) => u.expires_at === null).map((u) => u.token_id);
    expect(kept.some((t) => t.startsWith('authtoken:')) && kept.some((t) => t.startsWith('ended:'))).toBe(true);
    await deleteExpiredRows({ db: app.store.db, clock: app.clock, log: app.core.log, retentionSeconds: 7 * 86_400, sessionIdleSeconds: app.config.sessionIdleSeconds, batchSize: 2 });
    const left = (await rows()).uses.map((u) => u.token_id);
    expect(left).not.toContain('jti-expired');
    // A minute of clock skew: an instance whose clock is behind may still verify it.
    expect(left).toContain('jti-just-expired');
    expect(left).toContain('jti-live');
    for (const t of kept) expect(left).toContain(t);
    expect((await me(key('root'))).statusCode).toBe(200);
  });
});

const gatehouse = (args: string[], env: Record<string, string>) => runCli(args, { ...process.env, GATEHOUSE_ENV: 'test', LOG_LEVEL: 'warn', ...env });

describe('gatehouse import-django --tokens (CLI)', () => {
  it('imports users and their keys in one run; a bad token file stops it before any user is written', async () => {
    const project = djangoProject(['alice:alice pw', 'bob:bob pw']);
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-tokens-'));
    const env = { DATABASE_URL: `sqlite:${join(dir, 'gatehouse.db')}`, GATEHOUSE_DATA_DIR: dir };
    const count = async (table: 'users' | 'api_tokens') => {
      const store = openStore(env.DATABASE_URL);
      try {
        return Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      } finally {
        await store.close();
      }
    };

    const badFile = join(dir, 'bad.json');
    writeFileSync(badFile, readFileSync(project.tokens, 'utf8').replace('"created"', '"made"'));
    const bad = await gatehouse(['import-django', '--from', project.users, '--tokens', badFile], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/token 1 \(user \d+\): no "created" field/);
    expect(await count('users')).toBe(0);

    const run = await gatehouse(['import-django', '--from', project.users, '--tokens', project.tokens], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/created\s+2/);
    expect(run.stdout).toContain(`DRF keys: authtoken.token objects in ${project.tokens}`);
    expect(run.stdout).toMatch(/imported\s+2/);
    expect(run.stdout).not.toContain(project.made.alice!.key);
    expect(await count('api_tokens')).toBe(2);

    // `--tokens` alone reads the keys from the --from source: here the Django database itself.
    const again = await gatehouse(['import-django', project.db, '--tokens'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`DRF keys: authtoken_token in ${project.db}`);
    expect(again.stdout).toMatch(/already imported\s+2/);
    expect(await count('api_tokens')).toBe(2);
  }, 300_000);

  it('parses --tokens: a source of its own, or the --from source', () => {
    expect(parseImportArgs(['--from', 'users.json', '--tokens', 'tokens.json'])).toMatchObject({ from: 'users.json', tokens: 'tokens.json' });
    expect(parseImportArgs(['db.sqlite3', '--tokens'])).toMatchObject({ from: 'db.sqlite3', tokens: 'db.sqlite3' });
    expect(parseImportArgs(['--tokens', '--from', 'db.sqlite3'])).toMatchObject({ from: 'db.sqlite3', tokens: 'db.sqlite3' });
    expect(parseImportArgs(['--from', 'db.sqlite3'])).not.toHaveProperty('tokens', expect.anything());
    expect(() => parseImportArgs(['--tokens', 'tokens.json'])).toThrow('--tokens links keys to the users the same run imports: give --from');
  });
});
