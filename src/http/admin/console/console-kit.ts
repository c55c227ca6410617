import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Core } from '../../../core/core.js';
import type { ConsoleSession } from '../../../core/admin/console-sessions.js';
import { csrfMatches } from '../../../core/admin/console-sessions.js';
import type { AdminActor } from '../../../core/admin/permissions.js';
import { AuthError, errorCatalog } from '../../../core/errors.js';
import type { ErrorRenderer } from '../../errors.js';
import { requestMeta } from '../../auth.js';
import { assertSameOrigin, consoleSessionOf } from '../admin-auth.js';
import { localeOf, type Locale } from '../../../core/locales.js';
import { translateMessage, translator, type Translate } from '../../../i18n/index.js';
import { askedLocale, browserLocale } from '../../locale.js';
import { barePage, type Notice, type PageContext, type Speech } from './layout.js';
import { html } from './html.js';
import { pageCsp } from '../../security-headers.js';

/**
 * Headers on every console response besides the server-wide ones (security-headers.ts: never
 * framed, nosniff): the strict page CSP named, never cached, the referrer kept within the console.
 */
export const consoleHeaders: Record<string, string> = {
  'content-security-policy': pageCsp(),
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** Only local console paths may be a post-sign-in destination (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/admin([/?][A-Za-z0-9/_?=&%.+-]*)?$/.test(next) && !next.includes('..') && !next.includes('//') ? next : '/admin';
}

/**
 * Console pages render errors as pages: no session sends the browser to sign in (and back), anything
 * else is a short page with the reason and a way back.
 */
export function consoleErrorRenderer(core: Core): ErrorRenderer {
  return (err, request) => {
    const speech = consoleSpeech(core, request);
    if (err.code === 'not_authenticated') {
      const next = request.method === 'GET' ? safeNext(request.url) : '/admin';
      const location = next === '/admin' ? '/admin/login' : `/admin/login?next=${encodeURIComponent(next)}`;
      return { status: 303, body: '', headers: { ...consoleHeaders, location } };
    }
    const { t } = speech;
    const title = t(errorCatalog[err.code].title);
    const body = barePage(speech, core.config.productName, title, html`<div class="card bare-card">
  <h1>${title}</h1>
  <p>${translateMessage(speech.locale, err.message)}</p>
  <p><a class="btn btn-secondary" href="/admin">${t('Back to the console')}</a></p>
</div>`);
    const headers: Record<string, string> = { ...consoleHeaders };
    if (typeof err.facts.retryAfter === 'number') headers['retry-after'] = String(err.facts.retryAfter);
    return { status: err.status, body, contentType: 'text/html; charset=utf-8', headers };
  };
}

/** The refusal of a console form without this session's CSRF token (shown through translateMessage). */
export const staleForm = 'The form has expired or did not come from this console. Go back, reload the page and try again.';

/**
 * Messages console routes throw in English and the error page translates (translateMessage): listed
 * so test/i18n/console-pages.test.ts can require their French.
 */
export const consoleMessages: readonly string[] = [
  staleForm, 'Cross-origin request refused.', 'Choose an action.',
  // http/errors.ts, for a body the console's forms never send
  'Request body is too large.', 'Unsupported media type in request. Send application/json, application/x-www-form-urlencoded or multipart/form-data.',
];

/**
 * Every signed-in console route: a live session, and on POST the same origin and the session's
 * CSRF token from the form's `_csrf` field.
 */
export function consoleGuard(core: Core): preHandlerAsyncHookHandler {
  return async function (request: FastifyRequest) {
    const session = await consoleSessionOf(core, request);
    if (!session) throw new AuthError('not_authenticated');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      assertSameOrigin(core, request);
      const form = request.body as Record<string, unknown> | undefined;
      if (!csrfMatches(session, form && typeof form === 'object' ? form._csrf : undefined)) {
        throw new AuthError('permission_denied', staleForm);
      }
    }
  };
}

export function sessionOfConsole(request: FastifyRequest): ConsoleSession {
  if (!request.consoleSession) throw new AuthError('not_authenticated');
  return request.consoleSession;
}

export function consoleActor(request: FastifyRequest): AdminActor {
  return { user: sessionOfConsole(request).user, meta: requestMeta(request) };
}

/**
 * The language of a console page: `?lang=` when a link carries one, else the signed-in staff
 * member's stored language (users.locale, as /account after sign-in), else the browser's
 * Accept-Language, else the deployment's default.
 */
export function consoleSpeech(core: Pick<Core, 'config'>, request: FastifyRequest): Speech {
  const locale = askedLocale(request) ?? localeOf(request.consoleSession?.user.locale) ?? browserLocale(request) ?? core.config.defaultLocale;
  return { locale, t: translator(locale) };
}

export function pageContext(core: Core, request: FastifyRequest): PageContext {
  return { session: sessionOfConsole(request), productName: core.config.productName, path: returnPath(request.url), ...consoleSpeech(core, request) };
}

/** Where a form on this page (the language choice) comes back to: this path without its one-time notice or `?lang=`. */
function returnPath(url: string): string {
  const parsed = new URL(url, 'http://x');
  for (const key of ['notice', 'ok', 'failed', 'lang']) parsed.searchParams.delete(key);
  return safeNext(parsed.pathname + parsed.search);
}

export function sendPage(reply: FastifyReply, page: string, status = 200): FastifyReply {
  return reply.code(status).headers(consoleHeaders).type('text/html; charset=utf-8').send(page);
}

/** POST-redirect-GET: the next page shows `notice` (a code from `notices`, never free text from the URL). */
export function redirectWith(reply: FastifyReply, location: string, notice?: string, extra: Record<string, number> = {}): FastifyReply {
  const url = new URL(location, 'http://x');
  if (notice) url.searchParams.set('notice', notice);
  for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, String(v));
  return reply.code(303).headers(consoleHeaders).header('location', url.pathname + url.search).send();
}

/** Notices by code, the text in English (the msgid noticeFrom translates). */
export const notices: Record<string, Notice | ((q: Record<string, string>, t: Translate) => Notice)> = {
  signed_out: { kind: 'info', text: 'You have signed out.' },
  created: { kind: 'ok', text: 'User created.' },
  invited: { kind: 'ok', text: 'Invitation sent. The account waits for its owner to choose a password.' },
  saved: { kind: 'ok', text: 'Changes saved.' },
  activated: { kind: 'ok', text: 'User activated. They have been told by mail.' },
  deactivated: { kind: 'ok', text: 'User deactivated. Their sessions and tokens stopped working.' },
  verified: { kind: 'ok', text: 'Email address marked as verified.' },
  password_set: { kind: 'ok', text: "Password set. The user's sessions were ended and they were told by mail." },
  reset_sent: { kind: 'ok', text: 'Password-reset mail queued.' },
  sessions_revoked: { kind: 'ok', text: 'All sessions ended.' },
  mfa_reset: { kind: 'ok', text: 'Second factors removed. The user\'s sessions were ended and they were told by mail.' },
  session_revoked: { kind: 'ok', text: 'Session ended.' },
  unlocked: { kind: 'ok', text: 'Login lock cleared.' },
  deleted: { kind: 'ok', text: 'User deleted.' },
  settings_saved: { kind: 'ok', text: 'Settings saved. They apply now on every instance.' },
  settings_unchanged: { kind: 'info', text: 'Nothing changed.' },
  mail_retried: { kind: 'ok', text: 'Mail queued again.' },
  bulk: (q, t) => {
    const ok = Math.max(0, Math.trunc(Number(q.ok) || 0));
    const failed = Math.max(0, Math.trunc(Number(q.failed) || 0));
    const updated = t(ok === 1 ? '{{n}} user updated' : '{{n}} users updated', { n: ok });
    return { kind: failed ? 'error' : 'ok', text: failed ? t('{{updated}}, {{n}} refused (staff accounts need a superuser; you cannot deactivate yourself).', { updated, n: failed }) : t('{{updated}}.', { updated }) };
  },
};

/** The notice a redirect asked for, in the page's language. */
export function noticeFrom(query: unknown, t: Translate): Notice | undefined {
  const q = (query ?? {}) as Record<string, string>;
  const entry = typeof q.notice === 'string' && Object.hasOwn(notices, q.notice) ? notices[q.notice] : undefined;
  if (typeof entry === 'function') return entry(q, t);
  return entry && { kind: entry.kind, text: t(entry.text) };
}

/** The messages of each field of a validation error, for forms: in `locale` when given (core writes them in English). */
export function fieldMessages(err: unknown, locale?: Locale): Record<string, string> | undefined {
  if (!(err instanceof AuthError) || !err.fields) return undefined;
  const say = (message: string) => (locale ? translateMessage(locale, message) : message);
  return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, v.map(say).join(' ')]));
}
