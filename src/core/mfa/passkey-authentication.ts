import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON, verifyAuthenticationResponse } from '@simplewebauthn/server';
import { blockedError, loginBlock } from '../activation.js';
import { recordAudit, type RequestMeta } from '../audit.js';
import type { Core } from '../core.js';
import type { LoginSuccess } from '../login/verdict.js';
import { enforceRateLimit } from '../rate-limit.js';
import { constantTimeEqual } from '../secrets.js';
import { inTransaction } from '../transaction.js';
import { findPasskeyByCredentialId, recordPasskeyUse, type StoredPasskey } from '../../store/passkeys-repo.js';
import { findUserById } from '../../store/users-repo.js';
import { ceremonySeconds, issueChallenge, passkeyRefused, relyingParty, takeChallenge, userHandleText, webauthn, type CeremonyPurpose } from './passkey-party.js';

/** What signing in with a passkey uses: the store, clock, config, settings (blocks, rate limits), the secret (user handles). */
export type PasskeyAuthCtx = Pick<Core, 'db' | 'log' | 'clock' | 'config' | 'settings' | 'secretKey'> & Parameters<typeof enforceRateLimit>[0];

/** What a verified assertion proved, for the login's `amr` and the audit. */
export interface PasskeyAssertion {
  passkey: StoredPasskey;
  userVerified: boolean;
}

/**
 * RFC 8176 authentication methods of a passkey assertion: `swk` for a synced (multi-device)
 * passkey, `hwk` for one bound to its authenticator; `user` when the authenticator verified the
 * user (PIN or biometrics), which makes the passkey two factors in one, so `mfa` too.
 */
export function passkeyAmr(a: PasskeyAssertion): string[] {
  const key = a.passkey.deviceType === 'multiDevice' ? 'swk' : 'hwk';
  return a.userVerified ? [key, 'user', 'mfa'] : [key];
}

/** Request options for a passwordless sign-in: no account named, any discoverable passkey of this RP; UV required. */
export async function passkeyLoginOptions(ctx: PasskeyAuthCtx, meta: RequestMeta): Promise<PublicKeyCredentialRequestOptionsJSON> {
  // Every options call stores a challenge: the per-IP login budget bounds how many one client makes.
  await enforceRateLimit(ctx, 'login_ip', meta.ip);
  const challenge = await issueChallenge(ctx, 'login');
  return (await webauthn()).generateAuthenticationOptions({ rpID: relyingParty(ctx).rpId, challenge: Buffer.from(challenge, 'base64url'), timeout: ceremonySeconds * 1000, userVerification: 'required' });
}

/** Request options for a second factor: the account's own passkeys, the challenge bound to the mfa_token (by its digest). */
export async function passkeySecondFactorOptions(ctx: PasskeyAuthCtx, binding: { userId: number; mfaTokenHash: string }, passkeys: readonly StoredPasskey[]): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const challenge = await issueChallenge(ctx, 'second_factor', binding);
  return (await webauthn()).generateAuthenticationOptions({
    rpID: relyingParty(ctx).rpId,
    challenge: Buffer.from(challenge, 'base64url'),
    timeout: ceremonySeconds * 1000,
    allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: p.transports })),
    userVerification: 'preferred',
  });
}

type Refusal = 'challenge' | 'unknown_credential' | 'wrong_account' | 'bad_assertion' | 'user_handle' | 'counter_regressed' | 'raced';

/**
 * Checks an assertion for `purpose`: takes its challenge (single use, whatever follows), finds the
 * credential, verifies origin, RP ID, signature and flags, and the signature counter (a counter
 * that does not move forward suggests a cloned authenticator: refused and audited), then records
 * the use. `bound` says which account (and mfa_token) the challenge must belong to. Returns the
 * assertion, or why it was refused (the wire tells none of them apart).
 */
export async function checkAssertion(
  ctx: PasskeyAuthCtx,
  response: AuthenticationResponseJSON,
  purpose: CeremonyPurpose,
  meta: RequestMeta,
  expect: { userId?: number; mfaTokenHash?: string; requireUserVerification: boolean },
): Promise<PasskeyAssertion | { refused: Refusal; userId?: number }> {
  const bound = await takeChallenge(ctx, response, purpose);
  if (!bound) return { refused: 'challenge' };
  if (expect.mfaTokenHash !== undefined && (bound.mfaTokenHash === null || !constantTimeEqual(bound.mfaTokenHash, expect.mfaTokenHash))) return { refused: 'challenge' };
  if (expect.userId !== undefined && bound.userId !== expect.userId) return { refused: 'challenge' };
  const passkey = typeof response.id === 'string' ? await findPasskeyByCredentialId(ctx.db, response.id) : undefined;
  if (!passkey) return { refused: 'unknown_credential' };
  if (expect.userId !== undefined && passkey.userId !== expect.userId) return { refused: 'wrong_account', userId: expect.userId };
  const handle = response.response?.userHandle;
  if (typeof handle === 'string' && handle !== '' && !constantTimeEqual(handle, userHandleText(ctx, passkey.userId))) return { refused: 'user_handle', userId: passkey.userId };
  const rp = relyingParty(ctx);
  const lib = await webauthn();
  let info: Awaited<ReturnType<typeof verifyAuthenticationResponse>>['authenticationInfo'];
  try {
    const verified = await lib.verifyAuthenticationResponse({
      response,
      expectedChallenge: bound.challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpId,
      // The counter rule is ours (below), so the library is handed 0 and checks everything else.
      credential: { id: passkey.credentialId, publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')), counter: 0, transports: passkey.transports as never },
      requireUserVerification: expect.requireUserVerification,
    });
    if (!verified.verified) return { refused: 'bad_assertion', userId: passkey.userId };
    info = verified.authenticationInfo;
  } catch (err) {
    ctx.log.info({ err: (err as Error).message }, 'passkey assertion refused');
    return { refused: 'bad_assertion', userId: passkey.userId };
  }
  if ((info.newCounter > 0 || passkey.counter > 0) && info.newCounter <= passkey.counter) return { refused: 'counter_regressed', userId: passkey.userId };
  const now = ctx.clock.now();
  const moved = await inTransaction(ctx, async (trx) => {
    // Compare-and-set on the counter: of two assertions racing on one credential, one moves it.
    if (!(await recordPasskeyUse(trx, passkey.id, passkey.counter, info.newCounter, info.credentialBackedUp, now))) return false;
    await recordAudit(trx, { kind: 'passkey.used', at: now, userId: passkey.userId, ip: meta.ip, userAgent: meta.userAgent, detail: { passkey_id: passkey.id, purpose, user_verified: info.userVerified } });
    return true;
  });
  if (!moved) return { refused: 'raced', userId: passkey.userId };
  return { passkey: { ...passkey, counter: info.newCounter, lastUsedAt: now, backedUp: info.credentialBackedUp }, userVerified: info.userVerified };
}

/** Audits a refused assertion (the user it names, when known) with why. */
export async function auditRefusal(ctx: PasskeyAuthCtx, refusal: { refused: Refusal; userId?: number }, purpose: CeremonyPurpose, meta: RequestMeta): Promise<void> {
  const kind = refusal.refused === 'counter_regressed' ? 'passkey.refused' : 'login.failed';
  await recordAudit(ctx.db, { kind, at: ctx.clock.now(), userId: refusal.userId ?? null, ip: meta.ip, userAgent: meta.userAgent, detail: { reason: `passkey_${refusal.refused}`, purpose } });
}

/**
 * A passwordless sign-in: the assertion of a discoverable passkey (UV required) is a whole login.
 * Returns the LoginSuccess for establishSession; every refusal is one 401, a blocked account its block.
 */
export async function passkeyLogin(ctx: PasskeyAuthCtx, response: AuthenticationResponseJSON, meta: RequestMeta): Promise<LoginSuccess> {
  await enforceRateLimit(ctx, 'login_ip', meta.ip);
  const checked = await checkAssertion(ctx, response, 'login', meta, { requireUserVerification: true });
  if ('refused' in checked) {
    await auditRefusal(ctx, checked, 'login', meta);
    throw passkeyRefused();
  }
  const user = await findUserById(ctx.db, checked.passkey.userId);
  if (!user) throw passkeyRefused();
  const block = loginBlock(ctx, user);
  if (block) {
    await recordAudit(ctx.db, { kind: 'login.failed', at: ctx.clock.now(), userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { reason: block, method: 'passkey' } });
    throw blockedError(block);
  }
  return { kind: 'success', user, amr: passkeyAmr(checked) };
}
