import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthError, fieldError } from '../../core/errors.js';
import type { SecondFactor } from '../../core/login/second-factors.js';
import type { LoginTransaction } from '../../core/login/establish-session.js';
import type { FactorRequired, LoginSuccess } from '../../core/login/verdict.js';
import { issueMfaToken } from '../../core/mfa/mfa-token.js';
import { passkeyStepScriptUrls } from '../../http/account/account-assets.js';
import { requestMeta } from '../../http/auth.js';
import type { ErrorRenderer } from '../../http/errors.js';
import { html } from '../../http/admin/console/html.js';
import { body, str } from '../../http/schemas.js';
import { openInteraction, stepPage, type Hosted } from './hosted-context.js';
import { redeemWithCodeInto, type TypedFactor } from '../../core/mfa/code-second-factor.js';
import { passkeyStepIfOffered, redeemWithPasskey } from '../../core/mfa/passkey-second-factor.js';
import { liveFactors } from './factor-check.js';
import { openFactorToken, sealFactorToken } from './factor-token.js';
import { assertInteractionForm, expiredText, uidParams, type Interaction } from './interaction-kit.js';
import { factorBody, messageBody, type Notice } from './pages.js';
import { finishSignIn } from './finish-sign-in.js';

const hide = { hide: true };
const typedFactors = ['totp', 'recovery_code'] as const;
const sealedToken = str(512);

interface FactorPage {
  /** The mfa_token sealed for this interaction (factor-token.ts), as the page carries it. */
  sealed: string;
  factors: readonly SecondFactor[];
  chosen?: string;
  notice?: Notice;
}

/** The second-factor page: the typed factor chosen (the first the account has, by default), and the passkey button when it has one. */
function factorPage(h: Hosted, reply: FastifyReply, details: Interaction, status: number, v: FactorPage): FastifyReply {
  const step = stepPage(h, reply.request, details);
  const passkey = v.factors.includes('passkey');
  const scripts = passkey ? passkeyStepScriptUrls() : [];
  return step.send(reply, status, step.t('Two-step verification'), factorBody(step.t, {
    action: `${step.action}/factor`,
    csrf: step.csrf,
    mfaToken: v.sealed,
    factors: v.factors,
    chosen: v.chosen ?? '',
    notice: v.notice,
    passkeyScript: passkey,
  }), scripts);
}

/** The step's mfa_token is spent, expired or not this interaction's: the password step starts again. */
function restartPage(h: Hosted, reply: FastifyReply, details: Interaction): FastifyReply {
  const { t, ...step } = stepPage(h, reply.request, details);
  return step.send(reply, 401, t('Two-step verification'), html`${messageBody(t('Two-step verification'), t('This verification step has expired or was already used. Sign in again to get a new one.'))}
<p><a class="btn btn-secondary btn-block" href="${step.action}">${t('Sign in again')}</a></p>`);
}

/** The password was right and the account has further factors: an mfa_token for this interaction, and the second-factor page. */
export async function startFactorStep(h: Hosted, request: FastifyRequest, reply: FastifyReply, details: Interaction, verdict: FactorRequired): Promise<FastifyReply> {
  const { mfaToken, factors } = await issueMfaToken(h.core, verdict, requestMeta(request));
  return factorPage(h, reply, details, 200, { sealed: sealFactorToken(h.core, details.uid, mfaToken), factors });
}

/** The interaction and form checks every factor post shares; the mfa_token it carries, opened for this interaction. */
async function factorForm(h: Hosted, request: FastifyRequest, reply: FastifyReply): Promise<{ details: Interaction; sealed: string; mfaToken: string | undefined }> {
  const details = await openInteraction(h, request, reply);
  assertInteractionForm(h.core, request, details.uid);
  if (details.prompt.name !== 'login') throw new AuthError('not_found', expiredText);
  const sealed = (request.body as { mfa_token: string }).mfa_token;
  return { details, sealed, mfaToken: openFactorToken(h.core, details.uid, sealed) };
}

/** Redeems the step's factor, finishing the login with `finish` (in the redemption's transaction when it hands one). */
type Redeem = (finish: (success: LoginSuccess, transaction?: LoginTransaction) => Promise<FastifyReply>) => Promise<FastifyReply>;

/**
 * The redeemed step: the interaction's login is finished as sign-in does it, with the factors' amr
 * (auth_time is the provider's own clock at this moment). A wrong factor shows the page again; a
 * token that is no longer live sends the person back to the password.
 */
async function settle(h: Hosted, request: FastifyRequest, reply: FastifyReply, form: { details: Interaction; sealed: string; mfaToken: string }, chosen: string, redeem: Redeem, wrongText: string): Promise<FastifyReply> {
  try {
    return await redeem((success, transaction) => finishSignIn(h, request, reply, success, 'second_factor', transaction));
  } catch (err) {
    if (!(err instanceof AuthError) || (err.code !== 'invalid_mfa_code' && err.code !== 'mfa_token_invalid')) throw err;
    const factors = err.code === 'invalid_mfa_code' ? await liveFactors(h.core, form.mfaToken) : undefined;
    if (!factors) return restartPage(h, reply, form.details);
    return factorPage(h, reply, form.details, 401, { sealed: form.sealed, factors, chosen, notice: { kind: 'error', text: wrongText } });
  }
}

function parseAssertion(text: string): AuthenticationResponseJSON {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw fieldError({ response: ['The passkey answer is not JSON.'] });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw fieldError({ response: ['The passkey answer is not an object.'] });
  return parsed as AuthenticationResponseJSON;
}

export function factorStep(app: FastifyInstance, h: Hosted, config: { renderError: ErrorRenderer }): void {
  app.post('/oidc/interaction/:uid/factor', {
    schema: { ...hide, params: uidParams, body: body({ _csrf: str(128), mfa_token: sealedToken, factor: { type: 'string', enum: typedFactors }, code: str(64) }, ['mfa_token', 'factor', 'code']) },
    config,
  }, async (request, reply) => {
    const form = await factorForm(h, request, reply);
    const { factor, code } = request.body as { factor: TypedFactor; code: string };
    if (!form.mfaToken) return restartPage(h, reply, form.details);
    const mfaToken = form.mfaToken;
    const { t } = stepPage(h, request, form.details);
    const wrong = factor === 'totp' ? t('That code is not right. Enter the current 6-digit code from your authenticator app.') : t('That recovery code is not right, or was already used.');
    return settle(h, request, reply, { ...form, mfaToken }, factor, (finish) => redeemWithCodeInto(h.core, mfaToken, factor, code.trim(), requestMeta(request), finish), wrong);
  });

  app.post('/oidc/interaction/:uid/factor/switch', {
    schema: { ...hide, params: uidParams, body: body({ _csrf: str(128), mfa_token: sealedToken, factor: { type: 'string', enum: typedFactors } }, ['mfa_token', 'factor']) },
    config,
  }, async (request, reply) => {
    const form = await factorForm(h, request, reply);
    const factors = form.mfaToken ? await liveFactors(h.core, form.mfaToken) : undefined;
    if (!factors) return restartPage(h, reply, form.details);
    return factorPage(h, reply, form.details, 200, { sealed: form.sealed, factors, chosen: (request.body as { factor: string }).factor });
  });

  app.post('/oidc/interaction/:uid/factor/passkey', {
    schema: { ...hide, params: uidParams, body: body({ _csrf: str(128), mfa_token: sealedToken, response: str(32_768) }, ['mfa_token', 'response']) },
    config,
  }, async (request, reply) => {
    const form = await factorForm(h, request, reply);
    const response = parseAssertion((request.body as { response: string }).response);
    if (!form.mfaToken) return restartPage(h, reply, form.details);
    const mfaToken = form.mfaToken;
    return settle(h, request, reply, { ...form, mfaToken }, '', async (finish) => finish(await redeemWithPasskey(h.core, mfaToken, response, requestMeta(request))), stepPage(h, request, form.details).t('The passkey could not be verified. Try again, or use a code.'));
  });

  // Called by the page's script: errors answer as problem JSON (the default renderer), which it shows.
  app.post('/oidc/interaction/:uid/factor/passkey/options', {
    schema: { ...hide, params: uidParams, body: body({ _csrf: str(128), mfa_token: sealedToken }, ['mfa_token']) },
  }, async (request, reply) => {
    const form = await factorForm(h, request, reply);
    const options = form.mfaToken ? await passkeyStepIfOffered(h.core, form.mfaToken, requestMeta(request)) : undefined;
    if (!options) throw new AuthError('mfa_token_invalid', 'This verification step has expired or was already used. Reload the page and sign in again.');
    return reply.header('cache-control', 'no-store').send(options);
  });
}
