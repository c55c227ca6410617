import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../../core/core.js';
import { assertAdminLevel } from '../../../core/admin/permissions.js';
import { createServiceKey, listAllServiceKeys, revokeServiceKeyById, serviceKeyIdPattern } from '../../../core/service-keys.js';
import { translateMessage } from '../../../i18n/index.js';
import { consoleActor, consoleErrorRenderer, consoleGuard, fieldMessages, pageContext, redirectWith, sendPage, consoleSpeech } from './console-kit.js';
import { html, type Html, time, translateHtml } from './html.js';
import { consolePage, csrfField, type Notice } from './layout.js';

const idParams = { type: 'object', properties: { id: { type: 'string', pattern: serviceKeyIdPattern } }, required: ['id'] } as const;
// This page's own notices (console-kit's list is for the other pages), the text an English msgid.
export const serviceKeyNotices: Readonly<Record<string, Notice>> = { revoked: { kind: 'ok', text: 'Service key revoked. Streams that used it have ended.' } };

interface PageState {
  /** The key just created: shown on this one response, never again. */
  created?: { name: string; key: string };
  nameError?: string;
  name?: string;
  status?: number;
}

async function render(core: Core, request: FastifyRequest, reply: FastifyReply, state: PageState = {}) {
  const ctx = pageContext(core, request);
  const { t } = ctx;
  const keys = await listAllServiceKeys(core);
  const canChange = ctx.session.user.is_superuser;
  const done = (request.query as { done?: unknown }).done;
  const entry = typeof done === 'string' && Object.hasOwn(serviceKeyNotices, done) ? serviceKeyNotices[done] : undefined;
  const notice = entry && { kind: entry.kind, text: t(entry.text) };
  const nameError = state.nameError && translateMessage(ctx.locale, state.nameError);
  const created: Html = state.created
    ? html`<section class="card" aria-labelledby="new-key-h"><h2 id="new-key-h">${t('Key “{{name}}” created', { name: state.created.name })}</h2>
  <p>${t('Copy it now: it is shown this once and stored only as a digest.')}</p>
  <pre class="mail-body"><code>${state.created.key}</code></pre></section>`
    : html``;
  const rows = keys.map((k) => html`<tr>
    <td>${k.name}</td>
    <td><code>${k.prefix}…</code></td>
    <td class="nowrap">${time(k.created_at)}</td>
    <td class="nowrap">${time(k.last_used_at, t('never'))}</td>
    <td>${k.revoked_at !== null ? html`<span class="badge badge-muted">${translateHtml(t, 'revoked {{time}}', { time: time(k.revoked_at) })}</span>` : html`<span class="badge badge-ok">${t('live')}</span>`}</td>
    <td>${canChange && k.revoked_at === null ? html`<form method="post" action="/admin/service-keys/${k.id}/revoke" data-confirm="${t('Revoke {{name}}? Resource servers using it lose the feed at once.', { name: k.name })}">${csrfField(ctx.session)}<button type="submit" class="btn btn-danger btn-small">${t('Revoke')}</button></form>` : ''}</td>
  </tr>`);
  const form = canChange
    ? html`<form method="post" action="/admin/service-keys" class="card filters" novalidate>
  ${csrfField(ctx.session)}
  <div class="field field-grow${nameError ? ' has-error' : ''}"><label for="k-name">${t('Name')}</label><input id="k-name" name="name" maxlength="100" required value="${state.name ?? ''}"${nameError ? html` aria-invalid="true" aria-describedby="k-name-error"` : ''}>
  ${nameError ? html`<p class="field-error" id="k-name-error">${nameError}</p>` : ''}</div>
  <div class="form-buttons"><button type="submit" class="btn btn-primary">${t('Create service key')}</button></div>
</form>`
    : html`<div class="notice notice-info" role="status">${t('Only a superuser may create or revoke service keys.')}</div>`;
  const body = html`<p class="muted">${translateHtml(t, 'Resource servers read the revocation feed ({{path}}) with a service key; it opens nothing else.', { path: html`<code>/v1/revocations</code>` })}</p>
${created}
${form}
${keys.length ? html`<div class="card table-card"><div class="table-wrap"><table class="data compact">
  <thead><tr><th scope="col">${t('Name')}</th><th scope="col">${t('Key')}</th><th scope="col">${t('Created')}</th><th scope="col">${t('Last used')}</th><th scope="col">${t('State')}</th><th scope="col"><span class="sr-only">${t('Actions')}</span></th></tr></thead>
  <tbody>${rows}</tbody></table></div></div>` : html`<div class="card empty">${t('No service keys yet.')}</div>`}`;
  return sendPage(reply, consolePage(ctx, { title: t('Service keys'), section: 'service-keys', notice, body }), state.status ?? 200);
}

export function serviceKeysPage(app: FastifyInstance, core: Core): void {
  const config = { renderError: consoleErrorRenderer(core) };
  const guard = consoleGuard(core);

  app.get('/admin/service-keys', { schema: { hide: true }, config, preHandler: guard }, async (request, reply) => render(core, request, reply));

  app.post('/admin/service-keys', { schema: { hide: true }, config, preHandler: guard }, async (request, reply) => {
    const actor = consoleActor(request);
    assertAdminLevel(actor.user, 'superuser');
    const name = (request.body as { name?: unknown } | undefined)?.name;
    try {
      const { serviceKey, key } = await createServiceKey(core, { name }, actor);
      return await render(core, request, reply, { created: { name: serviceKey.name, key }, status: 201 });
    } catch (err) {
      const errors = fieldMessages(err, consoleSpeech(core, request).locale);
      if (!errors) throw err;
      return render(core, request, reply, { nameError: errors.name ?? errors.non_field_errors, name: typeof name === 'string' ? name : '', status: 400 });
    }
  });

  app.post('/admin/service-keys/:id/revoke', { schema: { hide: true, params: idParams }, config, preHandler: guard }, async (request, reply) => {
    const actor = consoleActor(request);
    assertAdminLevel(actor.user, 'superuser');
    await revokeServiceKeyById(core, (request.params as { id: string }).id, actor);
    return redirectWith(reply, '/admin/service-keys?done=revoked');
  });
}
