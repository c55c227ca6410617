import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/core.js';
import { systemFacts, type SystemFacts } from '../../../core/admin/system-facts.js';
import { formatAge, formatDuration } from '../../../core/human-duration.js';
import { consoleSpeech, consoleErrorRenderer, consoleGuard, noticeFrom, pageContext, sendPage } from './console-kit.js';
import { html, time, type Html } from './html.js';
import { consolePage } from './layout.js';

type Tone = 'ok' | 'warn' | 'danger' | 'muted';
const dialectLabels: Record<string, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

const badge = (tone: Tone, text: string) => html`<span class="badge badge-${tone}">${text}</span>`;

function stat(label: string, value: string, tone: Tone, note: Html | string): Html {
  const edge = tone === 'danger' ? ' stat-danger' : tone === 'warn' ? ' stat-warn' : '';
  return html`<div class="card stat${edge}"><span class="stat-label">${label}</span><span class="stat-value">${value}</span><span class="muted small">${note}</span></div>`;
}

function migrationText(m: SystemFacts['database']['migration']): { tone: Tone; text: string } {
  if (m.unknown.length) return { tone: 'danger', text: `ahead of this build (unknown: ${m.unknown.join(', ')})` };
  if (!m.current) return { tone: 'danger', text: `behind this build (missing: ${m.missing.join(', ')}): run "gatehouse migrate"` };
  return { tone: 'ok', text: 'matches this build' };
}

function redisText(r: SystemFacts['redis']): { tone: Tone; value: string; text: string } {
  if (!r.configured) return { tone: 'muted', value: 'Not used', text: 'REDIS_URL is not set: counters and caches live in this process' };
  return r.healthy
    ? { tone: 'ok', value: 'Healthy', text: 'answering' }
    : { tone: 'danger', value: 'Down', text: 'not answering: rate limits count per instance, revocations are read from the database' };
}

function cards(f: SystemFacts): Html {
  const m = migrationText(f.database.migration);
  const r = redisText(f.redis);
  const due = f.outbox.oldest_due_seconds;
  const mailTone: Tone = f.outbox.counts.failed ? 'danger' : due !== null && due > 300 ? 'warn' : 'ok';
  const keyRows = f.signing.keys.map((k) => html`<tr>
    <td><code>${k.kid}</code></td><td>${k.state === 'signing' ? badge('ok', 'signing') : badge('muted', 'retired')}</td>
    <td>${formatDuration(k.age_seconds)}</td><td>${time(k.created_at)}</td><td>${k.expires_at === null ? html`<span class="muted">—</span>` : time(k.expires_at)}</td>
  </tr>`);
  const instanceRows = f.instances.seen.map((i) => html`<tr><td><code>${i.instance}</code></td><td>${formatAge(i.age_seconds * 1000)}</td></tr>`);
  const cleanupAge = f.cleanup.age_seconds;
  return html`<section class="stats" aria-label="Health">
  ${stat('Database', dialectLabels[f.database.dialect] ?? f.database.dialect, m.tone, `migration ${f.database.migration.at} of ${f.database.migration.needs}`)}
  ${stat('Redis', r.value, r.tone, r.text)}
  ${stat('Mail backlog', `${f.outbox.backlog.toLocaleString('en-US')}${f.outbox.capped.includes('pending') || f.outbox.capped.includes('retry') ? '+' : ''}`, mailTone, due === null ? 'nothing due' : `oldest due ${formatAge(due * 1000)}`)}
  ${stat('Instances', String(f.instances.seen.length), f.instances.seen.length ? 'ok' : 'warn', `seen in the last ${formatDuration(f.instances.window_seconds)}`)}
</section>
<div class="system-grid">
<section class="card" aria-labelledby="db-h">
  <h2 id="db-h">Database</h2>
  <dl class="facts">
    <dt>Dialect</dt><dd>${f.database.dialect}</dd>
    <dt>URL</dt><dd><code>${f.database.url}</code></dd>
    ${f.database.schema ? html`<dt>Schema</dt><dd><code>${f.database.schema}</code></dd>` : ''}
    <dt>Migration level</dt><dd>${f.database.migration.at}, build needs ${f.database.migration.needs} ${badge(m.tone, m.tone === 'ok' ? 'current' : 'mismatch')}<div class="muted small">${m.text}</div></dd>
  </dl>
</section>
<section class="card" aria-labelledby="redis-h">
  <h2 id="redis-h">Redis</h2>
  <dl class="facts">
    <dt>Configured</dt><dd>${f.redis.configured ? 'yes' : 'no'}</dd>
    <dt>State</dt><dd>${badge(r.tone, r.value)}<div class="muted small">${r.text}</div></dd>
  </dl>
</section>
<section class="card" aria-labelledby="mail-h">
  <h2 id="mail-h">Mail outbox</h2>
  <dl class="facts">
    <dt>Backlog</dt><dd>${f.outbox.counts.pending.toLocaleString('en-US')} pending, ${f.outbox.counts.retry.toLocaleString('en-US')} retrying</dd>
    <dt>Oldest due</dt><dd>${f.outbox.oldest_due_at === null ? html`<span class="muted">nothing due</span>` : html`${time(f.outbox.oldest_due_at)} (${formatAge((due ?? 0) * 1000)})`}</dd>
    <dt>Failed</dt><dd>${f.outbox.counts.failed ? html`<a href="/admin/mail?status=failed">${f.outbox.counts.failed.toLocaleString('en-US')}</a>` : '0'}</dd>
  </dl>
</section>
<section class="card" aria-labelledby="cleanup-h">
  <h2 id="cleanup-h">Cleanup job</h2>
  <dl class="facts">
    <dt>Last run</dt><dd>${f.cleanup.last_run_at === null ? html`<span class="muted">none recorded in the last day</span>` : html`${time(f.cleanup.last_run_at)} (${formatAge((cleanupAge ?? 0) * 1000)})`}</dd>
  </dl>
  <p class="help">Deletes expired sessions, tokens, codes, old audit events and finished mail, about every 10 min on one instance at a time.</p>
</section>
</div>
<section class="card" aria-labelledby="keys-h">
  <h2 id="keys-h">Signing keys <span class="count">${f.signing.alg}</span></h2>
  ${f.signing.alg === 'HS256'
    ? html`<p class="muted">Tokens are signed with a shared secret (HS256): there are no key pairs to age or rotate.</p>`
    : html`<div class="table-wrap"><table class="data compact"><thead><tr><th scope="col">Key id</th><th scope="col">State</th><th scope="col">Age</th><th scope="col">Created</th><th scope="col">Unpublished</th></tr></thead><tbody>${keyRows}</tbody></table></div>`}
</section>
<section class="card" aria-labelledby="instances-h">
  <h2 id="instances-h">Instances <span class="count">${f.instances.seen.length}</span></h2>
  ${instanceRows.length
    ? html`<div class="table-wrap"><table class="data compact"><thead><tr><th scope="col">Instance (host:pid:nonce)</th><th scope="col">Last readiness probe</th></tr></thead><tbody>${instanceRows}</tbody></table></div>`
    : html`<p class="muted">No instance answered <code>/readyz</code> in the last ${formatDuration(f.instances.window_seconds)}; is a load balancer or orchestrator probing it?</p>`}
</section>
<p class="muted small">Checked ${time(f.checked_at)}. The same facts as JSON: <a href="/v1/admin/system"><code>GET /v1/admin/system</code></a> (admin API).</p>`;
}

export function systemPage(app: FastifyInstance, core: Core): void {
  app.get('/admin/system', { schema: { hide: true }, config: { renderError: consoleErrorRenderer(core) }, preHandler: consoleGuard(core) }, async (request, reply) => {
    const facts = await systemFacts(core);
    return sendPage(reply, consolePage(pageContext(core, request), { title: 'System', section: 'system', notice: noticeFrom(request.query, consoleSpeech(core, request).t), body: cards(facts) }));
  });
}
