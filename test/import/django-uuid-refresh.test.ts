import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDjangoTokens, importDjangoUsers, TokenImportError, type TokenImportSummary } from '../../src/core/import/index.js';
import { backends } from '../support/backends.js';
import type { TestApp } from '../support/app.js';
import { compatApp } from '../compat/support.js';
import { runDjangoProject, tempPath, type DjangoRun } from './django-fixtures.js';

const script = join(import.meta.dirname, 'django_uuid_refresh.py');

/** email → Django pk and refresh token (the UUID seed 004's /api/login/ answered). */
type DjangoProject = DjangoRun<Record<string, { id: number; token: string }>>;

/** A real Django project with seed 004's users app (Debian's python3-django): users and refresh tokens made by Django, then dumpdata. */
const djangoProject = (specs: string[]): DjangoProject => runDjangoProject(script, specs, 'python3-django');

describe.each(backends)('import-django --tokens: seed 004 refresh tokens into %s', (backend) => {
  let app: TestApp;
  let project: DjangoProject;
  let first: TokenImportSummary;
  const token = (email: string) => project.made[email]!.token;
  const refresh = (refresh_token: string) => app.request({ method: 'POST', url: '/api/refresh/', payload: { refresh_token } });
  const me = (access: string) => app.request({ method: 'GET', url: '/api/me/', token: access });
  const rows = async () => ({
    sessions: await app.core.db.selectFrom('sessions').select(['id', 'user_id', 'kind', 'created_at', 'expires_at', 'revoked_at']).orderBy('id').execute(),
    tokens: await app.core.db.selectFrom('refresh_tokens').select(['token_hash', 'session_id', 'expires_at', 'rotated_at']).orderBy('token_hash').execute(),
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
    project = djangoProject(['alice@example.com:alice pw', 'bob@example.com:bob pw', 'carol@example.com:carol pw', 'dave@example.com:dave pw', 'old@example.com:old pw:expired', 'grace@example.com:grace pw']);
    // With the old signing key set, ending access is recorded per account (as in the authtoken import's test).
    app = await compatApp(backend, 'jwt-uuid-refresh', { GATEHOUSE_DJANGO_SIGNING_KEY: 'the old django secret key, long enough 0123456789' });
    expect(await importDjangoUsers(app.core, { from: project.users })).toMatchObject({ read: 6, created: 6, skipped: [] });
    // Gatehouse is live before the tokens come over: grace resets her password here first.
    await resetByMail('grace@example.com');
    first = await importDjangoTokens(app.core, { from: project.tokens });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('imports the live tokens as sessions and reports the rest', async () => {
    expect(first).toMatchObject({ source: `users.refreshtoken objects in ${project.tokens}`, what: "seed 004's refresh tokens", read: 6, imported: 4, alreadyImported: 0, notCopied: [], dryRun: false });
    expect(first.skipped).toEqual([
      { row: 'refresh token 5 (user 5)', reason: 'expired in Django' },
      { row: 'refresh token 6 (user 6)', reason: "user 6's access ended in Gatehouse after this refresh token was made (a password reset or change, logout everywhere, deactivation)" },
    ]);
    const { sessions } = await rows();
    const imported = sessions.filter((s) => s.kind === 'uuid');
    expect(imported.map((s) => Number(s.user_id)).sort()).toEqual([1, 2, 3, 4]);
    expect(JSON.stringify(await rows()), 'no token is stored as it is').not.toContain(token('alice@example.com'));
  });

  it('POST /api/refresh/ with the old UUID works once and rotates like a native one', async () => {
    const res = await refresh(token('alice@example.com'));
    expect(res.statusCode, res.body).toBe(200);
    const pair = res.json() as { access_token: string; refresh_token: string };
    expect(pair.refresh_token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(pair.refresh_token).not.toBe(token('alice@example.com'));
    expect((await me(pair.access_token)).json()).toEqual({ id: 1, username: null, email: 'alice@example.com' });
    const next = await refresh(pair.refresh_token);
    expect(next.statusCode, next.body).toBe(200);
  });

  it('a replay of the old UUID after rotation is refused and ends the session, as the profile refuses reuse', async () => {
    const pair = (await refresh(token('bob@example.com'))).json() as { refresh_token: string };
    app.clock.advance(app.core.config.refreshGraceSeconds + 1);
    const replay = await refresh(token('bob@example.com'));
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toEqual({ error: 'Invalid or expired refresh token' });
    expect((await refresh(pair.refresh_token)).statusCode, 'the session ended').toBe(400);
  });

  it('POST /api/logout/ with the old UUID ends its session', async () => {
    expect((await app.request({ method: 'POST', url: '/api/logout/', payload: { refresh_token: token('dave@example.com') } })).statusCode).toBe(200);
    expect((await refresh(token('dave@example.com'))).json()).toEqual({ error: 'Invalid or expired refresh token' });
  });

  it('attack: an imported refresh token outlives a password reset', async () => {
    await resetByMail('carol@example.com');
    const res = await refresh(token('carol@example.com'));
    expect(res.statusCode, 'the reset ended the imported session').toBe(400);
    expect(res.json()).toEqual({ error: 'Invalid or expired refresh token' });
  });

  it('a re-run copies nothing again, used, logged-out and revoked tokens included; the SQLite file holds the same tokens', async () => {
    const before = await rows();
    const again = await importDjangoTokens(app.core, { from: project.tokens });
    // Carol's reset is recorded against Django's tokens too: hers is now refused before its copy record is read.
    expect(again).toMatchObject({ read: 6, imported: 0, alreadyImported: 3 });
    expect(again.skipped.map((s) => s.row).sort()).toEqual(['refresh token 3 (user 3)', 'refresh token 5 (user 5)', 'refresh token 6 (user 6)']);
    // Django's SQLite column holds the UUID as 32 hex digits: the same tokens, already imported (one transaction each).
    const fromDb = await importDjangoTokens(app.core, { from: project.db, batchSize: 1 });
    expect(fromDb).toMatchObject({ source: `users_refreshtoken in ${project.db}`, read: 6, imported: 0, alreadyImported: 3 });
    expect(await rows()).toEqual(before);
    for (const email of ['bob@example.com', 'carol@example.com', 'dave@example.com']) expect((await refresh(token(email))).statusCode, email).toBe(400);
  });

  describe('rows it cannot link or read', () => {
    const row = (fields: Record<string, unknown>, pk = 90) => ({
      model: 'users.refreshtoken', pk, fields: { user: 1, token: randomUUID(), created_at: new Date(app.clock.now() - 60_000).toISOString(), expires_at: new Date(app.clock.now() + 86_400_000).toISOString(), ...fields },
    });
    const file = (objects: unknown[]) => {
      const path = tempPath('tokens.json');
      writeFileSync(path, JSON.stringify(objects));
      return path;
    };

    it('a token of an unknown user is skipped and reported; the others are imported', async () => {
      const known = row({});
      const summary = await importDjangoTokens(app.core, { from: file([row({ user: 987654 }, 91), known]) });
      expect(summary).toMatchObject({ read: 2, imported: 1, alreadyImported: 0 });
      expect(summary.skipped).toEqual([{ row: 'refresh token 1 (user 987654)', reason: 'no Gatehouse user 987654: import the users first (--from)' }]);
      expect((await refresh(known.fields.token as string)).statusCode).toBe(200);
    });

    it('bad rows stop the run before anything is written', async () => {
      const before = await rows();
      const good = row({});
      const bad = [row({ token: 'not-a-uuid' }), row({ user: ['alice@example.com'] }), row({ expires_at: 'soon' }), good, row({ token: good.fields.token })];
      const err = await importDjangoTokens(app.core, { from: file(bad) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TokenImportError);
      expect((err as TokenImportError).problems).toEqual([
        'refresh token 1: "token" is not a UUID',
        'refresh token 2: "user" is a natural key; dump without --natural-foreign, so it is the user\'s id',
        'refresh token 3 (user 1): "expires_at" is not a date and time ("soon")',
        'refresh token 5 (user 1): the same token as refresh token 4',
      ]);
      expect((err as Error).message).not.toContain(good.fields.token as string);
      expect(await rows()).toEqual(before);
      expect((await refresh(good.fields.token as string)).statusCode).toBe(400);
    });

    it('a dump with DRF keys and refresh tokens imports both', async () => {
      const refreshRow = row({});
      const key = 'b'.repeat(40);
      const summary = await importDjangoTokens(app.core, { from: file([{ model: 'authtoken.token', pk: key, fields: { user: 1, created: refreshRow.fields.created_at } }, refreshRow]) });
      expect(summary).toMatchObject({ what: "DRF keys and seed 004's refresh tokens", read: 2, imported: 2, skipped: [] });
      expect((await refresh(refreshRow.fields.token as string)).statusCode).toBe(200);
    });
  });
});
