import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redeemWithCode } from '../../src/core/mfa/code-second-factor.js';
import { issueMfaToken } from '../../src/core/mfa/mfa-token.js';
import { confirmTotpEnrolment } from '../../src/core/mfa/totp-enrolment.js';
import { newTotpSecret, sealTotpSecret } from '../../src/core/mfa/totp.js';
import { savePendingTotp } from '../../src/store/mfa-repo.js';
import { backends } from '../support/backends.js';
import { testCore, type TestCore } from '../support/core.js';
import { account, meta } from '../core/support.js';

/**
 * The TOTP second step spends the code's step in the transaction that consumes the mfa_token
 * (code-second-factor.ts, mfa-token.ts): under parallel presentation one login wins, whether the
 * copies share one mfa_token or each has its own, and the step stays spent.
 */
const codeAt = (secret: string, ms: number) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: ms });

describe.each(backends)('the TOTP second step under parallel presentation on %s', (backend) => {
  let t: TestCore;
  beforeAll(async () => {
    // A high lock threshold: the losers count as wrong codes, and this suite is about who wins.
    t = await testCore(backend);
    await t.core.settings.update({ lockout_threshold: 1000 }, null);
  });
  afterAll(() => t?.close());

  async function enrolled() {
    const user = await account(t);
    const secret = newTotpSecret();
    await savePendingTotp(t.core.db, user.id, sealTotpSecret(t.core, secret), t.clock.now());
    await confirmTotpEnrolment(t.core, user.id, { code: codeAt(secret, t.clock.now()) }, meta);
    t.clock.advance(90);
    const token = async () => (await issueMfaToken(t.core, { kind: 'factor_required', user, factors: ['totp', 'recovery_code'] }, meta)).mfaToken;
    const verified = async () => (await t.core.db.selectFrom('audit_events').select('id').where('user_id', '=', user.id).where('kind', '=', 'mfa.verified').execute()).length;
    return { user, secret, token, verified };
  }

  it('race: 20 parallel verifies of one mfa_token with one right code give exactly one login', async () => {
    const { secret, token, verified } = await enrolled();
    const mfaToken = await token();
    const code = codeAt(secret, t.clock.now());
    const tries = await Promise.allSettled(Array.from({ length: 20 }, () => redeemWithCode(t.core, mfaToken, 'totp', code, meta)));
    expect(tries.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of tries) if (r.status === 'rejected') expect(['invalid_mfa_code', 'mfa_token_invalid']).toContain((r.reason as { code: string }).code);
    expect(await verified()).toBe(1);
    // The step is spent: the same code on a fresh mfa_token is a wrong code.
    await expect(redeemWithCode(t.core, await token(), 'totp', code, meta)).rejects.toMatchObject({ code: 'invalid_mfa_code' });
  });

  it('race: one code on 20 mfa_tokens of the account gives exactly one login (replay refused across tokens)', async () => {
    const { secret, token, verified } = await enrolled();
    const tokens = await Promise.all(Array.from({ length: 20 }, token));
    const code = codeAt(secret, t.clock.now());
    const tries = await Promise.allSettled(tokens.map((m) => redeemWithCode(t.core, m, 'totp', code, meta)));
    expect(tries.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of tries) if (r.status === 'rejected') expect((r.reason as { code: string }).code).toBe('invalid_mfa_code');
    expect(await verified()).toBe(1);
    // The losers' tokens are still live (an attempt spent each) and take the next step's code.
    t.clock.advance(30);
    const loser = tokens[tries.findIndex((r) => r.status === 'rejected')]!;
    await expect(redeemWithCode(t.core, loser, 'totp', codeAt(secret, t.clock.now()), meta)).resolves.toMatchObject({ kind: 'success', amr: ['pwd', 'otp', 'mfa'] });
  });
});
