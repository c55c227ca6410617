import type { Core } from '../../core/core.js';
import { seal, unseal } from '../../core/secrets.js';

const purpose = 'oidc-interaction-mfa-token';

/**
 * The second-factor page carries the mfa_token sealed (AES-GCM under the server secret) together
 * with its interaction's uid: the browser never sees the token itself (so it cannot be taken to
 * /v1/auth/mfa/verify), and a page of one interaction cannot finish another. Every instance opens it.
 */
export function sealFactorToken(core: Pick<Core, 'secretKey'>, uid: string, mfaToken: string): string {
  return seal(core.secretKey, purpose, `${uid} ${mfaToken}`);
}

/** The mfa_token a page of interaction `uid` sent, or undefined when it is not one sealed for that interaction. */
export function openFactorToken(core: Pick<Core, 'secretKey'>, uid: string, sealed: unknown): string | undefined {
  if (typeof sealed !== 'string' || sealed.length === 0 || sealed.length > 512) return undefined;
  let opened: string;
  try {
    opened = unseal(core.secretKey, purpose, sealed);
  } catch {
    return undefined;
  }
  const space = opened.indexOf(' ');
  return space > 0 && opened.slice(0, space) === uid ? opened.slice(space + 1) : undefined;
}
