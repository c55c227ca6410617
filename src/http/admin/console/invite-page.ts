import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/core.js';
import { inviteUser, type InviteInput } from '../../../core/admin/invite-user.js';
import { consoleActor, consoleErrorRenderer, consoleGuard, fieldMessages, pageContext, redirectWith, sendPage } from './console-kit.js';
import { html } from './html.js';
import { consolePage, csrfField, type Notice } from './layout.js';
import { checkbox, textField, valuesFromForm, type FormErrors, type FormValues } from './user-form.js';

/** The console's "Invite user": an email (and optionally a name) in, a set-password link out by mail. */
export function invitePage(app: FastifyInstance, core: Core): void {
  const config = { renderError: consoleErrorRenderer(core) };
  const guard = consoleGuard(core);

  const render = (request: Parameters<typeof pageContext>[1], values: FormValues, errors: FormErrors, notice?: Notice) => {
    const ctx = pageContext(core, request);
    const days = Math.max(1, Math.round(core.settings.get('invite_ttl') / 86400));
    const staff = ctx.session.user.is_superuser ? checkbox('is_staff', 'Staff (may use this console)', values.is_staff === true, errors) : '';
    const body = html`<section class="card narrow">
  <p class="help">They get a mail with a link to choose their password; it works for ${String(days)} day${days === 1 ? '' : 's'} (the “Invitation lifetime” setting). Following it also confirms their address.</p>
  <form method="post" action="/admin/users/invite" class="stack">
    ${csrfField(ctx.session)}
    ${textField('email', 'Email', values.email, errors, { type: 'email', autocomplete: 'off', required: true, maxlength: 254 })}
    <div class="grid-2">
      ${textField('first_name', 'First name', values.first_name, errors, { maxlength: 150 })}
      ${textField('last_name', 'Last name', values.last_name, errors, { maxlength: 150 })}
    </div>
    ${textField('username', 'Username', values.username, errors, { maxlength: 150, help: 'Optional.' })}
    ${staff}
    <div class="form-buttons"><button type="submit" class="btn btn-primary">Send invitation</button><a class="btn btn-ghost" href="/admin/users">Cancel</a></div>
  </form>
</section>`;
    return consolePage(ctx, { title: 'Invite user', section: 'users', notice, body });
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
      const errors = fieldMessages(err);
      if (!errors) throw err;
      return sendPage(reply, render(request, valuesFromForm(form), errors, { kind: 'error', text: errors.non_field_errors ?? 'Please correct the errors below.' }), 400);
    }
  });
}
