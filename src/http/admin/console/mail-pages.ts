import type { FastifyInstance } from 'fastify';
import type { MailKind } from '../../../core/context.js';
import type { Core } from '../../../core/core.js';
import { getMail, listMail, retryFailedMail } from '../../../core/admin/outbox-admin.js';
import { outboxStats, outboxStatuses, type OutboxStatus } from '../../../mail/outbox.js';
import { consoleActor, consoleErrorRenderer, consoleGuard, noticeFrom, pageContext, redirectWith, sendPage } from './console-kit.js';
import type { Translate } from '../../../i18n/index.js';
import { html, queryString, time } from './html.js';
import { consolePage, csrfField } from './layout.js';

/** What each outbox status reads as (English msgids, rendered through `t`); the status itself stays in the URL. */
export const mailStatusLabels: Readonly<Record<OutboxStatus, string>> = { pending: 'pending', retry: 'retry', sent: 'sent', failed: 'failed' };
/**
 * What each mail kind reads as (msgids rendered through `t`): in English the kind's code, as the page
 * always showed it; in French a name.
 */
export const mailKindLabels: Readonly<Record<MailKind, string>> = {
  password_reset: 'password_reset',
  password_changed: 'password_changed',
  email_verification: 'email_verification',
  email_change_notice: 'email_change_notice',
  account_activated: 'account_activated',
  sign_in_method_changed: 'sign_in_method_changed',
  invitation: 'invitation',
};
const kindLabel = (kind: string, t: Translate) => (Object.hasOwn(mailKindLabels, kind) ? t(mailKindLabels[kind as MailKind]) : kind);
const statusTone: Record<string, string> = { pending: 'badge-muted', retry: 'badge-warn', sent: 'badge-ok', failed: 'badge-danger' };
const idParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]{1,15}$' } }, required: ['id'] } as const;

export function mailPages(app: FastifyInstance, core: Core): void {
  const config = { renderError: consoleErrorRenderer(core) };
  const guard = consoleGuard(core);

  app.get('/admin/mail', { schema: { hide: true }, config, preHandler: guard }, async (request, reply) => {
    const ctx = pageContext(core, request);
    const { t, locale } = ctx;
    const label = (s: string) => (Object.hasOwn(mailStatusLabels, s) ? t(mailStatusLabels[s as OutboxStatus]) : s);
    const query = request.query as { status?: unknown; cursor?: unknown };
    const status = typeof query.status === 'string' && (outboxStatuses as readonly string[]).includes(query.status) ? (query.status as OutboxStatus) : undefined;
    const cursor = typeof query.cursor === 'string' ? query.cursor : undefined;
    const [page, stats] = await Promise.all([listMail(core, { status, cursor, limit: 50 }), outboxStats(core.db, core.clock.now())]);
    const tabs = html`<nav class="tabs" aria-label="${t('Mail status')}">
  <a href="/admin/mail"${status ? '' : html` aria-current="page"`}>${t('All')}</a>
  ${outboxStatuses.map((s) => html`<a href="/admin/mail?status=${s}"${status === s ? html` aria-current="page"` : ''}>${label(s)} <span class="count">${stats.counts[s].toLocaleString(locale)}${stats.capped.includes(s) ? '+' : ''}</span></a>`)}
</nav>`;
    const rows = page.items.map((m) => html`<tr>
    <td><a href="/admin/mail/${m.id}">#${m.id}</a></td>
    <td class="nowrap">${time(m.created_at)}</td>
    <td>${kindLabel(m.kind, t)}</td>
    <td>${m.to}</td>
    <td>${m.subject}</td>
    <td><span class="badge ${statusTone[m.status] ?? 'badge-muted'}">${label(m.status)}</span></td>
    <td>${m.attempts}</td>
    <td class="detail-cell">${m.last_error ?? ''}</td>
  </tr>`);
    const body = html`${tabs}
${page.items.length ? html`<div class="card table-card"><div class="table-wrap"><table class="data compact">
  <thead><tr><th scope="col">${t('Id')}</th><th scope="col">${t('Queued')}</th><th scope="col">${t('Kind')}</th><th scope="col">${t('To')}</th><th scope="col">${t('Subject')}</th><th scope="col">${t('Status')}</th><th scope="col">${t('Tries')}</th><th scope="col">${t('Last error')}</th></tr></thead>
  <tbody>${rows}</tbody></table></div></div>` : html`<div class="card empty">${status ? t('No mail with status {{status}}.', { status: label(status) }) : t('No mail.')}</div>`}
<nav class="pager" aria-label="${t('Pages')}">
  ${cursor ? html`<a class="btn btn-ghost btn-small" href="/admin/mail${queryString({ status })}">${t('Newest')}</a>` : ''}
  ${page.next_cursor ? html`<a class="btn btn-secondary btn-small" rel="next" href="/admin/mail${queryString({ status, cursor: page.next_cursor })}">${t('Older →')}</a>` : ''}
</nav>`;
    return sendPage(reply, consolePage(ctx, { title: t('Mail outbox'), section: 'mail', notice: noticeFrom(request.query, t), body }));
  });

  app.get('/admin/mail/:id', { schema: { hide: true, params: idParams }, config, preHandler: guard }, async (request, reply) => {
    const ctx = pageContext(core, request);
    const { t } = ctx;
    const label = (s: string) => (Object.hasOwn(mailStatusLabels, s) ? t(mailStatusLabels[s as OutboxStatus]) : s);
    const mail = await getMail(core, consoleActor(request), Number((request.params as { id: string }).id));
    const bodyNote = mail.status === 'sent' ? t('The body is erased once the mail is sent (it held live codes and links).') : t('Only a superuser may read an unsent body (it holds live codes and links).');
    const body = html`<div class="detail">
  <div class="detail-main"><section class="card" aria-labelledby="body-h"><h2 id="body-h">${mail.subject}</h2>
    ${mail.text_body !== null ? html`<pre class="mail-body">${mail.text_body}</pre>` : html`<p class="muted">${bodyNote}</p>`}
  </section></div>
  <div class="detail-side"><section class="card" aria-labelledby="mail-h"><h2 id="mail-h">${t('Delivery')}</h2>
    <dl class="facts">
      <dt>${t('Status')}</dt><dd><span class="badge ${statusTone[mail.status] ?? 'badge-muted'}">${label(mail.status)}</span></dd>
      <dt>${t('Kind')}</dt><dd>${kindLabel(mail.kind, t)}</dd>
      <dt>${t('To')}</dt><dd>${mail.to}</dd>
      <dt>${t('Queued')}</dt><dd>${time(mail.created_at)}</dd>
      <dt>${t('Attempts')}</dt><dd>${mail.attempts}</dd>
      <dt>${t('Next attempt')}</dt><dd>${mail.status === 'pending' || mail.status === 'retry' ? time(mail.next_attempt_at) : html`<span class="muted">—</span>`}</dd>
      <dt>${t('Sent')}</dt><dd>${time(mail.sent_at, t('not yet'))}</dd>
      ${mail.last_error ? html`<dt>${t('Last error')}</dt><dd class="detail-cell">${mail.last_error}</dd>` : ''}
    </dl>
    ${mail.status === 'failed' ? html`<form method="post" action="/admin/mail/${mail.id}/retry">${csrfField(ctx.session)}<button type="submit" class="btn btn-primary btn-block">${t('Retry delivery')}</button></form>` : ''}
  </section></div>
</div>`;
    return sendPage(reply, consolePage(ctx, { title: t('Mail #{{id}}', { id: mail.id }), section: 'mail', notice: noticeFrom(request.query, t), actions: html`<a class="btn btn-ghost" href="/admin/mail">${t('← Outbox')}</a>`, body }));
  });

  app.post('/admin/mail/:id/retry', { schema: { hide: true, params: idParams }, config, preHandler: guard }, async (request, reply) => {
    const id = Number((request.params as { id: string }).id);
    await retryFailedMail(core, consoleActor(request), id);
    return redirectWith(reply, `/admin/mail/${id}`, 'mail_retried');
  });
}
