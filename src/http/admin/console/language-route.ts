import type { FastifyInstance } from 'fastify';
import { updateProfile } from '../../../core/account.js';
import type { Core } from '../../../core/core.js';
import { AuthError } from '../../../core/errors.js';
import { locales, type Locale } from '../../../core/locales.js';
import { requestMeta } from '../../auth.js';
import { body, str } from '../../schemas.js';
import { consoleErrorRenderer, consoleGuard, redirectWith, safeNext, sessionOfConsole } from './console-kit.js';

/** Refusals of the language form, in English (the error page translates them). */
export const unknownLanguage = 'Choose a language the console speaks, or the browser default.';
export const formOnly = 'This form is sent as application/x-www-form-urlencoded.';
export const unexpectedFields = 'The form sent a field it does not have. Reload the page and try again.';

/**
 * POST /admin/language: the staff member's own language (users.locale), stored through the same
 * core call and audit as PATCH /v1/me's `locale`. '' clears it (the browser's language again).
 */
const formFields = ['_csrf', 'locale', 'next'];

export function languageRoute(app: FastifyInstance, core: Core): void {
  app.post('/admin/language', {
    schema: { hide: true, body: body({ _csrf: str(100), locale: str(35), next: str(300) }, ['_csrf', 'locale']) },
    bodyLimit: 4096,
    config: { renderError: consoleErrorRenderer(core) },
    // A browser's form only, and only its fields: the server's validator drops unknown fields silently, this form refuses them.
    preValidation: async (request) => {
      if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(request.headers['content-type'] ?? '')) throw new AuthError('unsupported_media_type', formOnly);
      const extra = Object.keys((request.body ?? {}) as object).filter((key) => !formFields.includes(key));
      if (extra.length) throw new AuthError('validation_failed', unexpectedFields, Object.fromEntries(extra.map((key) => [key, [unexpectedFields]])));
    },
    preHandler: consoleGuard(core),
  }, async (request, reply) => {
    const form = request.body as { locale: string; next?: string };
    if (form.locale !== '' && !(locales as readonly string[]).includes(form.locale)) throw new AuthError('validation_failed', unknownLanguage);
    const locale = form.locale === '' ? null : (form.locale as Locale);
    await updateProfile(core, sessionOfConsole(request).user.id, { locale }, { emailChange: 'verify' }, requestMeta(request));
    return redirectWith(reply, safeNext(form.next));
  });
}
