import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { AuthError } from '../../core/errors.js';
import { listSessions } from '../../core/sessions.js';
import type { ErrorRenderer } from '../../http/errors.js';
import { body, str } from '../../http/schemas.js';
import { clientFacts, openInteraction, stepPage, type Hosted } from './hosted-context.js';
import { assertInteractionForm, expiredText, finishStep, uidParams, type Interaction } from './interaction-kit.js';
import { consentBody, messageBody } from './pages.js';

type Client = NonNullable<Awaited<ReturnType<Provider['Client']['find']>>>;

/** Clients registered as first-party (oidc_clients.first_party) are the operator's own apps: no consent page. */
export function isFirstParty(client: Client | undefined): boolean {
  if (!client) return false;
  const meta = client.metadata() as Record<string, unknown>;
  return meta.first_party === true || meta.firstParty === true || (client as unknown as { firstParty?: unknown }).firstParty === true;
}

interface Missing {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

/** The grant with what the prompt says is missing added (the provider's Grant API records scopes and claims). */
async function grantFor(provider: Provider, details: Interaction): Promise<{ grantId: string; created: boolean }> {
  const missing = details.prompt.details as Missing;
  const accountId = details.session!.accountId;
  const clientId = String(details.params.client_id);
  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  if (missing.missingOIDCScope?.length) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims?.length) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  return { grantId: await grant.save(), created: !existing };
}

/**
 * The Gatehouse session behind this provider session must still be live: if it ended while its
 * back-channel work could not finish (a crash between commit and hook), the sign-in is over here too.
 */
async function signInStillLive(h: Hosted, details: Interaction): Promise<boolean> {
  const submitted = (details.lastSubmission as { gatehouse?: { sessionId?: unknown } } | undefined)?.gatehouse?.sessionId;
  const sessionId = typeof submitted === 'string' ? submitted : await h.links.gatehouseSessionOf(details.session!.uid);
  const userId = Number(details.session!.accountId);
  if (!sessionId || !Number.isSafeInteger(userId)) return false;
  return (await listSessions(h.core, userId, sessionId)).length > 0;
}

async function endedSignIn(h: Hosted, reply: FastifyReply, details: Interaction): Promise<FastifyReply> {
  const session = await h.provider.Session.findByUid(details.session!.uid);
  await session?.destroy();
  const { t, send } = stepPage(h, reply.request, details);
  return send(reply, 401, t('Signed out'), messageBody(t('You have been signed out'), t('Your sign-in has ended. Go back to the application and sign in again.')));
}

/** GET on a consent prompt: first-party clients go straight on, others see what they ask for. */
export async function consentStep(h: Hosted, request: FastifyRequest, reply: FastifyReply, details: Interaction): Promise<FastifyReply> {
  if (!details.session) throw new AuthError('not_found', expiredText);
  if (!(await signInStillLive(h, details))) return endedSignIn(h, reply, details);
  const client = await h.provider.Client.find(String(details.params.client_id)).catch(() => undefined);
  if (isFirstParty(client)) {
    const { grantId, created } = await grantFor(h.provider, details);
    return finishStep(h.provider, request, reply, { consent: created ? { grantId } : {} });
  }
  const missing = details.prompt.details as Missing;
  const step = stepPage(h, request, details);
  const scopes = [...(missing.missingOIDCScope ?? []), ...Object.values(missing.missingResourceScopes ?? {}).flat()];
  const user = await h.core.users.get(Number(details.session.accountId));
  return step.send(reply, 200, step.t('Allow access?'), consentBody(step.t, {
    action: `${step.action}/consent`,
    csrf: step.csrf,
    client: await clientFacts(h.provider, details, step.t),
    scopes,
    claims: (missing.missingOIDCClaims ?? []).filter((c) => !['sub', 'sid', 'auth_time', 'acr', 'amr', 'iss'].includes(c)),
    user: user ? user.username || user.email : step.t('your account'),
  }));
}

export function consentRoutes(app: FastifyInstance, h: Hosted, config: { renderError: ErrorRenderer }): void {
  app.post('/oidc/interaction/:uid/consent', {
    schema: { hide: true, params: uidParams, body: body({ _csrf: str(128), decision: { type: 'string', enum: ['allow', 'deny'] } }, ['decision']) },
    config,
  }, async (request, reply) => {
    const details = await openInteraction(h, request, reply);
    assertInteractionForm(h.core, request, details.uid);
    if (details.prompt.name !== 'consent' || !details.session) throw new AuthError('not_found', expiredText);
    if ((request.body as { decision: string }).decision === 'deny') {
      return finishStep(h.provider, request, reply, { error: 'access_denied', error_description: 'The user did not allow access.' });
    }
    if (!(await signInStillLive(h, details))) return endedSignIn(h, reply, details);
    const { grantId, created } = await grantFor(h.provider, details);
    return finishStep(h.provider, request, reply, { consent: created ? { grantId } : {} });
  });
}
