import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/core.js';
import type { AdminActor } from '../../../core/admin/permissions.js';
import { createUserAsAdmin, deleteUserAsAdmin } from '../../../core/admin/user-admin.js';
import { resetUserMfa } from '../../../core/admin/user-mfa.js';
import {
  activateUserAsAdmin, clearLoginLock, deactivateUser, markEmailVerified, requireTarget, revokeUserSession,
  revokeUserSessions, sendPasswordResetMail, setPasswordAsAdmin,
} from '../../../core/admin/user-access.js';
import { consoleActor, consoleSpeech, consoleErrorRenderer, consoleGuard, fieldMessages, pageContext, redirectWith, sendPage } from './console-kit.js';
import { html } from './html.js';
import { consolePage, csrfField, type Notice } from './layout.js';
import { flagInputs, profileInputs, textField, userInputFromForm, valuesFromForm, type FormErrors, type FormValues } from './user-form.js';
import { renderUserDetail } from './user-detail-page.js';

/** One-button actions on an account: the core call, and the notice shown after. */
const actions: Record<string, { run: (core: Core, actor: AdminActor, id: number) => Promise<unknown>; notice: string }> = {
  activate: { run: activateUserAsAdmin, notice: 'activated' },
  deactivate: { run: deactivateUser, notice: 'deactivated' },
  'verify-email': { run: markEmailVerified, notice: 'verified' },
  'send-reset': { run: sendPasswordResetMail, notice: 'reset_sent' },
  unlock: { run: clearLoginLock, notice: 'unlocked' },
  'revoke-sessions': { run: revokeUserSessions, notice: 'sessions_revoked' },
  'mfa-reset': { run: resetUserMfa, notice: 'mfa_reset' },
};

const idParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]{1,15}$' } }, required: ['id'] } as const;

export function userActionRoutes(app: FastifyInstance, core: Core): void {
  const config = { renderError: consoleErrorRenderer(core) };
  const guard = consoleGuard(core);
  const idOf = (params: unknown) => Number((params as { id: string }).id);

  for (const [name, action] of Object.entries(actions)) {
    app.post(`/admin/users/:id/${name}`, { schema: { hide: true, params: idParams }, config, preHandler: guard }, async (request, reply) => {
      const id = idOf(request.params);
      await action.run(core, consoleActor(request), id);
      return redirectWith(reply, `/admin/users/${id}`, action.notice);
    });
  }

  app.post('/admin/users/:id/password', { schema: { hide: true, params: idParams }, config, preHandler: guard }, async (request, reply) => {
    const id = idOf(request.params);
    try {
      await setPasswordAsAdmin(core, consoleActor(request), id, (request.body as { password?: unknown }).password);
    } catch (err) {
      const { locale, t } = consoleSpeech(core, request);
      const errors = fieldMessages(err, locale);
      if (!errors) throw err;
      return renderUserDetail(core, request, reply, await requireTarget(core, id), { errors, notice: { kind: 'error', text: t('The password was not set.') }, status: 400 });
    }
    return redirectWith(reply, `/admin/users/${id}`, 'password_set');
  });

  app.post('/admin/users/:id/sessions/:sessionId/revoke', {
    schema: { hide: true, params: { type: 'object', properties: { id: idParams.properties.id, sessionId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } }, required: ['id', 'sessionId'] } },
    config,
    preHandler: guard,
  }, async (request, reply) => {
    const params = request.params as { id: string; sessionId: string };
    await revokeUserSession(core, consoleActor(request), Number(params.id), params.sessionId);
    return redirectWith(reply, `/admin/users/${params.id}`, 'session_revoked');
  });

  app.post('/admin/users/:id/delete', { schema: { hide: true, params: idParams }, config, preHandler: guard }, async (request, reply) => {
    await deleteUserAsAdmin(core, consoleActor(request), idOf(request.params));
    return redirectWith(reply, '/admin/users', 'deleted');
  });

  const newUserPage = (request: Parameters<typeof pageContext>[1], values: FormValues, errors: FormErrors, notice?: Notice) => {
    const ctx = pageContext(core, request);
    const { t } = ctx;
    const body = html`<section class="card narrow">
  <form method="post" action="/admin/users/new" class="stack">
    ${csrfField(ctx.session)}
    ${profileInputs(t, values, errors)}
    ${textField('password', t('Password'), '', errors, { type: 'password', autocomplete: 'new-password', required: true, help: t('The password policy applies. You can send a reset mail afterwards so they choose their own.'), maxlength: 4096 })}
    ${flagInputs(t, values, errors, ctx.session.user.is_superuser)}
    <div class="form-buttons"><button type="submit" class="btn btn-primary">${t('Create user')}</button><a class="btn btn-ghost" href="/admin/users">${t('Cancel')}</a></div>
  </form>
</section>`;
    return consolePage(ctx, { title: t('New user'), section: 'users', notice, body });
  };

  app.get('/admin/users/new', { schema: { hide: true }, config, preHandler: guard }, async (request, reply) => sendPage(reply, newUserPage(request, { is_active: true }, undefined)));

  app.post('/admin/users/new', { schema: { hide: true }, config, preHandler: guard }, async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, unknown>;
    const actor = consoleActor(request);
    try {
      const user = await createUserAsAdmin(core, actor, { ...userInputFromForm(form, actor.user.is_superuser), password: form.password });
      return redirectWith(reply, `/admin/users/${user.id}`, 'created');
    } catch (err) {
      const { locale, t } = consoleSpeech(core, request);
      const errors = fieldMessages(err, locale);
      if (!errors) throw err;
      const text = errors.non_field_errors ?? t('Please correct the errors below.');
      return sendPage(reply, newUserPage(request, valuesFromForm(form), errors, { kind: 'error', text }), 400);
    }
  });
}
