import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import {
  createWebhookEndpoint, deleteWebhookEndpointById, deliveryStatuses, listAllWebhookEndpoints, retryWebhookDelivery, rotateWebhookSecret,
  updateWebhookEndpointById, webhookDeliveries, webhookEndpoint, webhookIdPattern, type DeliveryStatus, type WebhookDeliverySummary, type WebhookEndpointView,
} from '../../core/webhooks/endpoints.js';
import { webhookEventTypes } from '../../core/webhooks/events.js';
import { body, problems, str } from '../schemas.js';
import { iso } from '../views.js';
import { actorOf, adminApiGuard, adminSecurity, requires } from './admin-auth.js';

export const webhookEndpointSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    url: { type: 'string' },
    description: { type: 'string' },
    events: { type: 'array', items: { type: 'string', enum: ['*', ...webhookEventTypes] } },
    enabled: { type: 'boolean' },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
    created_by: { type: ['integer', 'null'] },
    previous_secret_until: { type: ['string', 'null'], description: 'until when the secret before the last rotation also signs' },
  },
} as const;

export const webhookDeliverySchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    endpoint_id: { type: 'string' },
    event_id: { type: 'string', description: 'the `webhook-id` header: the same on every attempt' },
    event_type: { type: 'string' },
    user_id: { type: ['integer', 'null'] },
    status: { type: 'string', enum: [...deliveryStatuses] },
    attempts: { type: 'integer' },
    next_attempt_at: { type: 'string' },
    last_error: { type: ['string', 'null'] },
    response_status: { type: ['integer', 'null'] },
    response_excerpt: { type: ['string', 'null'], description: 'the first 256 bytes of the last answer' },
    created_at: { type: 'string' },
    delivered_at: { type: ['string', 'null'] },
  },
} as const;

export const endpointView = (e: WebhookEndpointView) => ({ ...e, created_at: iso(e.created_at)!, updated_at: iso(e.updated_at)!, previous_secret_until: iso(e.previous_secret_until) });
export const deliveryView = (d: WebhookDeliverySummary) => ({ ...d, next_attempt_at: iso(d.next_attempt_at)!, created_at: iso(d.created_at)!, delivered_at: iso(d.delivered_at) });

const idParams = { type: 'object', properties: { id: { type: 'string', pattern: webhookIdPattern } }, required: ['id'] } as const;
const deliveryParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]{1,15}$' } }, required: ['id'] } as const;
const pageQuery = { type: 'object', properties: { status: { type: 'string', enum: [...deliveryStatuses] }, before: { type: 'string', pattern: '^[0-9]{1,15}$' } } } as const;
const eventsField = { type: 'array', maxItems: 16, items: { type: 'string', maxLength: 64 }, description: '`["*"]` or some of the event types' };
const fields = { url: str(2000), description: str(200), events: eventsField, enabled: { type: 'boolean' } };
const tags = ['admin: webhooks'];
const withSecret = { type: 'object', properties: { endpoint: webhookEndpointSchema, secret: { type: 'string', description: 'the signing secret (`whsec_…`), shown this once' } } } as const;

type PageQuery = { status?: DeliveryStatus; before?: string };
const page = (q: PageQuery) => ({ status: q.status, beforeId: q.before === undefined ? undefined : Number(q.before) });

/** Webhook endpoints and their deliveries (docs/webhooks.md). Superusers only: an endpoint receives account events. */
export function adminWebhookRoutes(app: FastifyInstance, core: Core): void {
  const superuser = adminApiGuard(core, 'superuser');
  const s = requires('superuser');

  app.get('/v1/admin/webhooks', {
    schema: { tags, summary: 'Webhook endpoints', description: `Newest first. ${s}`, security: adminSecurity, response: { 200: { type: 'object', properties: { items: { type: 'array', items: webhookEndpointSchema } } }, ...problems(401, 403) } },
    preHandler: superuser,
  }, async () => ({ items: (await listAllWebhookEndpoints(core)).map(endpointView) }));

  app.post('/v1/admin/webhooks', {
    schema: {
      tags, summary: 'Add a webhook endpoint', security: adminSecurity,
      description: `Signed events (Standard Webhooks) go to \`url\` (http or https; private and loopback addresses refused unless GATEHOUSE_WEBHOOK_ALLOW_PRIVATE=1). The signing secret is in this answer only. ${s}`,
      body: body(fields, ['url', 'events']),
      response: { 201: withSecret, ...problems(400, 401, 403, 415) },
    },
    preHandler: superuser,
  }, async (request, reply) => {
    const { endpoint, secret } = await createWebhookEndpoint(core, request.body as Record<string, unknown>, actorOf(request));
    reply.code(201).header('cache-control', 'no-store');
    return { endpoint: endpointView(endpoint), secret };
  });

  app.get('/v1/admin/webhooks/:id', {
    schema: { tags, summary: 'A webhook endpoint', description: s, security: adminSecurity, params: idParams, response: { 200: webhookEndpointSchema, ...problems(401, 403, 404) } },
    preHandler: superuser,
  }, async (request) => endpointView(await webhookEndpoint(core, (request.params as { id: string }).id)));

  app.patch('/v1/admin/webhooks/:id', {
    schema: { tags, summary: 'Change a webhook endpoint', description: `URL, events, description, enabled. ${s}`, security: adminSecurity, params: idParams, body: body(fields), response: { 200: webhookEndpointSchema, ...problems(400, 401, 403, 404, 415) } },
    preHandler: superuser,
  }, async (request) => endpointView(await updateWebhookEndpointById(core, (request.params as { id: string }).id, request.body as Record<string, unknown>, actorOf(request))));

  app.delete('/v1/admin/webhooks/:id', {
    schema: { tags, summary: 'Delete a webhook endpoint', description: `With its queued and recorded deliveries. ${s}`, security: adminSecurity, params: idParams, response: { 204: { type: 'null', description: 'Deleted' }, ...problems(401, 403, 404) } },
    preHandler: superuser,
  }, async (request, reply) => {
    await deleteWebhookEndpointById(core, (request.params as { id: string }).id, actorOf(request));
    return reply.code(204).send();
  });

  app.post('/v1/admin/webhooks/:id/rotate-secret', {
    schema: { tags, summary: 'Rotate the signing secret', description: `A new secret, shown once; the old one also signs for 24 hours (two signatures in \`webhook-signature\`). ${s}`, security: adminSecurity, params: idParams, response: { 200: withSecret, ...problems(401, 403, 404) } },
    preHandler: superuser,
  }, async (request, reply) => {
    const { endpoint, secret } = await rotateWebhookSecret(core, (request.params as { id: string }).id, actorOf(request));
    reply.header('cache-control', 'no-store');
    return { endpoint: endpointView(endpoint), secret };
  });

  const deliveriesResponse = { 200: { type: 'object', properties: { items: { type: 'array', items: webhookDeliverySchema } } } };

  app.get('/v1/admin/webhooks/:id/deliveries', {
    schema: { tags, summary: "An endpoint's deliveries", description: `Newest first, 50 a page (\`before\`: the last id seen). ${s}`, security: adminSecurity, params: idParams, querystring: pageQuery, response: { ...deliveriesResponse, ...problems(400, 401, 403, 404) } },
    preHandler: superuser,
  }, async (request) => ({ items: (await webhookDeliveries(core, { endpointId: (request.params as { id: string }).id, ...page(request.query as PageQuery) })).map(deliveryView) }));

  app.get('/v1/admin/webhook-deliveries', {
    schema: { tags, summary: 'Deliveries of every endpoint', description: `\`status=failed\` lists the dead letters. ${s}`, security: adminSecurity, querystring: pageQuery, response: { ...deliveriesResponse, ...problems(400, 401, 403) } },
    preHandler: superuser,
  }, async (request) => ({ items: (await webhookDeliveries(core, page(request.query as PageQuery))).map(deliveryView) }));

  app.post('/v1/admin/webhook-deliveries/:id/retry', {
    schema: { tags, summary: 'Retry a dead letter', description: `Queues a dead-lettered delivery again with a fresh attempt budget. ${s}`, security: adminSecurity, params: deliveryParams, response: { 200: webhookDeliverySchema, ...problems(400, 401, 403, 404) } },
    preHandler: superuser,
  }, async (request) => deliveryView(await retryWebhookDelivery(core, Number((request.params as { id: string }).id), actorOf(request))));
}
