import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../../core/core.js';
import { assertAdminLevel } from '../../../core/admin/permissions.js';
import {
  createWebhookEndpoint, deleteWebhookEndpointById, listAllWebhookEndpoints, retryWebhookDelivery, rotateWebhookSecret, updateWebhookEndpointById,
  webhookDeliveries, webhookIdPattern,
} from '../../../core/webhooks/endpoints.js';
import { webhookEventTypes } from '../../../core/webhooks/events.js';
import { translateMessage } from '../../../i18n/index.js';
import { consoleActor, consoleErrorRenderer, consoleGuard, fieldMessages, pageContext, redirectWith, sendPage, consoleSpeech } from './console-kit.js';
import { html, type Html, time, translateHtml } from './html.js';
import { consolePage, csrfField, type Notice } from './layout.js';

const idParams = { type: 'object', properties: { id: { type: 'string', pattern: webhookIdPattern } }, required: ['id'] } as const;
const deliveryParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]{1,15}$' } }, required: ['id'] } as const;
// This page's own notices, the text an English msgid.
export const webhookNotices: Readonly<Record<string, Notice>> = {
  deleted: { kind: 'ok', text: 'Webhook endpoint deleted, with its deliveries.' },
  saved: { kind: 'ok', text: 'Webhook endpoint changed.' },
  retried: { kind: 'ok', text: 'Delivery queued again.' },
};

interface PageState {
  /** An endpoint just created or rotated: its secret is shown on this one response, never again. */
  secret?: { url: string; secret: string };
  errors?: Record<string, string>;
  url?: string;
  status?: number;
}

/** A form's `events` field: one checkbox value (a string) or several (an array). */
const listOf = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

async function render(core: Core, request: FastifyRequest, reply: FastifyReply, state: PageState = {}) {
  const ctx = pageContext(core, request);
  const { t } = ctx;
  assertAdminLevel(ctx.session.user, 'superuser');
  const [endpoints, deadLetters] = await Promise.all([listAllWebhookEndpoints(core), webhookDeliveries(core, { status: 'failed' }, 50)]);
  const done = (request.query as { done?: unknown }).done;
  const entry = typeof done === 'string' && Object.hasOwn(webhookNotices, done) ? webhookNotices[done] : undefined;
  const notice = entry && { kind: entry.kind, text: t(entry.text) };
  const csrf = csrfField(ctx.session);
  const secret: Html = state.secret
    ? html`<section class="card" aria-labelledby="secret-h"><h2 id="secret-h">${t('Signing secret for {{url}}', { url: state.secret.url })}</h2>
  <p>${translateHtml(t, 'Copy it now: it is shown this once. Receivers verify {{header}} with it (docs/webhooks.md).', { header: html`<code>webhook-signature</code>` })}</p>
  <pre class="mail-body"><code>${state.secret.secret}</code></pre></section>`
    : html``;
  const error = (field: string) => (state.errors?.[field] ? html`<p class="field-error" id="w-${field}-error">${translateMessage(ctx.locale, state.errors[field])}</p>` : '');
  // Event types are codes (user.created): receivers switch on them, so the page shows them as they are sent.
  const boxes = webhookEventTypes.map((type) => html`<label class="check"><input type="checkbox" name="events" value="${type}" checked> ${type}</label>`);
  const form = html`<form method="post" action="/admin/webhooks" class="card filters" novalidate>
  ${csrf}
  <div class="field field-grow${state.errors?.url ? ' has-error' : ''}"><label for="w-url">${t('Endpoint URL')}</label><input id="w-url" name="url" type="url" maxlength="2000" required value="${state.url ?? ''}" placeholder="https://app.example.com/hooks/gatehouse">${error('url')}</div>
  <fieldset class="field"><legend>${t('Events')}</legend>${boxes}${error('events')}</fieldset>
  ${error('non_field_errors')}
  <div class="form-buttons"><button type="submit" class="btn btn-primary">${t('Add endpoint')}</button></div>
</form>`;
  const rows = endpoints.map((e) => html`<tr>
    <td><code>${e.url}</code></td>
    <td>${e.events.join(', ')}</td>
    <td>${e.enabled ? html`<span class="badge badge-ok">${t('enabled')}</span>` : html`<span class="badge badge-muted">${t('disabled')}</span>`}</td>
    <td class="nowrap">${time(e.created_at)}</td>
    <td class="nowrap">
      <form method="post" action="/admin/webhooks/${e.id}/${e.enabled ? 'disable' : 'enable'}">${csrf}<button type="submit" class="btn btn-secondary btn-small">${e.enabled ? t('Disable') : t('Enable')}</button></form>
      <form method="post" action="/admin/webhooks/${e.id}/rotate" data-confirm="${t('Rotate the secret of {{url}}? The old one keeps signing for 24 hours.', { url: e.url })}">${csrf}<button type="submit" class="btn btn-secondary btn-small">${t('Rotate secret')}</button></form>
      <form method="post" action="/admin/webhooks/${e.id}/delete" data-confirm="${t('Delete {{url}} and its deliveries?', { url: e.url })}">${csrf}<button type="submit" class="btn btn-danger btn-small">${t('Delete')}</button></form>
    </td>
  </tr>`);
  const dead = deadLetters.map((d) => html`<tr>
    <td>${d.id}</td><td>${d.event_type}</td><td>${d.user_id ?? ''}</td><td><code>${d.endpoint_id}</code></td><td>${d.attempts}</td>
    <td>${d.last_error ?? ''}</td><td class="nowrap">${time(d.created_at)}</td>
    <td><form method="post" action="/admin/webhooks/deliveries/${d.id}/retry">${csrf}<button type="submit" class="btn btn-secondary btn-small">${t('Retry')}</button></form></td>
  </tr>`);
  const body = html`<p class="muted">${t('Account changes are sent, signed, to these endpoints (Standard Webhooks), in order per user, retried with backoff and dead-lettered after the last attempt.')}</p>
${secret}
${form}
${endpoints.length ? html`<div class="card table-card"><div class="table-wrap"><table class="data compact">
  <thead><tr><th scope="col">${t('URL')}</th><th scope="col">${t('Events')}</th><th scope="col">${t('State')}</th><th scope="col">${t('Created')}</th><th scope="col"><span class="sr-only">${t('Actions')}</span></th></tr></thead>
  <tbody>${rows}</tbody></table></div></div>` : html`<div class="card empty">${t('No webhook endpoints yet.')}</div>`}
<h2>${t('Dead letters')}</h2>
${deadLetters.length ? html`<div class="card table-card"><div class="table-wrap"><table class="data compact" id="dead-letters">
  <thead><tr><th scope="col">${t('Delivery')}</th><th scope="col">${t('Event')}</th><th scope="col">${t('User')}</th><th scope="col">${t('Endpoint')}</th><th scope="col">${t('Attempts')}</th><th scope="col">${t('Last error')}</th><th scope="col">${t('Created')}</th><th scope="col"><span class="sr-only">${t('Actions')}</span></th></tr></thead>
  <tbody>${dead}</tbody></table></div></div>` : html`<div class="card empty">${t('No dead letters.')}</div>`}`;
  return sendPage(reply, consolePage(ctx, { title: t('Webhooks'), section: 'webhooks', notice, body }), state.status ?? 200);
}

/** The console's webhooks page (superusers): endpoints, their secrets once, and the dead letters with a retry. */
export function webhooksPage(app: FastifyInstance, core: Core): void {
  const config = { renderError: consoleErrorRenderer(core) };
  const guard = consoleGuard(core);
  const superuserActor = (request: FastifyRequest) => {
    const actor = consoleActor(request);
    assertAdminLevel(actor.user, 'superuser');
    return actor;
  };
  const id = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.get('/admin/webhooks', { schema: { hide: true }, config, preHandler: guard }, async (request, reply) => render(core, request, reply));

  app.post('/admin/webhooks', { schema: { hide: true }, config, preHandler: guard }, async (request, reply) => {
    const actor = superuserActor(request);
    const form = (request.body ?? {}) as { url?: unknown; events?: unknown };
    try {
      const { endpoint, secret } = await createWebhookEndpoint(core, { url: form.url, events: listOf(form.events) }, actor);
      return await render(core, request, reply, { secret: { url: endpoint.url, secret }, status: 201 });
    } catch (err) {
      const errors = fieldMessages(err, consoleSpeech(core, request).locale);
      if (!errors) throw err;
      return render(core, request, reply, { errors, url: typeof form.url === 'string' ? form.url : '', status: 400 });
    }
  });

  for (const [action, enabled] of [['enable', true], ['disable', false]] as const) {
    app.post(`/admin/webhooks/:id/${action}`, { schema: { hide: true, params: idParams }, config, preHandler: guard }, async (request, reply) => {
      await updateWebhookEndpointById(core, id(request), { enabled }, superuserActor(request));
      return redirectWith(reply, '/admin/webhooks?done=saved');
    });
  }

  app.post('/admin/webhooks/:id/rotate', { schema: { hide: true, params: idParams }, config, preHandler: guard }, async (request, reply) => {
    const { endpoint, secret } = await rotateWebhookSecret(core, id(request), superuserActor(request));
    return render(core, request, reply, { secret: { url: endpoint.url, secret } });
  });

  app.post('/admin/webhooks/:id/delete', { schema: { hide: true, params: idParams }, config, preHandler: guard }, async (request, reply) => {
    await deleteWebhookEndpointById(core, id(request), superuserActor(request));
    return redirectWith(reply, '/admin/webhooks?done=deleted');
  });

  app.post('/admin/webhooks/deliveries/:id/retry', { schema: { hide: true, params: deliveryParams }, config, preHandler: guard }, async (request, reply) => {
    await retryWebhookDelivery(core, Number(id(request)), superuserActor(request));
    return redirectWith(reply, '/admin/webhooks?done=retried');
  });
}
