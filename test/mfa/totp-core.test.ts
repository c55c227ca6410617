import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { establishSession } from '../../src/core/login.js';
import { issueMfaToken, mfaTokenChallenge, redeemMfaToken } from '../../src/core/mfa/mfa-token.js';
import { useRecoveryCode } from '../../src/core/mfa/recovery-codes.js';
import { confirmTotpEnrolment } from '../../src/core/mfa/totp-enrolment.js';
import { newTotpSecret, sealTotpSecret, verifyTotpCode } from '../../src/core/mfa/totp.js';
import { rotateRefreshToken } from '../../src/core/sessions.js';
import { savePendingTotp } from '../../src/store/mfa-repo.js';
import { decodeJwt } from 'jose';
import { backends } from '../support/backends.js';
import { testCore, type TestCore } from '../support/core.js';
import { account, meta } from '../core/support.js';

/** The client side: a real TOTP computation, as an authenticator app does it. */
const codeAt = (secret: string, ms: number) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: ms });

describe.each(backends)('TOTP, recovery codes and the mfa_token on %s (no HTTP)', (backend) => {
  let t: TestCore;
  beforeAll(async () => {
    t = await testCore(backend);
  });
  afterAll(() => t?.close());

  async function enrolled() {
    const user = await account(t);
    const secret = newTotpSecret();
    await savePendingTotp(t.core.db, user.id, sealTotpSecret(t.core, secret), t.clock.now());
    const { recoveryCodes } = await confirmTotpEnrolment(t.core, user.id, { code: codeAt(secret, t.clock.now()) }, meta);
    t.clock.advance(90);
    return { user, secret, recoveryCodes };
  }

  it('accepts a code one step early, on time and late, refuses two steps off and a replay', async () => {
    const { user, secret } = await enrolled();
    const now = t.clock.now();
    expect(await verifyTotpCode(t.core, user.id, codeAt(secret, now - 60_000))).toBe(false);
    expect(await verifyTotpCode(t.core, user.id, codeAt(secret, now + 60_000))).toBe(false);
    expect(await verifyTotpCode(t.core, user.id, codeAt(secret, now - 30_000))).toBe(true);
    expect(await verifyTotpCode(t.core, user.id, codeAt(secret, now))).toBe(true);
    expect(await verifyTotpCode(t.core, user.id, codeAt(secret, now))).toBe(false);
    expect(await verifyTotpCode(t.core, user.id, codeAt(secret, now + 30_000))).toBe(true);
  });

  it('replay race: 20 parallel uses of one code give exactly one success', async () => {
    const { user, secret } = await enrolled();
    const code = codeAt(secret, t.clock.now());
    const results = await Promise.all(Array.from({ length: 20 }, () => verifyTotpCode(t.core, user.id, code)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('recovery-code race: 20 parallel presentations of one code give exactly one success', async () => {
    const { user, recoveryCodes } = await enrolled();
    expect(recoveryCodes).toHaveLength(10);
    const results = await Promise.all(Array.from({ length: 20 }, () => useRecoveryCode(t.core, user.id, recoveryCodes[0]!.toUpperCase(), meta)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('mfa_token race: N parallel redemptions give exactly one LoginSuccess, with amr in the access token', async () => {
    const { user, recoveryCodes } = await enrolled();
    const issued = await issueMfaToken(t.core, { kind: 'factor_required', user, factors: ['totp', 'recovery_code'] }, meta);
    expect(await mfaTokenChallenge(t.core, issued.mfaToken)).toEqual({ userId: user.id, factors: ['totp', 'recovery_code'] });
    const tries = await Promise.allSettled(recoveryCodes.slice(0, 8).map((c) => redeemMfaToken(t.core, issued.mfaToken, 'recovery_code', (id) => useRecoveryCode(t.core, id, c, meta), meta)));
    const won = tries.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const success = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof redeemMfaToken>>>).value;
    expect(success.amr).toEqual(['pwd', 'otp', 'mfa']);
    const result = await establishSession(t.core, success, {}, meta);
    expect(decodeJwt(result.tokens!.access_token).amr).toEqual(['pwd', 'otp', 'mfa']);
    const refreshed = await rotateRefreshToken(t.core, result.tokens!.refresh_token, meta);
    expect(decodeJwt(refreshed.pair.access_token)).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], auth_time: decodeJwt(result.tokens!.access_token).auth_time });
    expect(await mfaTokenChallenge(t.core, issued.mfaToken)).toBeUndefined();
  });

  it('a wrong code counts on the token and the account; an expired token is invalid', async () => {
    const { user } = await enrolled();
    const issued = await issueMfaToken(t.core, { kind: 'factor_required', user, factors: ['totp', 'recovery_code'] }, meta);
    await expect(redeemMfaToken(t.core, issued.mfaToken, 'totp', async () => false, meta)).rejects.toMatchObject({ code: 'invalid_mfa_code' });
    const row = await t.core.db.selectFrom('users').select('failed_logins').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(Number(row.failed_logins)).toBe(1);
    t.clock.advance(301);
    await expect(redeemMfaToken(t.core, issued.mfaToken, 'totp', async () => true, meta)).rejects.toMatchObject({ code: 'mfa_token_invalid' });
  });
});
