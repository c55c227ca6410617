import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../../core/core.js';
import { assertAdminLevel } from '../../../core/admin/permissions.js';
import {
  createWebhookEndpoint, deleteWebhookEndpointById, listAllWebhookEndpoints, retryWebhookDelivery, rotateWebhookSecret, updateWebhookEndpointById,
  webhookDeliveries, webhookIdPattern,
} from '../../../core/webhooks/endpoints.js';
import { webhookEventTypes } from '../../../core/webhooks/events.js';
import { consoleActor, consoleErrorRenderer, consoleGuard, fieldMessages, pageContext, redirectWith, sendPage } from './console-kit.js';
import { html, time, type Html } from './html.js';
import { consolePage, csrfField, type Notice } from './layout.js';

const idParams = { type: 'object', properties: { id: { type: 'string', pattern: webhookIdPattern } }, required: ['id'] } as const;
const deliveryParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]{1,15}$' } }, required: ['id'] } as const;
const notices: Record<string, Notice> = {
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
  assertAdminLevel(ctx.session.user, 'superuser');
  const [endpoints, deadLetters] = await Promise.all([listAllWebhookEndpoints(core), webhookDeliveries(core, { status: 'failed' }, 50)]);
  const done = (request.query as { done?: unknown }).done;
  const notice = typeof done === 'string' && Object.hasOwn(notices, done) ? notices[done] : undefined;
  const csrf = csrfField(ctx.session);
  const secret: Html = state.secret
    ? html`<section class="card" aria-labelledby="secret-h"><h2 id="secret-h">Signing secret for ${state.secret.url}</h2>
  <p>Copy it now: it is shown this once. Receivers verify <code>webhook-signature</code> with it (docs/webhooks.md).</p>
  <pre class="mail-body"><code>${state.secret.secret}</code></pre></section>`
    : html``;
  const error = (field: string) => (state.errors?.[field] ? html`<p class="field-error" id="w-${field}-error">${state.errors[field]}</p>` : '');
  const boxes = webhookEventTypes.map((t) => html`<label class="check"><input type="checkbox" name="events" value="${t}" checked> ${t}</label>`);
  const form = html`<form method="post" action="/admin/webhooks" class="card filters" novalidate>
  ${csrf}
  <div class="field field-grow${state.errors?.url ? ' has-error' : ''}"><label for="w-url">Endpoint URL</label><input id="w-url" name="url" type="url" maxlength="2000" required value="${state.url ?? ''}" placeholder="https://app.example.com/hooks/gatehouse">${error('url')}</div>
  <fieldset class="field"><legend>Events</legend>${boxes}${error('events')}</fieldset>
  ${error('non_field_errors')}
  <div class="form-buttons"><button type="submit" class="btn btn-primary">Add endpoint</button></div>
</form>`;
  const rows = endpoints.map((e) => html`<tr>
    <td><code>${e.url}</code></td>
    <td>${e.events.join(', ')}</td>
    <td>${e.enabled ? html`<span class="badge badge-ok">enabled</span>` : html`<span class="badge badge-muted">disabled</span>`}</td>
    <td class="nowrap">${time(e.created_at)}</td>
    <td class="nowrap">
      <form method="post" action="/admin/webhooks/${e.id}/${e.enabled ? 'disable' : 'enable'}">${csrf}<button type="submit" class="btn btn-secondary btn-small">${e.enabled ? 'Disable' : 'Enable'}</button></form>
      <form method="post" action="/admin/webhooks/${e.id}/rotate" data-confirm="Rotate the secret of ${e.url}? The old one keeps signing for 24 hours.">${csrf}<button type="submit" class="btn btn-secondary btn-small">Rotate secret</button></form>
      <form method="post" action="/admin/webhooks/${e.id}/delete" data-confirm="Delete ${e.url} and its deliveries?">${csrf}<button type="submit" class="btn btn-danger btn-small">Delete</button></form>
    </td>
  </tr>`);
  const dead = deadLetters.map((d) => html`<tr>
    <td>${d.id}</td><td>${d.event_type}</td><td>${d.user_id ?? ''}</td><td><code>${d.endpoint_id}</code></td><td>${d.attempts}</td>
    <td>${d.last_error ?? ''}</td><td class="nowrap">${time(d.created_at)}</td>
    <td><form method="post" action="/admin/webhooks/deliveries/${d.id}/retry">${csrf}<button type="submit" class="btn btn-secondary btn-small">Retry</button></form></td>
  </tr>`);
  const body = html`<p class="muted">Account changes are sent, signed, to these endpoints (Standard Webhooks), in order per user, retried with backoff and dead-lettered after the last attempt.</p>
${secret}
${form}
${endpoints.length ? html`<div class="card table-card"><div class="table-wrap"><table class="data compact">
  <thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">State</th><th scope="col">Created</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
  <tbody>${rows}</tbody></table></div></div>` : html`<div class="card empty">No webhook endpoints yet.</div>`}
<h2>Dead letters</h2>
${deadLetters.length ? html`<div class="card table-card"><div class="table-wrap"><table class="data compact" id="dead-letters">
  <thead><tr><th scope="col">Delivery</th><th scope="col">Event</th><th scope="col">User</th><th scope="col">Endpoint</th><th scope="col">Attempts</th><th scope="col">Last error</th><th scope="col">Created</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
  <tbody>${dead}</tbody></table></div></div>` : html`<div class="card empty">No dead letters.</div>`}`;
  return sendPage(reply, consolePage(ctx, { title: 'Webhooks', section: 'webhooks', notice, body }), state.status ?? 200);
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
      const errors = fieldMessages(err);
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
