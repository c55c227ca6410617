import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/core.js';
import { inviteUser, type InviteInput } from '../../../core/admin/invite-user.js';
import { settingDefs } from '../../../core/settings.js';
import { consoleActor, consoleSpeech, consoleErrorRenderer, consoleGuard, fieldMessages, pageContext, redirectWith, sendPage } from './console-kit.js';
import { html } from './html.js';
import { consolePage, csrfField, type Notice } from './layout.js';
import { checkbox, textField, valuesFromForm, type FormErrors, type FormValues } from './user-form.js';

/** The console's "Invite user": an email (and optionally a name) in, a set-password link out by mail. */
export function invitePage(app: FastifyInstance, core: Core): void {
  const config = { renderError: consoleErrorRenderer(core) };
  const guard = consoleGuard(core);

  const render = (request: Parameters<typeof pageContext>[1], values: FormValues, errors: FormErrors, notice?: Notice) => {
    const ctx = pageContext(core, request);
    const { t } = ctx;
    const days = Math.max(1, Math.round(core.settings.get('invite_ttl') / 86400));
    const staff = ctx.session.user.is_superuser ? checkbox('is_staff', t('Staff (may use this console)'), values.is_staff === true, errors) : '';
    const setting = t(settingDefs.invite_ttl.label);
    const lifetime = days === 1
      ? t('They get a mail with a link to choose their password; it works for {{n}} day (the “{{setting}}” setting). Following it also confirms their address.', { n: days, setting })
      : t('They get a mail with a link to choose their password; it works for {{n}} days (the “{{setting}}” setting). Following it also confirms their address.', { n: days, setting });
    const body = html`<section class="card narrow">
  <p class="help">${lifetime}</p>
  <form method="post" action="/admin/users/invite" class="stack">
    ${csrfField(ctx.session)}
    ${textField('email', t('Email'), values.email, errors, { type: 'email', autocomplete: 'off', required: true, maxlength: 254 })}
    <div class="grid-2">
      ${textField('first_name', t('First name'), values.first_name, errors, { maxlength: 150 })}
      ${textField('last_name', t('Last name'), values.last_name, errors, { maxlength: 150 })}
    </div>
    ${textField('username', t('Username'), values.username, errors, { maxlength: 150, help: t('Optional.') })}
    ${staff}
    <div class="form-buttons"><button type="submit" class="btn btn-primary">${t('Send invitation')}</button><a class="btn btn-ghost" href="/admin/users">${t('Cancel')}</a></div>
  </form>
</section>`;
    return consolePage(ctx, { title: t('Invite user'), section: 'users', notice, body });
  };

  app.get('/admin/users/invite', { schema: { hide: true }, config, preHandler: guard }, async (request, reply) => sendPage(reply, render(request, {}, undefined)));

  app.post('/admin/users/invite', { schema: { hide: true }, config, preHandler: guard }, async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, unknown>;
    const actor = consoleActor(request);
    const input: InviteInput = {};
    for (const field of ['email', 'username', 'first_name', 'last_name'] as const) if (typeof form[field] === 'string' && form[field] !== '') input[field] = form[field];
    if (actor.user.is_superuser && form.is_staff === 'on') input.is_staff = true;
    try {
      const { user } = await inviteUser(core, actor, input);
      return redirectWith(reply, `/admin/users/${user.id}`, 'invited');
    } catch (err) {
      const { locale, t } = consoleSpeech(core, request);
      const errors = fieldMessages(err, locale);
      if (!errors) throw err;
      return sendPage(reply, render(request, valuesFromForm(form), errors, { kind: 'error', text: errors.non_field_errors ?? t('Please correct the errors below.') }), 400);
    }
  });
}
