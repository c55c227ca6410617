import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Core } from '../core.js';
import { AuthError, fieldError } from '../errors.js';
import { randomToken, secretHmac } from '../secrets.js';
import { consumeWebauthnChallenge, insertWebauthnChallenge } from '../../store/passkeys-repo.js';
import type { Db } from '../context.js';

/** What a passkey ceremony is for; a challenge issued for one is refused by the others. */
export type CeremonyPurpose = 'registration' | 'login' | 'second_factor';

/**
 * The WebAuthn library, loaded at the first ceremony rather than at start: with its ASN.1 stack it
 * was the slowest import of an embedded start (1.4–1.8 s alone on a loaded 2-core machine).
 */
export const webauthn = () => import('@simplewebauthn/server');

/** How long the browser has between fetching options and answering them (WebAuthn's own timeout is the same). */
export const ceremonySeconds = 300;

/** The RP ID and the origins assertions and attestations may carry (config: GATEHOUSE_PUBLIC_URL, GATEHOUSE_WEBAUTHN_ORIGINS). */
export function relyingParty(ctx: Pick<Core, 'config'>): { rpId: string; rpName: string; origins: string[] } {
  return { rpId: ctx.config.webauthn.rpId, rpName: ctx.config.productName, origins: ctx.config.webauthn.origins };
}

/**
 * The WebAuthn user handle of an account: an HMAC of its id, so it is stable, opaque (no email or
 * number leaves in it) and needs no column. A discoverable credential hands it back on sign-in.
 */
export function userHandle(ctx: Pick<Core, 'secretKey'>, userId: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(secretHmac(ctx.secretKey, 'webauthn-user-handle', String(userId)));
}

export function userHandleText(ctx: Pick<Core, 'secretKey'>, userId: number): string {
  return Buffer.from(userHandle(ctx, userId)).toString('base64url');
}

/** Issues a fresh challenge for `purpose`, stored until it is used once or `ceremonySeconds` pass. */
export async function issueChallenge(
  ctx: Pick<Core, 'db' | 'clock'>,
  purpose: CeremonyPurpose,
  binding: { userId?: number; mfaTokenHash?: string } = {},
  db: Db = ctx.db,
): Promise<string> {
  const challenge = randomToken(32);
  const now = ctx.clock.now();
  await insertWebauthnChallenge(db, {
    challenge,
    purpose,
    user_id: binding.userId ?? null,
    mfa_token_hash: binding.mfaTokenHash ?? null,
    created_at: now,
    expires_at: now + ceremonySeconds * 1000,
  });
  return challenge;
}

const base64url = /^[A-Za-z0-9_-]+$/;

/** The challenge a browser signed, read from its clientDataJSON; anything unreadable is a 400 on `response`. */
export function signedChallenge(response: RegistrationResponseJSON | AuthenticationResponseJSON): string {
  const clientData = response.response?.clientDataJSON;
  if (typeof clientData !== 'string' || !base64url.test(clientData)) throw fieldError({ response: ['clientDataJSON is not base64url.'] });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(clientData, 'base64url').toString('utf8'));
  } catch {
    throw fieldError({ response: ['clientDataJSON is not JSON.'] });
  }
  const challenge = (parsed as { challenge?: unknown } | null)?.challenge;
  if (typeof challenge !== 'string' || !base64url.test(challenge) || challenge.length > 128) throw fieldError({ response: ['clientDataJSON carries no challenge.'] });
  return challenge;
}

/**
 * Takes the challenge the response signed out of the store: single use, so a replayed response
 * (or one racing its twin) finds nothing. Unknown, expired, used or issued for another purpose all
 * answer alike.
 */
export async function takeChallenge(
  ctx: Pick<Core, 'db' | 'clock'>,
  response: RegistrationResponseJSON | AuthenticationResponseJSON,
  purpose: CeremonyPurpose,
  db: Db = ctx.db,
): Promise<{ challenge: string; userId: number | null; mfaTokenHash: string | null } | undefined> {
  const challenge = signedChallenge(response);
  const bound = await consumeWebauthnChallenge(db, challenge, purpose, ctx.clock.now());
  return bound && { challenge, ...bound };
}

/** One answer for every refused sign-in passkey: unknown credential, used challenge, bad signature, someone else's key. */
export function passkeyRefused(): AuthError {
  return new AuthError('invalid_credentials', 'The passkey could not be verified; start again');
}

/** A registration the server cannot accept (used or expired challenge, bad attestation): a field error, the session stays valid. */
export function registrationRefused(message = 'The passkey could not be verified; start again.'): AuthError {
  return fieldError({ response: [message] });
}
