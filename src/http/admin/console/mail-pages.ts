import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/core.js';
import { getMail, listMail, retryFailedMail } from '../../../core/admin/outbox-admin.js';
import { outboxStats, outboxStatuses, type OutboxStatus } from '../../../mail/outbox.js';
import { consoleSpeech, consoleActor, consoleErrorRenderer, consoleGuard, noticeFrom, pageContext, redirectWith, sendPage } from './console-kit.js';
import { html, queryString, time } from './html.js';
import { consolePage, csrfField } from './layout.js';

const statusTone: Record<string, string> = { pending: 'badge-muted', retry: 'badge-warn', sent: 'badge-ok', failed: 'badge-danger' };
const idParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]{1,15}$' } }, required: ['id'] } as const;

export function mailPages(app: FastifyInstance, core: Core): void {
  const config = { renderError: consoleErrorRenderer(core) };
  const guard = consoleGuard(core);

  app.get('/admin/mail', { schema: { hide: true }, config, preHandler: guard }, async (request, reply) => {
    const query = request.query as { status?: unknown; cursor?: unknown };
    const status = typeof query.status === 'string' && (outboxStatuses as readonly string[]).includes(query.status) ? (query.status as OutboxStatus) : undefined;
    const cursor = typeof query.cursor === 'string' ? query.cursor : undefined;
    const [page, stats] = await Promise.all([listMail(core, { status, cursor, limit: 50 }), outboxStats(core.db, core.clock.now())]);
    const tabs = html`<nav class="tabs" aria-label="Mail status">
  <a href="/admin/mail"${status ? '' : html` aria-current="page"`}>All</a>
  ${outboxStatuses.map((s) => html`<a href="/admin/mail?status=${s}"${status === s ? html` aria-current="page"` : ''}>${s} <span class="count">${stats.counts[s].toLocaleString('en-US')}${stats.capped.includes(s) ? '+' : ''}</span></a>`)}
</nav>`;
    const rows = page.items.map((m) => html`<tr>
    <td><a href="/admin/mail/${m.id}">#${m.id}</a></td>
    <td class="nowrap">${time(m.created_at)}</td>
    <td>${m.kind}</td>
    <td>${m.to}</td>
    <td>${m.subject}</td>
    <td><span class="badge ${statusTone[m.status] ?? 'badge-muted'}">${m.status}</span></td>
    <td>${m.attempts}</td>
    <td class="detail-cell">${m.last_error ?? ''}</td>
  </tr>`);
    const body = html`${tabs}
${page.items.length ? html`<div class="card table-card"><div class="table-wrap"><table class="data compact">
  <thead><tr><th scope="col">Id</th><th scope="col">Queued</th><th scope="col">Kind</th><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Status</th><th scope="col">Tries</th><th scope="col">Last error</th></tr></thead>
  <tbody>${rows}</tbody></table></div></div>` : html`<div class="card empty">No mail${status ? ` with status ${status}` : ''}.</div>`}
<nav class="pager" aria-label="Pages">
  ${cursor ? html`<a class="btn btn-ghost btn-small" href="/admin/mail${queryString({ status })}">Newest</a>` : ''}
  ${page.next_cursor ? html`<a class="btn btn-secondary btn-small" rel="next" href="/admin/mail${queryString({ status, cursor: page.next_cursor })}">Older →</a>` : ''}
</nav>`;
    return sendPage(reply, consolePage(pageContext(core, request), { title: 'Mail outbox', section: 'mail', notice: noticeFrom(request.query, consoleSpeech(core, request).t), body }));
  });

  app.get('/admin/mail/:id', { schema: { hide: true, params: idParams }, config, preHandler: guard }, async (request, reply) => {
    const ctx = pageContext(core, request);
    const mail = await getMail(core, consoleActor(request), Number((request.params as { id: string }).id));
    const bodyNote = mail.status === 'sent' ? 'The body is erased once the mail is sent (it held live codes and links).' : 'Only a superuser may read an unsent body (it holds live codes and links).';
    const body = html`<div class="detail">
  <div class="detail-main"><section class="card" aria-labelledby="body-h"><h2 id="body-h">${mail.subject}</h2>
    ${mail.text_body !== null ? html`<pre class="mail-body">${mail.text_body}</pre>` : html`<p class="muted">${bodyNote}</p>`}
  </section></div>
  <div class="detail-side"><section class="card" aria-labelledby="mail-h"><h2 id="mail-h">Delivery</h2>
    <dl class="facts">
      <dt>Status</dt><dd><span class="badge ${statusTone[mail.status] ?? 'badge-muted'}">${mail.status}</span></dd>
      <dt>Kind</dt><dd>${mail.kind}</dd>
      <dt>To</dt><dd>${mail.to}</dd>
      <dt>Queued</dt><dd>${time(mail.created_at)}</dd>
      <dt>Attempts</dt><dd>${mail.attempts}</dd>
      <dt>Next attempt</dt><dd>${mail.status === 'pending' || mail.status === 'retry' ? time(mail.next_attempt_at) : html`<span class="muted">—</span>`}</dd>
      <dt>Sent</dt><dd>${time(mail.sent_at, 'not yet')}</dd>
      ${mail.last_error ? html`<dt>Last error</dt><dd class="detail-cell">${mail.last_error}</dd>` : ''}
    </dl>
    ${mail.status === 'failed' ? html`<form method="post" action="/admin/mail/${mail.id}/retry">${csrfField(ctx.session)}<button type="submit" class="btn btn-primary btn-block">Retry delivery</button></form>` : ''}
  </section></div>
</div>`;
    return sendPage(reply, consolePage(ctx, { title: `Mail #${mail.id}`, section: 'mail', notice: noticeFrom(request.query, ctx.t), actions: html`<a class="btn btn-ghost" href="/admin/mail">← Outbox</a>`, body }));
  });

  app.post('/admin/mail/:id/retry', { schema: { hide: true, params: idParams }, config, preHandler: guard }, async (request, reply) => {
    const id = Number((request.params as { id: string }).id);
    await retryFailedMail(core, consoleActor(request), id);
    return redirectWith(reply, `/admin/mail/${id}`, 'mail_retried');
  });
}
