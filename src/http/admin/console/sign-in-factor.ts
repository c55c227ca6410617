import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../../config.js';
import type { ConsoleSignIn } from '../../../core/admin/console-sessions.js';
import { consoleFactorStep, finishConsoleSignIn, type ConsoleFactor } from '../../../core/admin/console-sign-in-factor.js';
import type { Core } from '../../../core/core.js';
import { AuthError } from '../../../core/errors.js';
import { constantTimeEqual, secretHmac } from '../../../core/secrets.js';
import { passkeyStepScriptUrls } from '../../account/account-assets.js';
import { requestMeta } from '../../auth.js';
import { body, str } from '../../schemas.js';
import { assertSameOrigin, secureCookies, setConsoleCookie } from '../admin-auth.js';
import type { Translate } from '../../../i18n/index.js';
import { passkeyStepCatalogue } from '../../account/account-messages.js';
import { consoleErrorRenderer, consoleHeaders, consoleSpeech, redirectWith, safeNext, sendPage, staleForm } from './console-kit.js';
import { html } from './html.js';
import { barePage, noticeBox, type Notice, type Speech } from './layout.js';

/** Renders the password page again (a new attempt), with why. */
export type RestartSignIn = (request: FastifyRequest, reply: FastifyReply, next: string, notice: Notice, status: number) => FastifyReply;

/**
 * The mfa_token of a console sign-in waiting for its second factor lives only in this cookie:
 * httpOnly (no script reads it), SameSite=Strict, as long as the token. `__Host-` over HTTPS.
 */
function factorCookieName(config: Config): string {
  return secureCookies(config) ? '__Host-gatehouse_console_mfa' : 'gatehouse_console_mfa';
}

function setFactorCookie(reply: FastifyReply, config: Config, mfaToken: string, maxAge: number): void {
  reply.setCookie(factorCookieName(config), mfaToken, { httpOnly: true, secure: secureCookies(config), sameSite: 'strict', path: '/', maxAge });
}

function clearFactorCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(factorCookieName(config), { httpOnly: true, secure: secureCookies(config), sameSite: 'strict', path: '/' });
}

const factorTokenOf = (core: Core, request: FastifyRequest): string | undefined => request.cookies?.[factorCookieName(core.config)] || undefined;

/** The step form's CSRF token: bound to this attempt's mfa_token, unforgeable without the server's secret. */
const stepCsrf = (core: Core, mfaToken: string) => secretHmac(core.secretKey, 'console-mfa-csrf', mfaToken).toString('base64url');


function factorPage(speech: Speech, core: Core, mfaToken: string, step: { factors: readonly string[]; passkeyOptions?: unknown }, next: string, notice?: Notice): string {
  const { t } = speech;
  const csrf = stepCsrf(core, mfaToken);
  const codes = step.factors.includes('totp') || step.factors.includes('recovery_code');
  const codeForm = codes ? html`<form method="post" action="/admin/login/factor" class="stack">
    <input type="hidden" name="_csrf" value="${csrf}">
    <input type="hidden" name="next" value="${next}">
    <div class="field">
      <label for="code">${step.factors.includes('recovery_code') ? t('Code from your authenticator app, or a recovery code') : t('Code from your authenticator app')}</label>
      <input id="code" name="code" type="text" autocomplete="one-time-code" autocapitalize="off" spellcheck="false" required maxlength="64" autofocus>
    </div>
    <button type="submit" class="btn btn-primary btn-block">${t('Verify')}</button>
  </form>` : '';
  const passkeyForm = step.passkeyOptions ? html`<form method="post" action="/admin/login/factor" data-passkey-step data-response-field="passkey" data-options="${JSON.stringify(step.passkeyOptions)}" data-i18n="${passkeyStepCatalogue(t)}" class="stack">
    <input type="hidden" name="_csrf" value="${csrf}">
    <input type="hidden" name="next" value="${next}">
    <input type="hidden" name="passkey" value="">
    <div data-passkey-block hidden><button type="button" data-passkey-button class="btn ${codes ? 'btn-secondary' : 'btn-primary'} btn-block">${t('Use a passkey')}</button></div>
    <p data-passkey-error class="field-error" role="alert" hidden></p>
    <noscript><p class="field-error">${t('Using a passkey needs JavaScript.')}</p></noscript>
  </form>
  ${passkeyStepScriptUrls().map((src) => html`<script src="${src}" defer></script>`)}` : '';
  return barePage(speech, core.config.productName, t('Two-step verification'), html`<div class="card bare-card">
  <h1>${t('Two-step verification')}</h1>
  <p class="muted">${t('Your password was right. Confirm it is you with your second factor.')}</p>
  ${noticeBox(notice)}
  ${codeForm}
  ${passkeyForm}
  <p><a href="/admin/login${next === '/admin' ? '' : `?next=${encodeURIComponent(next)}`}">${t('Start again')}</a></p>
</div>`);
}

/** What a staff member past the "require MFA" grace without a factor sees instead of a console session. */
export function enrolmentRequiredPage(speech: Speech, productName: string): string {
  const { t } = speech;
  return barePage(speech, productName, t('Add a second factor'), html`<div class="card bare-card">
  <h1>${t('Add a second factor first')}</h1>
  <p>${t('Your account must enrol a second factor (an authenticator app or a passkey) before it may use the console: staff accounts are required to have one, and the time to add it has run out.')}</p>
  <p>${t('Add one on your account page, then sign in here again.')}</p>
  <p><a class="btn btn-primary btn-block" href="/account">${t('Go to your account page')}</a></p>
  <p><a href="/admin/login">${t('Back to sign-in')}</a></p>
</div>`);
}

/** The password was right and the account has further factors: keep the attempt in its cookie and go to the second step. */
export function startFactorStep(reply: FastifyReply, core: Core, started: Extract<ConsoleSignIn, { kind: 'factor_required' }>, next: string): FastifyReply {
  setFactorCookie(reply, core.config, started.mfaToken, started.expiresIn);
  return reply.code(303).headers(consoleHeaders).header('location', `/admin/login/factor${next === '/admin' ? '' : `?next=${encodeURIComponent(next)}`}`).send();
}

/** A posted passkey assertion, or undefined when the field is not one (a JSON object with an id). */
function assertionOf(text: string): AuthenticationResponseJSON | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) && typeof (value as { id?: unknown }).id === 'string' ? (value as AuthenticationResponseJSON) : undefined;
  } catch {
    return undefined;
  }
}

const expired = (t: Translate): Notice => ({ kind: 'error', text: t('This sign-in attempt has expired or had too many wrong codes. Sign in again.') });

/** The second step of a console sign-in: GET the page, POST a code or a passkey assertion. */
export function signInFactorRoutes(app: FastifyInstance, core: Core, restart: RestartSignIn): void {
  const config = { renderError: consoleErrorRenderer(core) };

  app.get('/admin/login/factor', { schema: { hide: true }, config }, async (request, reply) => {
    const next = safeNext((request.query as { next?: unknown }).next);
    const { t } = consoleSpeech(core, request);
    const mfaToken = factorTokenOf(core, request);
    const step = mfaToken ? await consoleFactorStep(core, mfaToken, requestMeta(request)) : undefined;
    if (!mfaToken || !step) {
      clearFactorCookie(reply, core.config);
      return mfaToken ? restart(request, reply, next, expired(t), 401) : redirectWith(reply, next === '/admin' ? '/admin/login' : `/admin/login?next=${encodeURIComponent(next)}`);
    }
    return sendPage(reply, factorPage(consoleSpeech(core, request), core, mfaToken, step, next));
  });

  app.post('/admin/login/factor', {
    schema: { hide: true, body: body({ _csrf: str(100), next: str(300), code: str(64), passkey: str(16_384) }, ['_csrf']) },
    config,
  }, async (request, reply) => {
    assertSameOrigin(core, request);
    const form = request.body as { _csrf: string; next?: string; code?: string; passkey?: string };
    const next = safeNext(form.next);
    const { t } = consoleSpeech(core, request);
    const meta = requestMeta(request);
    const mfaToken = factorTokenOf(core, request);
    if (!mfaToken) return restart(request, reply, next, expired(t), 401);
    if (!constantTimeEqual(form._csrf, stepCsrf(core, mfaToken))) throw new AuthError('permission_denied', staleForm);
    const again = async (notice: Notice, status: number) => {
      const step = await consoleFactorStep(core, mfaToken, meta);
      if (!step) {
        clearFactorCookie(reply, core.config);
        return restart(request, reply, next, expired(t), 401);
      }
      return sendPage(reply, factorPage(consoleSpeech(core, request), core, mfaToken, step, next, notice), status);
    };
    const code = (form.code ?? '').trim();
    const passkey = form.passkey ?? '';
    let factor: ConsoleFactor;
    if (code && !passkey) factor = { kind: 'code', code };
    else if (passkey && !code) {
      const response = assertionOf(passkey);
      if (!response) return again({ kind: 'error', text: t('The passkey answer could not be read. Try again.') }, 400);
      factor = { kind: 'passkey', response };
    } else return again({ kind: 'error', text: t('Enter the code from your authenticator app, a recovery code, or use a passkey.') }, 400);
    try {
      const { token } = await finishConsoleSignIn(core, mfaToken, factor, meta);
      clearFactorCookie(reply, core.config);
      setConsoleCookie(reply, core.config, token);
      return redirectWith(reply, next);
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      switch (err.code) {
        case 'invalid_mfa_code':
          return again({ kind: 'error', text: factor.kind === 'passkey' ? t('That passkey could not be verified. Try again, or use a code.') : t('That code is not right. Try again.') }, 401);
        case 'mfa_token_invalid':
          clearFactorCookie(reply, core.config);
          return restart(request, reply, next, expired(t), 401);
        case 'permission_denied':
          clearFactorCookie(reply, core.config);
          return restart(request, reply, next, { kind: 'error', text: t('This account may not use the console.') }, 403);
        default:
          throw err;
      }
    }
  });
}
