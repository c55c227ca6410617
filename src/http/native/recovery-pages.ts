import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Locale } from '../../core/locales.js';
import { translateMessage, translator } from '../../i18n/index.js';
import { requestLocale } from '../locale.js';
import type { Core } from '../../core/core.js';
import { AuthError, errorCatalog } from '../../core/errors.js';
import { resetPasswordWithProof, verifyEmail } from '../../core/recovery/index.js';
import { requestMeta } from '../auth.js';
import type { ErrorRenderer } from '../errors.js';
import { body, str } from '../schemas.js';
import { pageCsp } from '../security-headers.js';

/**
 * Where the default mail links (GATEHOUSE_RESET_URL / GATEHOUSE_VERIFY_URL) lead, so a link works
 * before a team points them at its own front end. Plain forms, no script; nothing changes on GET,
 * because mail scanners open links.
 */
const css = 'body{font:16px/1.5 system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem;color:#222}input,button{font:inherit;padding:.5rem;width:100%;box-sizing:border-box;margin:.25rem 0 1rem}button{background:#2456d3;color:#fff;border:0;border-radius:6px}.error{color:#b00020}';
// Besides the server-wide headers (security-headers.ts; the token is in the URL, and the referrer
// policy there never hands it to another site): no script at all, the one inline style by hash.
const headers: Record<string, string> = {
  'content-security-policy': pageCsp({ scripts: false, inlineStyles: [css] }),
  'cache-control': 'no-store',
};

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c]!);

function page(core: Core, locale: Locale, title: string, inner: string): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · ${esc(core.config.productName)}</title>
<style>${css}</style>
</head><body><h1>${esc(title)}</h1>${inner}</body></html>`;
}

function send(reply: FastifyReply, status: number, markup: string): FastifyReply {
  return reply.code(status).headers(headers).type('text/html; charset=utf-8').send(markup);
}

const tokenQuery = { type: 'object', properties: { token: str(128) } } as const;

type Form = (locale: Locale, token: string, error?: string) => string;

export function recoveryPages(app: FastifyInstance, core: Core): void {
  // The language a page speaks: ?lang= or Accept-Language, else the deployment's default.
  const pageLocale = (request: FastifyRequest): Locale => requestLocale(request) ?? core.config.defaultLocale;
  const resetForm: Form = (locale, token, error) => {
    const t = translator(locale);
    return page(core, locale, t('Choose a new password'), `${error ? `<p class="error">${esc(error)}</p>` : ''}
<form method="post" action="/reset-password"><input type="hidden" name="token" value="${esc(token)}">
<label>${esc(t('New password'))}<input type="password" name="new_password" autocomplete="new-password" required autofocus></label>
<button type="submit">${esc(t('Set password'))}</button></form>`);
  };
  const verifyForm: Form = (locale, token, error) => {
    const t = translator(locale);
    return page(core, locale, t('Confirm your email address'), `${error ? `<p class="error">${esc(error)}</p>` : ''}
<form method="post" action="/verify-email"><input type="hidden" name="token" value="${esc(token)}"><button type="submit">${esc(t('Confirm my address'))}</button></form>`);
  };
  const renderAs = (form: Form): ErrorRenderer => (err, request) => ({
    status: err.status,
    body: form(pageLocale(request), String((request.body as { token?: unknown } | undefined)?.token ?? ''), messageOf(pageLocale(request), err)),
    contentType: 'text/html; charset=utf-8',
    headers,
  });
  const hidden = { hide: true };

  app.get('/reset-password', { schema: { ...hidden, querystring: tokenQuery }, config: { renderError: renderAs(resetForm) } }, async (request, reply) =>
    send(reply, 200, resetForm(pageLocale(request), (request.query as { token?: string }).token ?? '')));

  app.post('/reset-password', {
    schema: { ...hidden, body: body({ token: str(128), new_password: str(4096) }) },
    config: { renderError: renderAs(resetForm) },
  }, async (request, reply) => {
    const input = request.body as { token?: string; new_password?: string };
    await resetPasswordWithProof(core, { linkToken: input.token ?? '', newPassword: input.new_password ?? '' }, requestMeta(request));
    const t = translator(pageLocale(request));
    return send(reply, 200, page(core, pageLocale(request), t('Password changed'), `<p>${esc(t('Your password has been changed, and every session of your account has ended. You can sign in with the new password.'))}</p>`));
  });

  app.get('/verify-email', { schema: { ...hidden, querystring: tokenQuery }, config: { renderError: renderAs(verifyForm) } }, async (request, reply) =>
    send(reply, 200, verifyForm(pageLocale(request), (request.query as { token?: string }).token ?? '')));

  app.post('/verify-email', {
    schema: { ...hidden, body: body({ token: str(128) }) },
    config: { renderError: renderAs(verifyForm) },
  }, async (request, reply) => {
    const user = await verifyEmail(core, { token: (request.body as { token?: string }).token ?? '' }, requestMeta(request));
    const t = translator(pageLocale(request));
    return send(reply, 200, page(core, pageLocale(request), t('Address confirmed'), `<p>${esc(t('{{email}} is confirmed.', { email: user.email }))}</p>`));
  });
}

/** One line for a person, in their language: the field messages when there are any, else the error's message. */
function messageOf(locale: Locale, err: AuthError): string {
  const fields = Object.values(err.fields ?? {}).flat();
  const messages = fields.length ? fields : [err.message || errorCatalog[err.code].title];
  return messages.map((m) => translateMessage(locale, m)).join(' ');
}
