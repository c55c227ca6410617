import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../../src/core/errors.js';
import { authenticateLogin, establishSession, login, type SecondFactors } from '../../src/core/login.js';
import { register } from '../../src/core/register.js';
import { backends } from '../support/backends.js';
import { testCore, type TestCore } from '../support/core.js';

const meta = { ip: '203.0.113.9', userAgent: 'pipeline-test' };
const password = 'a sturdy passphrase 42';

// The two login steps without HTTP: authenticateLogin's verdicts, then establishSession.
describe.each(backends)('login pipeline on %s', (backend) => {
  let t: TestCore;
  beforeAll(async () => {
    t = await testCore(backend);
    await t.core.settings.update({ lockout_threshold: 3, lockout_seconds: 60, rate_login_account: 1000, rate_login_ip: 1000 }, null);
  });
  afterAll(() => t?.close());

  let n = 0;
  const signUp = async () => {
    const username = `pipe${++n}`;
    const { user } = await register(t.core, { username, password }, { identity: 'username', usernameIsLogin: true, issueTokens: false }, meta);
    return { user, username };
  };
  const sessionsOf = async (userId: number) => (await t.core.db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).length;
  const auditKinds = async (userId: number) =>
    (await t.core.db.selectFrom('audit_events').select('kind').where('user_id', '=', userId).orderBy('id').execute()).map((r) => r.kind);

  it('a right password is a success verdict, and establishSession opens the session with one signed token carrying the claims', async () => {
    const { user, username } = await signUp();
    const verdict = await authenticateLogin(t.core, { login: username, password }, { by: 'username' }, meta);
    expect(verdict).toMatchObject({ kind: 'success', user: { id: user.id } });
    expect(await sessionsOf(user.id), 'authenticating opens nothing').toBe(0);
    if (verdict.kind !== 'success') throw new Error('unreachable');
    const result = await establishSession(t.core, verdict, { claims: (u) => ({ shown_as: u.username }) }, meta);
    expect(await sessionsOf(user.id)).toBe(1);
    expect(result.user.last_login).toBe(t.clock.now());
    const claims = await t.core.accessTokens.verify(result.tokens!.access_token);
    expect(claims).toMatchObject({ userId: user.id, sessionId: result.tokens!.session_id });
    expect(decodeJwt(result.tokens!.access_token)).toMatchObject({ shown_as: username, user_id: user.id, token_type: 'access' });
    expect(await auditKinds(user.id)).toContain('login.succeeded');
  });

  it('a wrong password is a failure verdict, counted against the account and audited', async () => {
    const { user, username } = await signUp();
    const verdict = await authenticateLogin(t.core, { login: username, password: 'not the password' }, { by: 'username' }, meta);
    expect(verdict).toEqual({ kind: 'failure', reason: 'wrong_password' });
    const row = await t.core.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ failed_logins: 1, locked_until: null });
    expect(await auditKinds(user.id)).toEqual(['user.registered', 'login.failed']);
    await expect(login(t.core, { login: username, password: 'not the password' }, { by: 'username' }, meta)).rejects.toMatchObject({ code: 'invalid_credentials' });
  });

  it('an unknown account is a failure verdict of its own reason', async () => {
    const verdict = await authenticateLogin(t.core, { login: 'nobody-at-all', password }, { by: 'username' }, meta);
    expect(verdict).toEqual({ kind: 'failure', reason: 'unknown_account' });
  });

  it('the threshold locks the account: even the right password is refused until the lock ends', async () => {
    const { user, username } = await signUp();
    for (let i = 0; i < 3; i++) {
      expect(await authenticateLogin(t.core, { login: username, password: `wrong ${i}` }, { by: 'username' }, meta)).toMatchObject({ reason: 'wrong_password' });
    }
    const row = await t.core.db.selectFrom('users').select('locked_until').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.locked_until).toBe(t.clock.now() + 60_000);
    expect(await authenticateLogin(t.core, { login: username, password }, { by: 'username' }, meta)).toEqual({ kind: 'failure', reason: 'locked' });
    t.clock.advance(61);
    expect(await authenticateLogin(t.core, { login: username, password }, { by: 'username' }, meta)).toMatchObject({ kind: 'success' });
  });

  it('a blocked account is a failure verdict naming the block', async () => {
    const { user, username } = await signUp();
    await t.core.db.updateTable('users').set({ is_active: 0 }).where('id', '=', user.id).execute();
    await t.core.users.invalidate(user.id);
    expect(await authenticateLogin(t.core, { login: username, password }, { by: 'username' }, meta)).toEqual({ kind: 'failure', reason: 'account_inactive' });
    await expect(login(t.core, { login: username, password }, { by: 'username' }, meta)).rejects.toMatchObject({ code: 'account_inactive' });
  });

  it('an account with a second factor gets factor_required and no session, from authenticateLogin and login alike', async () => {
    const { user, username } = await signUp();
    const asked: number[] = [];
    const secondFactors: SecondFactors = {
      async enrolled(_db, u) {
        asked.push(u.id);
        return u.id === user.id ? ['totp', 'recovery_code'] : [];
      },
    };
    const ctx = { ...t.core, secondFactors };
    const wrong = await authenticateLogin(ctx, { login: username, password: 'not the password' }, { by: 'username' }, meta);
    expect(wrong).toEqual({ kind: 'failure', reason: 'wrong_password' });
    expect(asked, 'factors are asked only after the password is right').toEqual([]);
    const verdict = await authenticateLogin(ctx, { login: username, password }, { by: 'username' }, meta);
    expect(verdict).toMatchObject({ kind: 'factor_required', user: { id: user.id }, factors: ['totp', 'recovery_code'] });
    const refused = await login(ctx, { login: username, password }, { by: 'username' }, meta).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AuthError);
    expect(refused).toMatchObject({ code: 'invalid_credentials', facts: { factors: ['totp', 'recovery_code'] } });
    expect(await sessionsOf(user.id)).toBe(0);
    expect(await auditKinds(user.id)).not.toContain('login.succeeded');
    const row = await t.core.db.selectFrom('users').select(['failed_logins', 'last_login']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row, 'the failure the wrong password counted stays until the login completes').toEqual({ failed_logins: 1, last_login: null });
  });
});
