import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/core.js';
import { signInConsole, signOutConsole } from '../../../core/admin/console-sessions.js';
import { AuthError } from '../../../core/errors.js';
import { formatDuration } from '../../../core/human-duration.js';
import { requestMeta } from '../../auth.js';
import { body, str } from '../../schemas.js';
import { assertSameOrigin, clearConsoleCookie, consoleSessionOf, setConsoleCookie } from '../admin-auth.js';
import { consoleSpeech, consoleErrorRenderer, consoleGuard, noticeFrom, redirectWith, safeNext, sendPage, sessionOfConsole } from './console-kit.js';
import { html } from './html.js';
import { barePage, noticeBox, type Notice, type Speech } from './layout.js';
import { enrolmentRequiredPage, signInFactorRoutes, startFactorStep } from './sign-in-factor.js';

function signInPage(speech: Speech, productName: string, next: string, login: string, notice?: Notice): string {
  const { t } = speech;
  return barePage(speech, productName, t('Sign in'), html`<div class="card bare-card">
  <h1>${t('Sign in')}</h1>
  <p class="muted">${t('Staff accounts only.')}</p>
  ${noticeBox(notice)}
  <form method="post" action="/admin/login" class="stack">
    <input type="hidden" name="next" value="${next}">
    <div class="field">
      <label for="login">${t('Username or email')}</label>
      <input id="login" name="login" type="text" autocomplete="username" required maxlength="254" value="${login}" autofocus>
    </div>
    <div class="field">
      <label for="password">${t('Password')}</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="4096">
    </div>
    <button type="submit" class="btn btn-primary btn-block">${t('Sign in')}</button>
  </form>
</div>`);
}

/** Why a sign-in failed, in words that do not tell whether the account exists. */
function failureNotice(err: AuthError, { locale, t }: Speech): Notice {
  switch (err.code) {
    case 'rate_limited':
    case 'account_locked':
      return { kind: 'error', text: typeof err.facts.retryAfter === 'number' ? t('Too many attempts. Try again in {{duration}}.', { duration: formatDuration(err.facts.retryAfter, { locale }) }) : t('Too many attempts. Try again in a few seconds.') };
    case 'permission_denied':
      return { kind: 'error', text: t('This account may not use the console.') };
    default:
      return { kind: 'error', text: t('Please enter a correct username or email and password.') };
  }
}

export function signInRoutes(app: FastifyInstance, core: Core): void {
  const config = { renderError: consoleErrorRenderer(core) };

  app.get('/admin/login', { schema: { hide: true }, config }, async (request, reply) => {
    const query = request.query as { next?: string };
    if (await consoleSessionOf(core, request)) return redirectWith(reply, safeNext(query.next));
    const speech = consoleSpeech(core, request);
    return sendPage(reply, signInPage(speech, core.config.productName, safeNext(query.next), '', noticeFrom(request.query, speech.t)));
  });

  app.post('/admin/login', {
    schema: { hide: true, body: body({ login: str(254), password: str(4096), next: str(300) }) },
    config,
  }, async (request, reply) => {
    assertSameOrigin(core, request);
    const form = request.body as { login?: string; password?: string; next?: string };
    const next = safeNext(form.next);
    const loginName = (form.login ?? '').trim();
    try {
      if (!loginName || !form.password) throw new AuthError('invalid_credentials');
      const result = await signInConsole(core, { login: loginName, password: form.password }, requestMeta(request));
      if (result.kind === 'factor_required') return startFactorStep(reply, core, result, next);
      setConsoleCookie(reply, core.config, result.token);
      return redirectWith(reply, next);
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      // Past the "require MFA" grace without a factor (core/mfa/password-login.ts decides): no session, enrol first.
      if (err.code === 'mfa_enrolment_required') return sendPage(reply, enrolmentRequiredPage(consoleSpeech(core, request), core.config.productName), 403);
      if (typeof err.facts.retryAfter === 'number') reply.header('retry-after', String(err.facts.retryAfter));
      const speech = consoleSpeech(core, request);
      return sendPage(reply, signInPage(speech, core.config.productName, next, loginName, failureNotice(err, speech)), err.status === 403 ? 403 : err.status === 429 ? 429 : 401);
    }
  });

  signInFactorRoutes(app, core, (request, reply, next, notice, status) => sendPage(reply, signInPage(consoleSpeech(core, request), core.config.productName, next, '', notice), status));

  app.post('/admin/logout', { schema: { hide: true }, config, preHandler: consoleGuard(core) }, async (request, reply) => {
    await signOutConsole(core, sessionOfConsole(request), requestMeta(request));
    clearConsoleCookie(reply, core.config);
    return redirectWith(reply, '/admin/login', 'signed_out');
  });
}
