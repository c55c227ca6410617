import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudits } from '../../src/core/audit.js';
import { redeemWithCodeInto } from '../../src/core/mfa/code-second-factor.js';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../src/core/mfa/totp-enrolment.js';
import { tokenDigest } from '../../src/core/secrets.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';
import { codeAt } from './totp-support.js';

const meta = { ip: '127.0.0.1', userAgent: 'test' };

/**
 * POST /v1/auth/mfa/verify spends the TOTP step, consumes the mfa_token and opens the session in
 * one transaction (redeemWithCodeInto handing its transaction to establishSession): of parallel
 * verifies exactly one gets a session, a lost race spends nothing, and a failure anywhere in that
 * transaction leaves the token and the step as they were.
 */
describe.each(backends)('the verify step in one transaction on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    // The losers count as wrong codes; this suite is about who wins, not the lock.
    await app.core.settings.update({ lockout_threshold: 1000 }, null);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function enrolled() {
    const { user } = await app.signUp();
    const { secret } = await startTotpEnrolment(app.core, user.id, { current_password: testPassword }, meta);
    await confirmTotpEnrolment(app.core, user.id, { code: codeAt(secret, app.clock.now()) }, meta);
    app.clock.advance(90);
    return { user: user as { id: number; email: string }, secret };
  }
  const mfaToken = async (user: { email: string }) => {
    const res = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: user.email, password: testPassword } });
    expect(res.statusCode).toBe(401);
    return res.json().mfa_token as string;
  };
  const verify = (token: string, code: string) => app.request({ method: 'POST', url: '/v1/auth/mfa/verify', payload: { mfa_token: token, code } });
  const sessions = async (userId: number) => (await app.store.db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).length;
  const audits = async (userId: number, kind: string) => (await app.store.db.selectFrom('audit_events').select('id').where('user_id', '=', userId).where('kind', '=', kind).execute()).length;
  const lastStep = async (userId: number) => Number((await app.store.db.selectFrom('totp_factors').select('last_step').where('user_id', '=', userId).executeTakeFirstOrThrow()).last_step);
  const tokenRow = (token: string) => app.store.db.selectFrom('mfa_tokens').select(['used_at', 'attempts']).where('token_hash', '=', tokenDigest(token)).executeTakeFirstOrThrow();

  it('race: 10 parallel verifies of one mfa_token with the right code: one 200, the others 401, one session, the step spent once', async () => {
    const { user, secret } = await enrolled();
    const token = await mfaToken(user);
    const before = { sessions: await sessions(user.id), step: await lastStep(user.id), logins: await audits(user.id, 'login.succeeded') };
    const code = codeAt(secret, app.clock.now());
    const answers = await Promise.all(Array.from({ length: 10 }, () => verify(token, code)));
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
    for (const a of answers.filter((x) => x.statusCode !== 200)) {
      expect(a.statusCode).toBe(401);
      expect(['invalid_mfa_code', 'mfa_token_invalid']).toContain(a.json().code);
    }
    expect(await sessions(user.id)).toBe(before.sessions + 1);
    expect(await audits(user.id, 'mfa.verified')).toBe(1);
    expect(await audits(user.id, 'login.succeeded')).toBe(before.logins + 1);
    expect(await lastStep(user.id)).toBeGreaterThan(before.step);
    // The step is spent: the same code on a fresh token is a wrong code.
    const replay = await verify(await mfaToken(user), code);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('invalid_mfa_code');
  });

  it('race: one code on 10 mfa_tokens: one session; each loser spent an attempt, not its token', async () => {
    const { user, secret } = await enrolled();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => mfaToken(user)));
    const before = await sessions(user.id);
    const code = codeAt(secret, app.clock.now());
    const answers = await Promise.all(tokens.map((t) => verify(t, code)));
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
    for (const a of answers.filter((x) => x.statusCode !== 200)) expect(a.json().code).toBe('invalid_mfa_code');
    expect(await sessions(user.id)).toBe(before + 1);
    for (const [i, t] of tokens.entries()) {
      if (answers[i]!.statusCode === 200) continue;
      expect(await tokenRow(t)).toMatchObject({ used_at: null });
      expect(Number((await tokenRow(t)).attempts)).toBe(1);
    }
  });

  it('a failure after the step and the token in that transaction rolls both back: the same code on the same token then works', async () => {
    const { user, secret } = await enrolled();
    const token = await mfaToken(user);
    const step = await lastStep(user.id);
    const code = codeAt(secret, app.clock.now());
    const failing = redeemWithCodeInto(app.core, token, 'totp', code, meta, (_success, transaction) => transaction(async (trx, owed) => {
      await recordAudits(trx, owed);
      throw new Error('the session could not be stored');
    }));
    await expect(failing).rejects.toThrow('the session could not be stored');
    expect(await lastStep(user.id)).toBe(step);
    expect(await tokenRow(token)).toMatchObject({ used_at: null });
    expect(await audits(user.id, 'mfa.verified')).toBe(0);
    const done = await verify(token, code);
    expect(done.statusCode).toBe(200);
    expect(await audits(user.id, 'mfa.verified')).toBe(1);
  });
});
