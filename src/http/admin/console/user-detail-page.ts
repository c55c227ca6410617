import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../../core/core.js';
import { listAudit } from '../../../core/admin/audit-query.js';
import { assertMayManage, type AdminActor } from '../../../core/admin/permissions.js';
import { updateUserAsAdmin } from '../../../core/admin/user-admin.js';
import { requireTarget } from '../../../core/admin/user-access.js';
import { listSessions } from '../../../core/sessions.js';
import { formatAge, formatDuration } from '../../../core/human-duration.js';
import { displayName, type User } from '../../../core/users/user.js';
import type { Translate } from '../../../i18n/index.js';
import { consoleActor, consoleSpeech, consoleErrorRenderer, consoleGuard, fieldMessages, noticeFrom, pageContext, redirectWith, sendPage } from './console-kit.js';
import { html, type Html, time, translateHtml } from './html.js';
import { consolePage, csrfField, type Notice, type PageContext } from './layout.js';
import { auditRows } from './audit-page.js';
import { flagInputs, profileInputs, textField, userInputFromForm, valuesFromForm, type FormErrors, type FormValues } from './user-form.js';
import { userBadges } from './users-page.js';
import { mfaCard } from './user-mfa-card.js';

export function mayManage(actor: AdminActor, target: User): boolean {
  try {
    assertMayManage(actor, target);
    return true;
  } catch {
    return false;
  }
}

function actionButton(ctx: PageContext, user: User, action: string, label: string, style = 'btn-secondary', confirm?: string): Html {
  return html`<form method="post" action="/admin/users/${user.id}/${action}"${confirm ? html` data-confirm="${confirm}"` : ''}>${csrfField(ctx.session)}<button type="submit" class="btn ${style} btn-block">${label}</button></form>`;
}

function actionsCard(ctx: PageContext, user: User, now: number, errors: FormErrors, allowed: boolean): Html {
  const { t } = ctx;
  if (!allowed) return html`<section class="card" aria-labelledby="actions-h"><h2 id="actions-h">${t('Actions')}</h2><p class="muted">${t('Only a superuser may change a staff or superuser account.')}</p></section>`;
  const locked = user.locked_until !== null && user.locked_until > now;
  const self = user.id === ctx.session.user.id;
  const name = user.username || user.email;
  return html`<section class="card actions" aria-labelledby="actions-h">
  <h2 id="actions-h">${t('Actions')}</h2>
  ${!user.is_active || !user.approved ? actionButton(ctx, user, 'activate', user.approved ? t('Reactivate') : t('Activate'), 'btn-primary') : ''}
  ${user.is_active && !self ? actionButton(ctx, user, 'deactivate', t('Deactivate'), 'btn-secondary', t('Deactivate {{name}}? Their sessions and tokens stop working at once.', { name })) : ''}
  ${user.email && !user.email_verified ? actionButton(ctx, user, 'verify-email', t('Mark email verified')) : ''}
  ${user.email && user.is_active ? actionButton(ctx, user, 'send-reset', t('Send password-reset mail')) : ''}
  ${locked || user.failed_logins > 0 ? actionButton(ctx, user, 'unlock', locked ? t('Clear login lock') : t('Reset failed-login count')) : ''}
  ${actionButton(ctx, user, 'revoke-sessions', t('End all sessions'), 'btn-secondary', t('End every session of this account?'))}
  <form method="post" action="/admin/users/${user.id}/password" class="stack set-password">
    ${csrfField(ctx.session)}
    ${textField('password', t('Set a new password'), '', errors, { type: 'password', autocomplete: 'new-password', help: t('The password policy applies; their sessions end and they are told by mail.'), maxlength: 4096 })}
    <button type="submit" class="btn btn-secondary btn-block">${t('Set password')}</button>
  </form>
  ${!self ? html`<div class="danger-zone">${actionButton(ctx, user, 'delete', t('Delete user'), 'btn-danger', t('Delete {{name}} for good? This cannot be undone.', { name }))}</div>` : ''}
</section>`;
}

function summaryCard(t: Translate, user: User, now: number): Html {
  const locked = user.locked_until !== null && user.locked_until > now;
  return html`<section class="card" aria-labelledby="summary-h">
  <h2 id="summary-h">${t('Account')}</h2>
  <div class="badges">${userBadges(user, now, t)}${user.email_verified ? html`<span class="badge badge-ok">${t('Email verified')}</span>` : html`<span class="badge badge-muted">${t('Email unverified')}</span>`}</div>
  <dl class="facts">
    <dt>${t('Id')}</dt><dd>${user.id}</dd>
    <dt>${t('Joined')}</dt><dd>${time(user.date_joined)}</dd>
    <dt>${t('Last login')}</dt><dd>${time(user.last_login, t('never'))}</dd>
    <dt>${t('Password changed')}</dt><dd>${time(user.password_changed_at)}</dd>
    <dt>${t('Failed logins')}</dt><dd>${user.failed_logins}${locked ? html` · ${translateHtml(t, 'locked until {{time}}', { time: time(user.locked_until) })}` : ''}</dd>
    ${user.pending_email ? html`<dt>${t('Pending email')}</dt><dd>${user.pending_email}</dd>` : ''}
  </dl>
</section>`;
}

async function sessionsCard(core: Core, ctx: PageContext, user: User, allowed: boolean): Promise<Html> {
  const sessions = await listSessions(core, user.id);
  const now = core.clock.now();
  const { locale, t } = ctx;
  const rows = sessions.map((s) => html`<tr>
    <td class="ua" title="${s.user_agent}">${s.user_agent || html`<span class="muted">${t('unknown client')}</span>`}</td><td>${s.ip}</td><td>${time(s.created_at)}</td><td>${time(s.last_used_at)}<div class="muted small">${formatAge(now - s.last_used_at, { locale })}</div></td><td>${time(s.expires_at)}<div class="muted small">${t('in {{duration}}', { duration: formatDuration((s.expires_at - now) / 1000, { locale }) })}</div></td>
    <td>${allowed ? html`<form method="post" action="/admin/users/${user.id}/sessions/${s.id}/revoke">${csrfField(ctx.session)}<button type="submit" class="btn btn-ghost btn-small">${t('Revoke')}</button></form>` : ''}</td>
  </tr>`);
  return html`<section class="card" aria-labelledby="sessions-h">
  <h2 id="sessions-h">${t('Sessions')} <span class="count">${sessions.length}</span></h2>
  ${sessions.length ? html`<div class="table-wrap"><table class="data compact"><thead><tr><th scope="col">${t('Client')}</th><th scope="col">${t('IP')}</th><th scope="col">${t('Started')}</th><th scope="col">${t('Last used')}</th><th scope="col">${t('Expires')}</th><th scope="col"><span class="visually-hidden">${t('Actions')}</span></th></tr></thead><tbody>${rows}</tbody></table></div>` : html`<p class="muted">${t('No live sessions.')}</p>`}
</section>`;
}

async function auditCard(core: Core, ctx: PageContext, user: User): Promise<Html> {
  const { t } = ctx;
  const page = await listAudit(core, { userId: user.id, limit: 15 });
  return html`<section class="card" aria-labelledby="audit-h">
  <h2 id="audit-h">${t('Recent activity')}</h2>
  ${page.items.length ? html`<div class="table-wrap">${auditRows(page.items, false, t)}</div>` : html`<p class="muted">${t('Nothing recorded yet.')}</p>`}
  <p><a href="/admin/audit?user_id=${user.id}">${t('Full history →')}</a></p>
</section>`;
}

function userValues(user: User): FormValues {
  return { ...user, date_of_birth: user.date_of_birth ?? '' } as unknown as FormValues;
}

export async function renderUserDetail(core: Core, request: FastifyRequest, reply: FastifyReply, user: User, state: { values?: FormValues; errors?: FormErrors; notice?: Notice; status?: number } = {}) {
  const ctx = pageContext(core, request);
  const now = core.clock.now();
  const actor = consoleActor(request);
  const allowed = mayManage(actor, user);
  const canGrant = ctx.session.user.is_superuser;
  const values = state.values ?? userValues(user);
  const { t } = ctx;
  const profileForm = html`<section class="card" aria-labelledby="profile-h">
  <h2 id="profile-h">${t('Profile')}</h2>
  <form method="post" action="/admin/users/${user.id}" class="stack">
    ${csrfField(ctx.session)}
    <fieldset${allowed ? '' : html` disabled`}>
      ${profileInputs(t, values, state.errors)}
      ${flagInputs(t, values, state.errors, canGrant)}
      <div class="form-buttons"><button type="submit" class="btn btn-primary">${t('Save changes')}</button></div>
    </fieldset>
  </form>
</section>`;
  const body = html`<div class="detail">
  <div class="detail-main">${profileForm}${await sessionsCard(core, ctx, user, allowed)}${await auditCard(core, ctx, user)}</div>
  <div class="detail-side">${summaryCard(t, user, now)}${await mfaCard(core, ctx, user, allowed)}${actionsCard(ctx, user, now, state.errors, allowed)}</div>
</div>`;
  const title = displayName(user) || t('User #{{id}}', { id: user.id });
  return sendPage(reply, consolePage(ctx, { title, section: 'users', notice: state.notice ?? noticeFrom(request.query, t), actions: html`<a class="btn btn-ghost" href="/admin/users">${t('← All users')}</a>`, body }), state.status ?? 200);
}

export function userDetailPage(app: FastifyInstance, core: Core): void {
  const config = { renderError: consoleErrorRenderer(core) };
  const guard = consoleGuard(core);
  const params = { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]{1,15}$' } }, required: ['id'] } as const;

  app.get('/admin/users/:id', { schema: { hide: true, params }, config, preHandler: guard }, async (request, reply) => {
    const user = await requireTarget(core, Number((request.params as { id: string }).id));
    return renderUserDetail(core, request, reply, user);
  });

  app.post('/admin/users/:id', { schema: { hide: true, params }, config, preHandler: guard }, async (request, reply) => {
    const id = Number((request.params as { id: string }).id);
    const form = (request.body ?? {}) as Record<string, unknown>;
    const actor = consoleActor(request);
    try {
      await updateUserAsAdmin(core, actor, id, userInputFromForm(form, actor.user.is_superuser));
    } catch (err) {
      const { locale, t } = consoleSpeech(core, request);
      const errors = fieldMessages(err, locale);
      if (!errors) throw err;
      const user = await requireTarget(core, id);
      return renderUserDetail(core, request, reply, user, { values: valuesFromForm(form), errors, notice: { kind: 'error', text: t('Please correct the errors below.') }, status: 400 });
    }
    return redirectWith(reply, `/admin/users/${id}`, 'saved');
  });
}
