import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON, verifyRegistrationResponse } from '@simplewebauthn/server';
import { confirmPassword } from '../account.js';
import { requireStepUp } from './step-up.js';
import { recordAudit, type RequestMeta } from '../audit.js';
import type { Core } from '../core.js';
import { AuthError, FieldErrorBag } from '../errors.js';
import { randomToken } from '../secrets.js';
import { inTransaction } from '../transaction.js';
import { displayName } from '../users/user.js';
import { dialectOf } from '../../store/dialect/index.js';
import { countUserPasskeys, findPasskeyByCredentialId, insertPasskey, listUserPasskeys } from '../../store/passkeys-repo.js';
import { findUserById } from '../../store/users-repo.js';
import { ceremonySeconds, issueChallenge, registrationRefused, relyingParty, takeChallenge, userHandle, webauthn } from './passkey-party.js';
import { checkPasskeyName, passkeyMail, passkeyView, type PasskeyView } from './passkey-views.js';

/** What registering a passkey uses: the store, clock, config, mail, the secret (user handles) and the password check. */
export type PasskeyRegistrationCtx = Pick<Core, 'db' | 'log' | 'clock' | 'config' | 'mailer' | 'users' | 'secretKey'> & Parameters<typeof confirmPassword>[0];

/** An account holds at most this many passkeys. */
export const maxPasskeysPerAccount = 20;

/**
 * Creation options for a new passkey of the signed-in account. Adding a passkey adds a lasting
 * credential, so (as minting an API token) it needs a session, `current_password` and the step-up
 * (step-up.ts): a stolen access token alone cannot plant its own passkey. The challenge is bound to the account.
 */
export async function passkeyRegistrationOptions(
  ctx: PasskeyRegistrationCtx,
  userId: number,
  input: { current_password?: unknown; code?: unknown },
  meta: RequestMeta,
  /** The requesting session; undefined for an API token. */
  sessionId: string | undefined,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  if (!sessionId) throw new AuthError('permission_denied', 'An API token may not add passkeys; use a session and current_password.');
  const errors = new FieldErrorBag();
  if (typeof input.current_password !== 'string' || input.current_password === '') errors.add('current_password', 'This field is required.');
  errors.throwIfAny();
  const user = await confirmPassword(ctx, userId, input.current_password, 'current_password', meta);
  await requireStepUp(ctx, user, { sessionId, code: input.code }, meta);
  const existing = await listUserPasskeys(ctx.db, userId);
  if (existing.length >= maxPasskeysPerAccount) throw new AuthError('conflict', `An account holds at most ${maxPasskeysPerAccount} passkeys; remove one first.`);
  const challenge = await issueChallenge(ctx, 'registration', { userId });
  const rp = relyingParty(ctx);
  return (await webauthn()).generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpId,
    userName: user.username || user.email,
    userID: userHandle(ctx, userId),
    userDisplayName: displayName(user),
    challenge: Buffer.from(challenge, 'base64url'),
    timeout: ceremonySeconds * 1000,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    // Discoverable, so the same passkey also signs in without a password; UV when the device can.
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' },
  });
}

/**
 * Verifies the browser's attestation against the challenge issued to this account (used once) and
 * stores the passkey; audited and mailed. A credential id already stored (on any account) is refused.
 */
export async function registerPasskey(
  ctx: PasskeyRegistrationCtx,
  userId: number,
  input: { response: RegistrationResponseJSON; name?: unknown },
  meta: RequestMeta,
): Promise<PasskeyView> {
  const name = checkPasskeyName(input.name, 'Passkey');
  const rp = relyingParty(ctx);
  // Taken in a statement of its own, before the checks: a refused response burns its challenge too.
  const bound = await takeChallenge(ctx, input.response, 'registration');
  // Another account's challenge is as good as none: it was not issued to this session's account.
  if (!bound || bound.userId !== userId) throw registrationRefused();
  const lib = await webauthn();
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await lib.verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: bound.challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpId,
      requireUserVerification: false,
    });
  } catch (err) {
    ctx.log.info({ err: (err as Error).message }, 'passkey registration refused');
    throw registrationRefused();
  }
  if (!verified.verified) throw registrationRefused();
  const info = verified.registrationInfo;
  return inTransaction(ctx, async (trx) => {
    if (await findPasskeyByCredentialId(trx, info.credential.id)) throw registrationRefused('This passkey is already registered.');
    if ((await countUserPasskeys(trx, userId)) >= maxPasskeysPerAccount) throw new AuthError('conflict', `An account holds at most ${maxPasskeysPerAccount} passkeys; remove one first.`);
    const now = ctx.clock.now();
    const row = {
      id: randomToken(12),
      user_id: userId,
      credential_id: info.credential.id,
      public_key: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      transports: JSON.stringify((info.credential.transports ?? []).slice(0, 8)),
      aaguid: info.aaguid,
      device_type: info.credentialDeviceType,
      backed_up: info.credentialBackedUp ? 1 : 0,
      user_verified: info.userVerified ? 1 : 0,
      name,
      created_at: now,
      last_used_at: null,
    };
    try {
      await insertPasskey(trx, row);
    } catch (err) {
      // Two registrations of one credential racing: the unique index decides.
      const violation = dialectOf(trx).violation(err);
      if (violation?.kind === 'unique') throw registrationRefused('This passkey is already registered.');
      throw err;
    }
    await recordAudit(trx, { kind: 'passkey.registered', at: now, userId, actorId: userId, ip: meta.ip, userAgent: meta.userAgent, detail: { passkey_id: row.id, name, aaguid: info.aaguid, backed_up: info.credentialBackedUp } });
    const user = await findUserById(trx, userId);
    if (user?.email) await ctx.mailer.enqueue(trx, passkeyMail(user, 'added', name));
    return passkeyView({ ...row, userId, credentialId: row.credential_id, publicKey: row.public_key, transports: JSON.parse(row.transports) as string[], deviceType: row.device_type, backedUp: info.credentialBackedUp, createdAt: now, lastUsedAt: null });
  });
}
