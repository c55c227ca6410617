import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestMeta } from '../../src/core/audit.js';
import { requestPasswordReset, verifyPasswordResetCode } from '../../src/core/recovery/index.js';
import { issueCode, requestRowId, type IssuedCode } from '../../src/core/recovery/issue-code.js';
import { spendAttempt } from '../../src/core/recovery/spend-attempt.js';
import { inTransaction } from '../../src/core/transaction.js';
import type { User } from '../../src/core/users/user.js';
import { consumeCode, findCodeById } from '../../src/store/codes-repo.js';
import { backends } from '../support/backends.js';
import { testCore, type TestCore } from '../support/core.js';
import { account } from './support.js';

/** A code that is not `code` (same length). */
const wrong = (code: string) => code.split('').map((d) => String((Number(d) + 1) % 10)).join('');

let ipSeq = 0;
/** A fresh client address per check, so per-IP rate limits never decide an outcome here. */
const meta = (): RequestMeta => ({ ip: `10.9.0.${++ipSeq}`, userAgent: 'codes.test' });

describe.each(backends)('one-time codes on %s (no HTTP)', (backend) => {
  let t: TestCore;
  beforeAll(async () => {
    t = await testCore(backend);
  });
  afterAll(() => t?.close());

  async function issueReset(user: User): Promise<IssuedCode> {
    return inTransaction(t.core, (trx) => issueCode(t.core, trx, { purpose: 'password_reset', userId: user.id, email: user.email }));
  }

  const row = async (issued: IssuedCode) => (await findCodeById(t.core.db, requestRowId(issued.requestId), ['password_reset']))!;

  it('issues a reset code stored only as digests, with the otp_length and otp_ttl settings', async () => {
    const user = await account(t);
    const issued = await issueReset(user);
    expect(issued.code).toMatch(new RegExp(`^\\d{${t.core.settings.get('otp_length')}}$`));
    expect(issued.expiresAt).toBe(t.clock.now() + t.core.settings.get('otp_ttl') * 1000);
    const stored = await row(issued);
    expect(stored).toMatchObject({ user_id: user.id, purpose: 'password_reset', attempts: 0, consumed_at: null, verified_at: null });
    expect(stored.id).not.toBe(issued.requestId);
    expect(JSON.stringify(stored)).not.toContain(issued.code);
    expect(JSON.stringify(stored)).not.toContain(issued.linkToken);
  });

  it('a new code supersedes the earlier one of the same purpose', async () => {
    const user = await account(t);
    const first = await issueReset(user);
    await issueReset(user);
    expect(await findCodeById(t.core.db, requestRowId(first.requestId), ['password_reset'])).toBeUndefined();
    await expect(verifyPasswordResetCode(t.core, { requestId: first.requestId, otp: first.code }, meta())).rejects.toMatchObject({ code: 'otp_invalid' });
  });

  it('counts wrong attempts and burns the code at otp_max_attempts, even for the right code', async () => {
    const user = await account(t);
    const issued = await issueReset(user);
    const max = t.core.settings.get('otp_max_attempts');
    for (let i = 1; i < max; i++) {
      await expect(verifyPasswordResetCode(t.core, { requestId: issued.requestId, otp: wrong(issued.code) }, meta())).rejects.toMatchObject({ code: 'otp_invalid' });
      expect((await row(issued)).attempts).toBe(i);
    }
    await expect(verifyPasswordResetCode(t.core, { requestId: issued.requestId, otp: wrong(issued.code) }, meta())).rejects.toMatchObject({ code: 'otp_attempts_exceeded' });
    await expect(verifyPasswordResetCode(t.core, { requestId: issued.requestId, otp: issued.code }, meta())).rejects.toMatchObject({ code: 'otp_attempts_exceeded' });
    expect((await row(issued)).attempts).toBe(max);
  });

  it('the right code within the limit verifies once and returns a grant; the code cannot be spent again', async () => {
    const user = await account(t);
    const issued = await issueReset(user);
    await expect(verifyPasswordResetCode(t.core, { requestId: issued.requestId, otp: wrong(issued.code) }, meta())).rejects.toMatchObject({ code: 'otp_invalid' });
    const grant = await verifyPasswordResetCode(t.core, { requestId: issued.requestId, otp: issued.code }, meta());
    expect(grant.grant.length).toBeGreaterThan(20);
    expect(grant.expiresIn).toBe(t.core.settings.get('otp_ttl'));
    expect((await row(issued)).verified_at).toBe(t.clock.now());
    await expect(verifyPasswordResetCode(t.core, { requestId: issued.requestId, otp: issued.code }, meta())).rejects.toMatchObject({ code: 'otp_invalid' });
  });

  it('expires after otp_ttl on the manual clock, and not a moment before', async () => {
    const user = await account(t);
    const issued = await issueReset(user);
    t.clock.advance(t.core.settings.get('otp_ttl') - 1);
    await expect(spendAttempt(t.core, await row(issued), wrong(issued.code))).rejects.toMatchObject({ code: 'otp_invalid' });
    t.clock.advance(1);
    await expect(spendAttempt(t.core, await row(issued), issued.code)).rejects.toMatchObject({ code: 'otp_expired' });
    expect((await row(issued)).attempts).toBe(1);
  });

  it('a consumed code is single use: consumeCode wins once, and the code no longer verifies', async () => {
    const user = await account(t);
    const issued = await issueReset(user);
    const id = requestRowId(issued.requestId);
    expect(await consumeCode(t.core.db, id, t.clock.now())).toBe(true);
    expect(await consumeCode(t.core.db, id, t.clock.now())).toBe(false);
    await expect(spendAttempt(t.core, await row(issued), issued.code)).rejects.toMatchObject({ code: 'otp_invalid' });
  });

  it('a decoy request for an unknown address is counted and burned like a real one', async () => {
    const { requestId } = await requestPasswordReset(t.core, { email: `nobody-${backend}@example.com` }, meta());
    const max = t.core.settings.get('otp_max_attempts');
    for (let i = 1; i < max; i++) {
      await expect(verifyPasswordResetCode(t.core, { requestId, otp: '000000' }, meta())).rejects.toMatchObject({ code: 'otp_invalid' });
    }
    await expect(verifyPasswordResetCode(t.core, { requestId, otp: '000000' }, meta())).rejects.toMatchObject({ code: 'otp_attempts_exceeded' });
    await expect(verifyPasswordResetCode(t.core, { requestId, otp: '000000' }, meta())).rejects.toMatchObject({ code: 'otp_attempts_exceeded' });
  });
});
