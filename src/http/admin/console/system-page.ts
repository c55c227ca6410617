import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/core.js';
import { systemFacts, type SystemFacts } from '../../../core/admin/system-facts.js';
import { formatAge, formatDuration } from '../../../core/human-duration.js';
import type { Translate } from '../../../i18n/index.js';
import { consoleErrorRenderer, consoleGuard, noticeFrom, pageContext, sendPage } from './console-kit.js';
import { html, type Html, time, translateHtml } from './html.js';
import { consolePage, type Speech } from './layout.js';

type Tone = 'ok' | 'warn' | 'danger' | 'muted';
const dialectLabels: Record<string, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

const badge = (tone: Tone, text: string) => html`<span class="badge badge-${tone}">${text}</span>`;

function stat(label: string, value: string, tone: Tone, note: Html | string): Html {
  const edge = tone === 'danger' ? ' stat-danger' : tone === 'warn' ? ' stat-warn' : '';
  return html`<div class="card stat${edge}"><span class="stat-label">${label}</span><span class="stat-value">${value}</span><span class="muted small">${note}</span></div>`;
}

function migrationText(m: SystemFacts['database']['migration'], t: Translate): { tone: Tone; text: string } {
  if (m.unknown.length) return { tone: 'danger', text: t('ahead of this build (unknown: {{migrations}})', { migrations: m.unknown.join(', ') }) };
  if (!m.current) return { tone: 'danger', text: t('behind this build (missing: {{migrations}}): run "gatehouse migrate"', { migrations: m.missing.join(', ') }) };
  return { tone: 'ok', text: t('matches this build') };
}

function redisText(r: SystemFacts['redis'], t: Translate): { tone: Tone; value: string; text: string } {
  if (!r.configured) return { tone: 'muted', value: t('Not used'), text: t('REDIS_URL is not set: counters and caches live in this process') };
  return r.healthy
    ? { tone: 'ok', value: t('Healthy'), text: t('answering') }
    : { tone: 'danger', value: t('Down'), text: t('not answering: rate limits count per instance, revocations are read from the database') };
}

function cards(f: SystemFacts, { t, locale }: Speech): Html {
  const m = migrationText(f.database.migration, t);
  const r = redisText(f.redis, t);
  const duration = (seconds: number) => formatDuration(seconds, { locale });
  const age = (ms: number) => formatAge(ms, { locale });
  const count = (n: number) => n.toLocaleString(locale);
  const due = f.outbox.oldest_due_seconds;
  const mailTone: Tone = f.outbox.counts.failed ? 'danger' : due !== null && due > 300 ? 'warn' : 'ok';
  const keyRows = f.signing.keys.map((k) => html`<tr>
    <td><code>${k.kid}</code></td><td>${k.state === 'signing' ? badge('ok', t('signing')) : badge('muted', t('retired'))}</td>
    <td>${duration(k.age_seconds)}</td><td>${time(k.created_at)}</td><td>${k.expires_at === null ? html`<span class="muted">—</span>` : time(k.expires_at)}</td>
  </tr>`);
  const instanceRows = f.instances.seen.map((i) => html`<tr><td><code>${i.instance}</code></td><td>${age(i.age_seconds * 1000)}</td></tr>`);
  const cleanupAge = f.cleanup.age_seconds;
  return html`<section class="stats" aria-label="${t('Health')}">
  ${stat(t('Database'), dialectLabels[f.database.dialect] ?? f.database.dialect, m.tone, t('migration {{at}} of {{needs}}', { at: f.database.migration.at, needs: f.database.migration.needs }))}
  ${stat(t('Redis'), r.value, r.tone, r.text)}
  ${stat(t('Mail backlog'), `${count(f.outbox.backlog)}${f.outbox.capped.includes('pending') || f.outbox.capped.includes('retry') ? '+' : ''}`, mailTone, due === null ? t('nothing due') : t('oldest due {{age}}', { age: age(due * 1000) }))}
  ${stat(t('Instances'), String(f.instances.seen.length), f.instances.seen.length ? 'ok' : 'warn', t('seen in the last {{duration}}', { duration: duration(f.instances.window_seconds) }))}
</section>
<div class="system-grid">
<section class="card" aria-labelledby="db-h">
  <h2 id="db-h">${t('Database')}</h2>
  <dl class="facts">
    <dt>${t('Dialect')}</dt><dd>${f.database.dialect}</dd>
    <dt>${t('URL')}</dt><dd><code>${f.database.url}</code></dd>
    ${f.database.schema ? html`<dt>${t('Schema')}</dt><dd><code>${f.database.schema}</code></dd>` : ''}
    <dt>${t('Migration level')}</dt><dd>${t('{{at}}, build needs {{needs}}', { at: f.database.migration.at, needs: f.database.migration.needs })} ${badge(m.tone, m.tone === 'ok' ? t('current') : t('mismatch'))}<div class="muted small">${m.text}</div></dd>
  </dl>
</section>
<section class="card" aria-labelledby="redis-h">
  <h2 id="redis-h">${t('Redis')}</h2>
  <dl class="facts">
    <dt>${t('Configured')}</dt><dd>${f.redis.configured ? t('yes') : t('no')}</dd>
    <dt>${t('State')}</dt><dd>${badge(r.tone, r.value)}<div class="muted small">${r.text}</div></dd>
  </dl>
</section>
<section class="card" aria-labelledby="mail-h">
  <h2 id="mail-h">${t('Mail outbox')}</h2>
  <dl class="facts">
    <dt>${t('Backlog')}</dt><dd>${t('{{pending}} pending, {{retry}} retrying', { pending: count(f.outbox.counts.pending), retry: count(f.outbox.counts.retry) })}</dd>
    <dt>${t('Oldest due')}</dt><dd>${f.outbox.oldest_due_at === null ? html`<span class="muted">${t('nothing due')}</span>` : html`${time(f.outbox.oldest_due_at)} (${age((due ?? 0) * 1000)})`}</dd>
    <dt>${t('Failed')}</dt><dd>${f.outbox.counts.failed ? html`<a href="/admin/mail?status=failed">${count(f.outbox.counts.failed)}</a>` : '0'}</dd>
  </dl>
</section>
<section class="card" aria-labelledby="cleanup-h">
  <h2 id="cleanup-h">${t('Cleanup job')}</h2>
  <dl class="facts">
    <dt>${t('Last run')}</dt><dd>${f.cleanup.last_run_at === null ? html`<span class="muted">${t('none recorded in the last day')}</span>` : html`${time(f.cleanup.last_run_at)} (${age((cleanupAge ?? 0) * 1000)})`}</dd>
  </dl>
  <p class="help">${t('Deletes expired sessions, tokens, codes, old audit events and finished mail, about every 10 min on one instance at a time.')}</p>
</section>
</div>
<section class="card" aria-labelledby="keys-h">
  <h2 id="keys-h">${t('Signing keys')} <span class="count">${f.signing.alg}</span></h2>
  ${f.signing.alg === 'HS256'
    ? html`<p class="muted">${t('Tokens are signed with a shared secret (HS256): there are no key pairs to age or rotate.')}</p>`
    : html`<div class="table-wrap"><table class="data compact"><thead><tr><th scope="col">${t('Key id')}</th><th scope="col">${t('State')}</th><th scope="col">${t('Age')}</th><th scope="col">${t('Created')}</th><th scope="col">${t('Unpublished')}</th></tr></thead><tbody>${keyRows}</tbody></table></div>`}
</section>
<section class="card" aria-labelledby="instances-h">
  <h2 id="instances-h">${t('Instances')} <span class="count">${f.instances.seen.length}</span></h2>
  ${instanceRows.length
    ? html`<div class="table-wrap"><table class="data compact"><thead><tr><th scope="col">${t('Instance (host:pid:nonce)')}</th><th scope="col">${t('Last readiness probe')}</th></tr></thead><tbody>${instanceRows}</tbody></table></div>`
    : html`<p class="muted">${translateHtml(t, 'No instance answered {{path}} in the last {{duration}}; is a load balancer or orchestrator probing it?', { path: html`<code>/readyz</code>`, duration: html`${duration(f.instances.window_seconds)}` })}</p>`}
</section>
<p class="muted small">${translateHtml(t, 'Checked {{time}}. The same facts as JSON: {{link}} (admin API).', { time: time(f.checked_at), link: html`<a href="/v1/admin/system"><code>GET /v1/admin/system</code></a>` })}</p>`;
}

export function systemPage(app: FastifyInstance, core: Core): void {
  app.get('/admin/system', { schema: { hide: true }, config: { renderError: consoleErrorRenderer(core) }, preHandler: consoleGuard(core) }, async (request, reply) => {
    const facts = await systemFacts(core);
    const ctx = pageContext(core, request);
    return sendPage(reply, consolePage(ctx, { title: ctx.t('System'), section: 'system', notice: noticeFrom(request.query, ctx.t), body: cards(facts, ctx) }));
  });
}
