import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/core.js';
import { bulkUserAction, bulkActions, type BulkAction } from '../../../core/admin/user-bulk.js';
import { listUsers, userSorts, type UserPage, type UserQuery, type UserSort } from '../../../core/admin/users-query.js';
import { AuthError } from '../../../core/errors.js';
import { displayName, type User } from '../../../core/users/user.js';
import { parseTime } from '../api-schemas.js';
import { translateMessage, type Translate } from '../../../i18n/index.js';
import { consoleActor, consoleErrorRenderer, consoleGuard, noticeFrom, pageContext, redirectWith, safeNext, sendPage } from './console-kit.js';
import { html, queryString, time, type Html } from './html.js';
import { consolePage, csrfField, type Notice } from './layout.js';

type Filters = Record<'q' | 'active' | 'verified' | 'staff' | 'pending' | 'locked' | 'joined_from' | 'joined_to' | 'sort' | 'order', string>;
const filterKeys: (keyof Filters)[] = ['q', 'active', 'verified', 'staff', 'pending', 'locked', 'joined_from', 'joined_to', 'sort', 'order'];

function readFilters(query: unknown): Filters {
  const raw = (query ?? {}) as Record<string, unknown>;
  const out = {} as Filters;
  for (const key of filterKeys) out[key] = typeof raw[key] === 'string' ? (raw[key] as string).slice(0, 200) : '';
  return out;
}

const bool = (v: string) => (v === 'true' ? true : v === 'false' ? false : undefined);

function toQuery(f: Filters, cursor: string | undefined): UserQuery {
  return {
    q: f.q || undefined,
    active: bool(f.active),
    verified: bool(f.verified),
    staff: bool(f.staff),
    pending: bool(f.pending),
    locked: bool(f.locked),
    joinedFrom: parseTime(f.joined_from, 'joined_from', 'from'),
    joinedTo: parseTime(f.joined_to, 'joined_to', 'to'),
    sort: (userSorts as readonly string[]).includes(f.sort) ? (f.sort as UserSort) : undefined,
    order: f.order === 'asc' || f.order === 'desc' ? f.order : undefined,
    cursor,
    limit: 25,
  };
}

export function userBadges(u: User, now: number, t: Translate): Html {
  return html`${u.is_active ? html`<span class="badge badge-ok">${t('Active')}</span>` : html`<span class="badge badge-danger">${t('Inactive')}</span>`}${
    !u.approved ? html`<span class="badge badge-warn">${t('Pending activation')}</span>` : ''}${
    u.locked_until !== null && u.locked_until > now ? html`<span class="badge badge-warn">${t('Locked')}</span>` : ''}${
    u.is_superuser ? html`<span class="badge badge-accent">${t('Superuser')}</span>` : u.is_staff ? html`<span class="badge badge-accent">${t('Staff')}</span>` : ''}`;
}

function select(name: string, label: string, value: string, options: [string, string][]): Html {
  return html`<div class="field"><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}">${options.map(
    ([v, text]) => html`<option value="${v}"${v === value ? html` selected` : ''}>${text}</option>`,
  )}</select></div>`;
}

function filterForm(f: Filters, t: Translate): Html {
  const yesNo = (any: string, yes: string, no: string): [string, string][] => [['', any], ['true', yes], ['false', no]];
  return html`<form method="get" action="/admin/users" class="card filters" role="search">
  <div class="field field-grow"><label for="f-q">${t('Search')}</label><input id="f-q" name="q" type="search" value="${f.q}" placeholder="${t('Username, email, name or id')}" maxlength="200"></div>
  ${select('active', t('Status'), f.active, yesNo(t('Any'), t('Active'), t('Inactive')))}
  ${select('pending', t('Activation'), f.pending, yesNo(t('Any'), t('Pending'), t('Activated')))}
  ${select('verified', t('Email'), f.verified, yesNo(t('Any'), t('Verified'), t('Unverified')))}
  ${select('staff', t('Role'), f.staff, yesNo(t('Any'), t('Staff'), t('Not staff')))}
  ${select('locked', t('Lock'), f.locked, yesNo(t('Any'), t('Locked'), t('Not locked')))}
  <div class="field"><label for="f-from">${t('Joined from')}</label><input id="f-from" name="joined_from" type="date" value="${f.joined_from}"></div>
  <div class="field"><label for="f-to">${t('Joined to')}</label><input id="f-to" name="joined_to" type="date" value="${f.joined_to}"></div>
  ${select('sort', t('Sort by'), f.sort || 'date_joined', [['date_joined', t('Joined')], ['last_login', t('Last login')], ['username', t('Username')], ['email', t('Email')], ['id', t('Id')]])}
  ${select('order', t('Order'), f.order || 'desc', [['desc', t('Descending')], ['asc', t('Ascending')]])}
  <div class="filter-buttons"><button type="submit" class="btn btn-primary">${t('Apply')}</button><a class="btn btn-ghost" href="/admin/users">${t('Reset')}</a></div>
</form>`;
}

function sortHeader(f: Filters, sort: UserSort, label: string): Html {
  const current = (f.sort || 'date_joined') === sort;
  const order = current && (f.order || 'desc') === 'desc' ? 'asc' : 'desc';
  const aria = current ? ((f.order || 'desc') === 'desc' ? 'descending' : 'ascending') : 'none';
  const arrow = current ? ((f.order || 'desc') === 'desc' ? ' ↓' : ' ↑') : '';
  return html`<th scope="col" aria-sort="${aria}"><a href="/admin/users${queryString({ ...f, sort, order })}">${label}${arrow}</a></th>`;
}

function table(core: Core, t: Translate, f: Filters, page: UserPage, csrf: Html, back: string): Html {
  const now = core.clock.now();
  if (page.items.length === 0) return html`<div class="card empty">${t('No users match these filters.')}</div>`;
  const rows = page.items.map((u) => html`<tr>
    <td class="check"><input type="checkbox" name="ids" value="${u.id}" aria-label="${t('Select {{name}}', { name: u.username || u.email })}"></td>
    <td><a class="strong" href="/admin/users/${u.id}">${u.username || u.email || `#${u.id}`}</a><div class="muted small">${displayName(u) !== (u.username || u.email) ? displayName(u) : ''}</div></td>
    <td>${u.email || html`<span class="muted">—</span>`}${u.email ? (u.email_verified ? html` <span class="badge badge-ok badge-dot" title="${t('Verified')}">✓</span>` : html` <span class="badge badge-muted">${t('unverified')}</span>`) : ''}</td>
    <td><div class="badges">${userBadges(u, now, t)}</div></td>
    <td>${time(u.date_joined)}</td>
    <td>${time(u.last_login, t('never'))}</td>
  </tr>`);
  // console.js writes the selection count; its words come from here, in the page's language.
  return html`<form method="post" action="/admin/users/bulk" class="card table-card" data-bulk data-count-none="${t('Select users to act on them')}" data-count-one="${t('1 selected')}" data-count-many="${t('{{n}} selected', { n: '{{n}}' })}">
  ${csrf}<input type="hidden" name="back" value="${back}">
  <div class="bulk-bar">
    <label for="bulk-action">${t('With selected')}</label>
    <select id="bulk-action" name="action"><option value="activate">${t('Activate')}</option><option value="deactivate">${t('Deactivate')}</option></select>
    <button type="submit" class="btn btn-secondary btn-small" data-bulk-submit>${t('Apply')}</button>
    <span class="muted small" data-bulk-count aria-live="polite"></span>
  </div>
  <div class="table-wrap"><table class="data">
    <caption class="visually-hidden">${t('Users')}</caption>
    <thead><tr><th scope="col" class="check"><input type="checkbox" data-select-all aria-label="${t('Select all on this page')}"></th>
      ${sortHeader(f, 'username', t('User'))}${sortHeader(f, 'email', t('Email'))}<th scope="col">${t('Status')}</th>${sortHeader(f, 'date_joined', t('Joined'))}${sortHeader(f, 'last_login', t('Last login'))}</tr></thead>
    <tbody>${rows}</tbody>
  </table></div>
</form>`;
}

/** Download links for the users the filters match (the admin API streams them; the console session may call it). */
function exportActions(f: Filters, t: Translate, more: Html): Html {
  const { sort: _sort, order: _order, ...filters } = f;
  const link = (format: string) => `/v1/admin/users/export${queryString({ ...filters, format })}`;
  return html`<a class="btn btn-secondary" href="${link('csv')}" download>${t('Export CSV')}</a><a class="btn btn-secondary" href="${link('json')}" download>${t('Export JSON')}</a>${more}`;
}

export function usersPage(app: FastifyInstance, core: Core): void {
  const config = { renderError: consoleErrorRenderer(core) };
  const guard = consoleGuard(core);

  app.get('/admin/users', { schema: { hide: true }, config, preHandler: guard }, async (request, reply) => {
    const f = readFilters(request.query);
    const raw = request.query as { cursor?: unknown };
    const cursor = typeof raw.cursor === 'string' ? raw.cursor : undefined;
    let page: UserPage = { items: [], next_cursor: null, total: 0, total_capped: false };
    const ctx = pageContext(core, request);
    const { t } = ctx;
    let notice: Notice | undefined = noticeFrom(request.query, t);
    try {
      page = await listUsers(core, toQuery(f, cursor));
    } catch (err) {
      if (!(err instanceof AuthError) || !err.fields) throw err;
      notice = { kind: 'error', text: Object.values(err.fields).flat().map((m) => translateMessage(ctx.locale, m)).join(' ') };
    }
    const n = page.total.toLocaleString(ctx.locale);
    const counted = page.total_capped ? t('More than {{n}} users', { n }) : page.total === 1 ? t('{{n}} user', { n }) : t('{{n}} users', { n });
    const pager = html`<nav class="pager" aria-label="${t('Pages')}">
  <span class="muted">${counted}</span>
  ${cursor ? html`<a class="btn btn-ghost btn-small" href="/admin/users${queryString({ ...f })}">${t('First page')}</a>` : ''}
  ${page.next_cursor ? html`<a class="btn btn-secondary btn-small" rel="next" href="/admin/users${queryString({ ...f, cursor: page.next_cursor })}">${t('Next page →')}</a>` : ''}
</nav>`;
    const body = html`${filterForm(f, t)}${table(core, t, f, page, csrfField(ctx.session), `/admin/users${queryString({ ...f, cursor })}`)}${pager}`;
    return sendPage(reply, consolePage(ctx, { title: t('Users'), section: 'users', notice, actions: exportActions(f, t, html`<a class="btn" href="/admin/users/invite">${t('Invite user')}</a><a class="btn btn-primary" href="/admin/users/new">${t('New user')}</a>`), body }));
  });

  app.post('/admin/users/bulk', { schema: { hide: true }, config, preHandler: guard }, async (request, reply) => {
    const form = request.body as { action?: unknown; ids?: unknown };
    const action = typeof form.action === 'string' && (bulkActions as readonly string[]).includes(form.action) ? (form.action as BulkAction) : undefined;
    const ids = (Array.isArray(form.ids) ? form.ids : [form.ids]).filter((v): v is string => typeof v === 'string' && /^[0-9]{1,15}$/.test(v)).map(Number);
    if (!action) throw new AuthError('validation_failed', 'Choose an action.');
    if (ids.length === 0) return redirectWith(reply, '/admin/users', 'bulk', { ok: 0, failed: 0 });
    const results = await bulkUserAction(core, consoleActor(request), action, ids);
    const ok = results.filter((r) => r.ok).length;
    const back = safeNext((form as { back?: unknown }).back);
    return redirectWith(reply, back, 'bulk', { ok, failed: results.length - ok });
  });
}
