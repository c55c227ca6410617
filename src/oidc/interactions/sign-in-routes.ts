import type { FastifyInstance, FastifyReply } from 'fastify';
import { AuthError } from '../../core/errors.js';
import { authenticateLogin, loginRefusal } from '../../core/login.js';
import { requestPasswordReset } from '../../core/recovery/index.js';
import { requestMeta } from '../../http/auth.js';
import { body, str } from '../../http/schemas.js';
import { html } from '../../http/admin/console/html.js';
import { clientFacts, errorText, hostedErrorRenderer, hostedLocale, openInteraction, stepPage, type Hosted } from './hosted-context.js';
import { consentStep } from './consent-routes.js';
import { factorStep, startFactorStep } from './factor-routes.js';
import { finishSignIn } from './finish-sign-in.js';
import { assertInteractionForm, uidParams, type Interaction } from './interaction-kit.js';
import { messageBody, signInBody, type Notice } from './pages.js';

const hide = { hide: true };

/**
 * The account is in: a Gatehouse session is opened (so ending it — logout, reset, deactivation —
 * ends this sign-in's grants too), and the provider is told who signed in. The Gatehouse session
 * id rides in the interaction result, which the provider keeps server-side; the resume hook links
 * it to the provider session (backchannel-links.ts).
 */
export function signInRoutes(app: FastifyInstance, h: Hosted): void {
  const config = { renderError: hostedErrorRenderer(h.core) };
  const forgotUrl = (uid: string) => `/oidc/interaction/${uid}/forgot`;

  const signInPage = async (reply: FastifyReply, details: Interaction, status: number, login = '', notice?: Notice) => {
    const step = stepPage(h, reply.request, details);
    const client = await clientFacts(h.provider, details, step.t);
    return step.send(reply, status, step.t('Sign in'), signInBody(step.t, { action: `${step.action}/login`, csrf: step.csrf, client, login, notice, forgotUrl: forgotUrl(details.uid) }));
  };

  app.get('/oidc/interaction/:uid', { schema: { ...hide, params: uidParams }, config }, async (request, reply) => {
    const details = await openInteraction(h, request, reply);
    switch (details.prompt.name) {
      case 'login':
        return signInPage(reply, details, 200, typeof details.params.login_hint === 'string' ? details.params.login_hint.slice(0, 254) : '');
      case 'consent':
        return consentStep(h, request, reply, details);
      default:
        throw new AuthError('not_found', 'This step is not supported here. Go back to the application and start again.');
    }
  });

  app.post('/oidc/interaction/:uid/login', {
    schema: { ...hide, params: uidParams, body: body({ _csrf: str(128), login: str(254), password: str(4096) }) },
    config,
  }, async (request, reply) => {
    const details = await openInteraction(h, request, reply);
    assertInteractionForm(h.core, request, details.uid);
    if (details.prompt.name !== 'login') throw new AuthError('not_found', 'This sign-in step is already done. Go back to the application and start again.');
    const form = request.body as { login?: string; password?: string };
    const login = (form.login ?? '').trim();
    try {
      if (!login || !form.password) throw new AuthError('invalid_credentials');
      const verdict = await authenticateLogin(h.core, { login, password: form.password }, { by: 'either' }, requestMeta(request));
      if (verdict.kind === 'failure') throw loginRefusal(verdict.reason);
      if (verdict.kind === 'factor_required') return startFactorStep(h, request, reply, details, verdict);
      return await finishSignIn(h, request, reply, verdict, 'password');
    } catch (err) {
      if (!(err instanceof AuthError) || err.code === 'not_found') throw err;
      if (typeof err.facts.retryAfter === 'number') reply.header('retry-after', String(err.facts.retryAfter));
      // The pipeline's own words (one for unknown, wrong and locked alike), in the page's language.
      return signInPage(reply, details, err.status, login, { kind: 'error', text: errorText(hostedLocale(h.core, request, details.params), err) });
    }
  });

  factorStep(app, h, config);

  app.get('/oidc/interaction/:uid/forgot', { schema: { ...hide, params: uidParams }, config }, async (request, reply) => {
    const details = await openInteraction(h, request, reply);
    return forgotPage(h, reply, details, 200);
  });

  app.post('/oidc/interaction/:uid/forgot', {
    schema: { ...hide, params: uidParams, body: body({ _csrf: str(128), email: str(254) }) },
    config,
  }, async (request, reply) => {
    const details = await openInteraction(h, request, reply);
    assertInteractionForm(h.core, request, details.uid);
    const email = ((request.body as { email?: string }).email ?? '').trim();
    try {
      await requestPasswordReset(h.core, { email }, requestMeta(request));
    } catch (err) {
      if (!(err instanceof AuthError) || err.code === 'not_found') throw err;
      if (typeof err.facts.retryAfter === 'number') reply.header('retry-after', String(err.facts.retryAfter));
      return forgotPage(h, reply, details, err.status, email, { kind: 'error', text: errorText(hostedLocale(h.core, request, details.params), err) });
    }
    const { t, ...step } = stepPage(h, request, details);
    return step.send(reply, 200, t('Check your mail'), html`${messageBody(t('Check your mail'), t('If an account uses this address, a link to choose a new password is on its way. Open it, set the password, then come back here to sign in.'))}
<p><a class="btn btn-secondary btn-block" href="${step.action}">${t('Back to sign in')}</a></p>`);
  });
}

function forgotPage(h: Hosted, reply: FastifyReply, details: Interaction, status: number, email = '', notice?: Notice): FastifyReply {
  const { t, ...step } = stepPage(h, reply.request, details);
  return step.send(reply, status, t('Forgot your password?'), html`<h1>${t('Forgot your password?')}</h1>
<p class="muted">${t("Enter your account's email address and we will mail you a link to choose a new one.")}</p>
${notice ? html`<div class="notice notice-error" role="alert">${notice.text}</div>` : ''}
<form method="post" action="${step.action}/forgot" class="stack">
  <input type="hidden" name="_csrf" value="${step.csrf}">
  <div class="field">
    <label for="email">${t('Email address')}</label>
    <input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${email}" autofocus>
  </div>
  <button type="submit" class="btn btn-primary btn-block">${t('Send the link')}</button>
</form>
<p class="small"><a href="${step.action}">${t('Back to sign in')}</a></p>`);
}
