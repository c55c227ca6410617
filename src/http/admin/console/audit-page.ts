import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/core.js';
import { listAudit, type AuditEntry, type AuditPage, type AuditQuery } from '../../../core/admin/audit-query.js';
import { AuthError } from '../../../core/errors.js';
import { translateMessage, type Translate } from '../../../i18n/index.js';
import { parseTime } from '../api-schemas.js';
import { consoleErrorRenderer, consoleGuard, noticeFrom, pageContext, sendPage } from './console-kit.js';
import { html, queryString, time, type Html } from './html.js';
import { consolePage, type Notice } from './layout.js';

// Event kinds are codes (login.failed) and stay codes on every page: an operator searches for them.
const families = ['admin.', 'console.', 'login.', 'password.', 'email.', 'session.', 'api_token.', 'user.', 'account.'];
const commonKinds = ['login.failed', 'login.succeeded', 'admin.setting_changed', 'admin.user_activated', 'admin.user_deactivated', 'user.registered', 'password.reset_requested', 'account.locked'];

function kindTone(kind: string): string {
  if (/failed|locked|reuse|deleted|deactivated/.test(kind)) return 'badge-danger';
  if (kind.startsWith('admin.') || kind.startsWith('console.')) return 'badge-accent';
  if (/succeeded|activated|verified|registered/.test(kind)) return 'badge-ok';
  return 'badge-muted';
}

function detailText(detail: Record<string, unknown>): Html {
  const parts = Object.entries(detail).map(([k, v]) => {
    if (k === 'changes' && v && typeof v === 'object') {
      return Object.entries(v as Record<string, { old: unknown; new: unknown }>).map(([f, c]) => html`<span class="kv"><b>${f}</b> ${JSON.stringify(c?.old)} → ${JSON.stringify(c?.new)}</span>`);
    }
    if (k === 'key' && 'old' in detail) return html``;
    if (k === 'old' && 'key' in detail) return html`<span class="kv"><b>${String(detail.key)}</b> ${JSON.stringify(detail.old)} → ${JSON.stringify(detail.new)}</span>`;
    if (k === 'new' && 'key' in detail) return html``;
    return html`<span class="kv"><b>${k}</b> ${typeof v === 'string' ? v : JSON.stringify(v)}</span>`;
  });
  return html`${parts}`;
}

function who(id: number | null, label: string | null): Html {
  if (id === null) return html`<span class="muted">—</span>`;
  return html`<a href="/admin/users/${id}">${label ?? `#${id}`}</a>`;
}

/** Audit events as a table (also used on the user page, without the user column), headings in the page's language. */
export function auditRows(items: AuditEntry[], withUser: boolean, t: Translate): Html {
  const rows = items.map((e) => html`<tr>
    <td class="nowrap">${time(e.at)}</td>
    <td><span class="badge ${kindTone(e.kind)}">${e.kind}</span></td>
    ${withUser ? html`<td>${who(e.user_id, e.user_label)}</td>` : ''}
    <td>${who(e.actor_id, e.actor_label)}</td>
    <td class="nowrap">${e.ip}</td>
    <td class="detail-cell">${detailText(e.detail)}</td>
  </tr>`);
  return html`<table class="data compact"><thead><tr><th scope="col">${t('Time')}</th><th scope="col">${t('Event')}</th>${withUser ? html`<th scope="col">${t('User')}</th>` : ''}<th scope="col">${t('By')}</th><th scope="col">${t('IP')}</th><th scope="col">${t('Details')}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

type Filters = Record<'user_id' | 'actor_id' | 'kind' | 'from' | 'to', string>;

function readFilters(query: unknown): Filters {
  const raw = (query ?? {}) as Record<string, unknown>;
  const pick = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string).trim().slice(0, 64) : '');
  return { user_id: pick('user_id'), actor_id: pick('actor_id'), kind: pick('kind'), from: pick('from'), to: pick('to') };
}

function toQuery(f: Filters): AuditQuery {
  const errors: Record<string, string[]> = {};
  const id = (v: string, field: string) => {
    if (!v) return undefined;
    if (/^[0-9]{1,15}$/.test(v)) return Number(v);
    errors[field] = ['Enter a user id (a number).'];
    return undefined;
  };
  if (f.kind && !/^[a-z_.]+$/.test(f.kind)) errors.kind = ['Enter an event kind such as login.failed, or a family such as admin.'];
  const query = { userId: id(f.user_id, 'user_id'), actorId: id(f.actor_id, 'actor_id'), kind: f.kind || undefined, from: parseTime(f.from, 'from', 'from'), to: parseTime(f.to, 'to', 'to') };
  if (Object.keys(errors).length) throw new AuthError('validation_failed', undefined, errors);
  return query;
}

function filterForm(f: Filters, t: Translate): Html {
  return html`<form method="get" action="/admin/audit" class="card filters" role="search">
  <div class="field"><label for="a-user">${t('User id')}</label><input id="a-user" name="user_id" inputmode="numeric" value="${f.user_id}" maxlength="15"></div>
  <div class="field"><label for="a-actor">${t('Actor id')}</label><input id="a-actor" name="actor_id" inputmode="numeric" value="${f.actor_id}" maxlength="15"></div>
  <div class="field field-grow"><label for="a-kind">${t('Event')}</label><input id="a-kind" name="kind" list="kinds" value="${f.kind}" placeholder="${t('login.failed, or a family: admin.')}" maxlength="64">
    <datalist id="kinds">${[...families, ...commonKinds].map((k) => html`<option value="${k}">`)}</datalist></div>
  <div class="field"><label for="a-from">${t('From')}</label><input id="a-from" name="from" type="date" value="${f.from}"></div>
  <div class="field"><label for="a-to">${t('To')}</label><input id="a-to" name="to" type="date" value="${f.to}"></div>
  <div class="filter-buttons"><button type="submit" class="btn btn-primary">${t('Apply')}</button><a class="btn btn-ghost" href="/admin/audit">${t('Reset')}</a></div>
</form>`;
}

export function auditPage(app: FastifyInstance, core: Core): void {
  app.get('/admin/audit', { schema: { hide: true }, config: { renderError: consoleErrorRenderer(core) }, preHandler: consoleGuard(core) }, async (request, reply) => {
    const ctx = pageContext(core, request);
    const { t } = ctx;
    const f = readFilters(request.query);
    const rawCursor = (request.query as { cursor?: unknown }).cursor;
    const cursor = typeof rawCursor === 'string' ? rawCursor : undefined;
    let page: AuditPage = { items: [], next_cursor: null };
    let notice: Notice | undefined = noticeFrom(request.query, t);
    try {
      page = await listAudit(core, { ...toQuery(f), cursor, limit: 50 });
    } catch (err) {
      if (!(err instanceof AuthError) || !err.fields) throw err;
      notice = { kind: 'error', text: Object.values(err.fields).flat().map((m) => translateMessage(ctx.locale, m)).join(' ') };
    }
    const exportLink = (format: string) => `/v1/admin/audit/export${queryString({ ...f, format })}`;
    const actions = html`<a class="btn btn-secondary" href="${exportLink('csv')}" download>${t('Export CSV')}</a><a class="btn btn-secondary" href="${exportLink('json')}" download>${t('Export JSON')}</a>`;
    const body = html`${filterForm(f, t)}
${page.items.length ? html`<div class="card table-card"><div class="table-wrap">${auditRows(page.items, true, t)}</div></div>` : html`<div class="card empty">${t('No events match these filters.')}</div>`}
<nav class="pager" aria-label="${t('Pages')}">
  ${cursor ? html`<a class="btn btn-ghost btn-small" href="/admin/audit${queryString({ ...f })}">${t('Newest')}</a>` : ''}
  ${page.next_cursor ? html`<a class="btn btn-secondary btn-small" rel="next" href="/admin/audit${queryString({ ...f, cursor: page.next_cursor })}">${t('Older →')}</a>` : ''}
</nav>`;
    return sendPage(reply, consolePage(ctx, { title: t('Audit log'), section: 'audit', notice, actions, body }));
  });
}
