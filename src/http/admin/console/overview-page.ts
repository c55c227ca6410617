import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/core.js';
import { overviewStats } from '../../../core/admin/overview-stats.js';
import { dayChart } from './charts.js';
import type { Locale } from '../../../core/locales.js';
import { consoleErrorRenderer, consoleGuard, noticeFrom, pageContext, sendPage } from './console-kit.js';
import { html } from './html.js';
import { consolePage } from './layout.js';

/** A count in the page's language, with a `+` when it stopped at the cap (more than that many). */
const shown = (locale: Locale, value: number, capped: boolean) => `${value.toLocaleString(locale)}${capped ? '+' : ''}`;

function stat(label: string, value: string, href?: string, tone = ''): ReturnType<typeof html> {
  const inner = html`<span class="stat-label">${label}</span><span class="stat-value">${value}</span>`;
  return href ? html`<a class="card stat ${tone}" href="${href}">${inner}</a>` : html`<div class="card stat ${tone}">${inner}</div>`;
}

export function overviewPage(app: FastifyInstance, core: Core): void {
  app.get('/admin', { schema: { hide: true }, config: { renderError: consoleErrorRenderer(core) }, preHandler: consoleGuard(core) }, async (request, reply) => {
    const ctx = pageContext(core, request);
    const { t } = ctx;
    const o = await overviewStats(core, 14);
    const n = (path: string, value: number) => shown(ctx.locale, value, o.capped.includes(path));
    const body = html`<section class="stats" aria-label="${t('Counts')}">
  ${stat(t('Users'), n('users.total', o.users.total), '/admin/users')}
  ${stat(t('Active'), n('users.active', o.users.active), '/admin/users?active=true')}
  ${stat(t('Pending activation'), n('users.pending_activation', o.users.pending_activation), '/admin/users?pending=true', o.users.pending_activation ? 'stat-warn' : '')}
  ${stat(t('Unverified email'), n('users.unverified', o.users.unverified), '/admin/users?verified=false')}
  ${stat(t('Locked now'), n('users.locked', o.users.locked), '/admin/users?locked=true', o.users.locked ? 'stat-warn' : '')}
  ${stat(t('Active sessions'), n('active_sessions', o.active_sessions))}
  ${stat(t('Failed logins (24 h)'), n('failed_logins_24h', o.failed_logins_24h), '/admin/audit?kind=login.failed', o.failed_logins_24h ? 'stat-warn' : '')}
  ${stat(t('Failed mail'), n('mail.failed', o.mail.failed), '/admin/mail?status=failed', o.mail.failed ? 'stat-danger' : '')}
</section>
<section class="charts" aria-label="${t('Activity over the last 14 days')}">
  ${dayChart(t('Sign-ups per day'), o.signups_per_day, 'accent')}
  ${dayChart(t('Logins per day'), o.logins_per_day, 'ok')}
  ${dayChart(t('Failed logins per day'), o.failed_logins_per_day, 'danger')}
</section>
<p class="muted small">${t('Last 14 days, by UTC day. Mail queue: {{pending}} pending, {{retry}} retrying, {{sent}} sent, {{failed}} failed.', { pending: n('mail.pending', o.mail.pending), retry: n('mail.retry', o.mail.retry), sent: n('mail.sent', o.mail.sent), failed: n('mail.failed', o.mail.failed) })}</p>`;
    return sendPage(reply, consolePage(ctx, { title: t('Overview'), section: 'overview', notice: noticeFrom(request.query, t), body }));
  });
}
