import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Core } from '../../core/core.js';
import { AuthError } from '../../core/errors.js';
import { constantTimeEqual, secretHmac } from '../../core/secrets.js';
import { assertSameOrigin } from '../../http/admin/admin-auth.js';

export type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/** What a hosted page says when the interaction is gone: expired, finished, or never this browser's. */
export const expiredText = 'This sign-in has expired or was already finished. Go back to the application and start again.';

/** The interaction's uid as the routes see it: the provider's ids are short url-safe strings. */
export const uidParams = { type: 'object', properties: { uid: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } }, required: ['uid'] } as const;

/**
 * The interaction this browser is in: the provider finds it from its signed, path-bound
 * interaction cookie; the path must name that same one (a stale tab after a new sign-in began).
 */
export async function loadInteraction(provider: Provider, request: FastifyRequest, reply: FastifyReply): Promise<Interaction> {
  const { uid } = request.params as { uid: string };
  let details: Interaction;
  try {
    details = await provider.interactionDetails(request.raw, reply.raw);
  } catch (err) {
    throw gone(err);
  }
  if (details.uid !== uid) throw new AuthError('not_found', expiredText);
  return details;
}

/**
 * The per-interaction form token: an HMAC of the uid under the server secret, so every instance
 * computes the same one and a page from another interaction (or another site) cannot post here.
 * With the interaction cookie (which only this browser holds) and the Origin check it is the
 * forms' CSRF protection.
 */
export function interactionCsrf(core: Pick<Core, 'secretKey'>, uid: string): string {
  return secretHmac(core.secretKey, 'oidc-interaction-form', uid).toString('base64url');
}

export function assertInteractionForm(core: Core, request: FastifyRequest, uid: string): void {
  if (!/^\s*application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
    throw new AuthError('unsupported_media_type', 'This form is sent as application/x-www-form-urlencoded.');
  }
  assertSameOrigin(core, request);
  const sent = (request.body as { _csrf?: unknown } | undefined)?._csrf;
  if (typeof sent !== 'string' || !constantTimeEqual(sent, interactionCsrf(core, uid))) {
    throw new AuthError('permission_denied', 'The form has expired or did not come from this page. Go back, reload the page and try again.');
  }
}

/** The provider's answer to a finished step: the browser goes back to the authorization endpoint. */
export async function finishStep(provider: Provider, request: FastifyRequest, reply: FastifyReply, result: Parameters<Provider['interactionResult']>[2]): Promise<FastifyReply> {
  let returnTo: string;
  try {
    returnTo = await provider.interactionResult(request.raw, reply.raw, result);
  } catch (err) {
    throw gone(err);
  }
  return reply.code(303).header('cache-control', 'no-store').header('location', returnTo).send();
}

/** The provider's "no such interaction" (no cookie, expired, finished, another browser's) as a page-worthy 404. */
function gone(err: unknown): unknown {
  return err instanceof Error && err.name === 'SessionNotFound' ? new AuthError('not_found', expiredText) : err;
}
