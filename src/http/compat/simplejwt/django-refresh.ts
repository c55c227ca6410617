import type { ClaimsFor } from '../../../core/access-tokens.js';
import type { RequestMeta } from '../../../core/audit.js';
import type { Core } from '../../../core/core.js';
import { exchangeDjangoRefresh, looksLikeDjangoJwt, type DjangoRefreshMode } from '../../../core/django-tokens/index.js';
import { AuthError } from '../../../core/errors.js';
import type { TokenPair } from '../../../core/sessions.js';
import { withRefreshTypeReason } from './credentials.js';

/**
 * What a refresh route answers once Gatehouse refused `presented` with `err`: with
 * GATEHOUSE_DJANGO_SIGNING_KEY set, a refresh JWT of the old system is exchanged for a session
 * (core/django-tokens); otherwise the refusal, with SimpleJWT's "wrong type" for an access token.
 */
export async function refreshFromDjango(core: Core, presented: string, meta: RequestMeta, mode: DjangoRefreshMode, err: unknown, claims?: ClaimsFor): Promise<TokenPair> {
  if (core.config.djangoSigningKey && err instanceof AuthError && err.code === 'refresh_token_invalid' && looksLikeDjangoJwt(presented)) {
    return (await exchangeDjangoRefresh(core, presented, meta, mode, { claims })).pair;
  }
  throw await withRefreshTypeReason(core, presented, err);
}
