import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Core } from '../../core/core.js';
import { AuthError } from '../../core/errors.js';
import { maxCursorLength } from '../../core/admin/paging.js';
import { decodeFeedCursor, feedPageMax, feedStart, resumeFrom, revocationPage, type FeedEntry } from '../../core/revocation-feed.js';
import { RevocationFeedHub } from '../../core/revocation-feed-hub.js';
import { authenticateServiceKey } from '../../core/service-keys.js';
import { readCredential } from '../auth.js';
import { problems } from '../schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    serviceKeyId?: string;
  }
}

const security = [{ bearer: [] }];
const keyNote = 'Readers authenticate with a service key (`Authorization: Bearer gsk_…`, made in the console, the admin API or `gatehouse service-keys create`); no user token is accepted.';
const cursorParam = { type: 'string', maxLength: maxCursorLength, description: 'the `cursor` of a previous page (or an event id of the stream)' } as const;
const entrySchema = {
  type: 'object',
  properties: {
    sid: { type: 'string', description: 'the session id (the `sid` claim of its access tokens)' },
    revoked_at: { type: 'integer', description: 'epoch ms' },
    not_after: { type: 'integer', description: 'epoch ms after which no access token of this session can be valid (drop the entry then)' },
  },
  required: ['sid', 'revoked_at', 'not_after'],
} as const;
/** A slow reader whose unsent events pass this is cut off; it reconnects with Last-Event-ID. */
const maxBufferedBytes = 1 << 20;

/** The feed's guard: a live service key as a Bearer credential, nothing else. */
function requireServiceKey(core: Core): preHandlerAsyncHookHandler {
  return async function (request: FastifyRequest) {
    const credential = readCredential(request, ['Bearer', 'Token']);
    if (!credential) throw new AuthError('not_authenticated', 'The revocation feed takes a service key (Authorization: Bearer gsk_…).');
    request.serviceKeyId = (await authenticateServiceKey(core, credential.value)).keyId;
  };
}

const sseEvent = (e: FeedEntry) => `id: ${e.cursor}\nevent: revocation\ndata: ${JSON.stringify({ sid: e.sid, revoked_at: e.revoked_at, not_after: e.not_after })}\n\n`;

/** GET /v1/revocations (pages) and /v1/revocations/stream (Server-Sent Events) for resource servers. */
export async function revocationFeedRoutes(app: FastifyInstance, core: Core): Promise<void> {
  const guard = requireServiceKey(core);
  const hub = await RevocationFeedHub.start(core);
  feedHubs.set(core, hub);
  app.addHook('preClose', async () => hub.endAll());

  app.get('/v1/revocations', {
    schema: {
      tags: ['revocations'],
      summary: 'Revoked sessions, a page at a time',
      description: `Revoked sessions whose access tokens may still be unexpired, oldest revocation first. Start without \`after\`; then pass the \`cursor\` of the last page (keep it between polls). Entries drop out once \`not_after\` has passed (at most the longest access-token lifetime after the revocation). ${keyNote}`,
      security,
      querystring: { type: 'object', properties: { after: cursorParam, limit: { type: 'string', pattern: '^[0-9]{1,4}$', description: `page size, 1 to ${feedPageMax} (default 500)` } }, additionalProperties: false },
      response: {
        200: {
          type: 'object',
          properties: { revocations: { type: 'array', items: entrySchema }, cursor: { type: 'string' }, has_more: { type: 'boolean', description: 'another page follows at once' } },
          required: ['revocations', 'cursor', 'has_more'],
        },
        ...problems(400, 401),
      },
    },
    preHandler: guard,
  }, async (request) => {
    const query = request.query as { after?: string; limit?: string };
    const from = query.after === undefined ? feedStart : decodeFeedCursor(query.after, 'after');
    const page = await revocationPage(core, from, query.limit === undefined ? undefined : Number(query.limit));
    return { revocations: page.revocations.map(({ sid, revoked_at, not_after }) => ({ sid, revoked_at, not_after })), cursor: page.cursor, has_more: page.has_more };
  });

  app.get('/v1/revocations/stream', {
    schema: {
      tags: ['revocations'],
      summary: 'Revoked sessions as Server-Sent Events',
      description: `First every live entry after \`Last-Event-ID\` or \`after\` (from 5 s before that position, so a repeat is possible and harmless), or from the oldest, then an \`event: caught-up\`, then each revocation as it happens on any instance. Each \`event: revocation\` has an \`id\` (a cursor: send it back as \`Last-Event-ID\` on reconnect) and \`data\` \`{"sid", "revoked_at", "not_after"}\`. A comment line every 15 s keeps the connection alive. ${keyNote}`,
      security,
      headers: { type: 'object', properties: { 'last-event-id': cursorParam } },
      querystring: { type: 'object', properties: { after: cursorParam }, additionalProperties: false },
      response: {
        200: { description: 'An event stream that stays open', content: { 'text/event-stream': { schema: { type: 'string' } } } },
        ...problems(400, 401),
      },
    },
    preHandler: guard,
  }, async (request, reply) => {
    const lastEventId = request.headers['last-event-id'];
    const after = (request.query as { after?: string }).after;
    // Checked before the stream opens, so a bad position is a plain 400.
    const from = typeof lastEventId === 'string' && lastEventId !== '' ? decodeFeedCursor(lastEventId, 'Last-Event-ID') : after !== undefined ? decodeFeedCursor(after, 'after') : feedStart;
    // Resumes a little before the position: an entry may have committed late behind it (see settleMs).
    await stream(core, hub, request, reply, resumeFrom(from));
  });
}

async function stream(core: Core, hub: RevocationFeedHub, request: FastifyRequest, reply: FastifyReply, from: ReturnType<typeof decodeFeedCursor>): Promise<void> {
  const res = reply.raw;
  reply.hijack();
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    // The stream is the connection's last response: once it ends (key revoked, server closing) the socket goes too.
    connection: 'close',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
    'x-request-id': request.id,
  });
  res.write('retry: 2000\n\n');
  let open = true;
  let unsubscribe: (() => void) | undefined;
  /** Stops the stream's events once; false when it had already stopped. */
  const stop = () => {
    if (!open) return false;
    open = false;
    unsubscribe?.();
    return true;
  };
  const end = () => {
    if (stop()) res.end();
  };
  const write = (text: string) => {
    if (!open) return;
    res.write(text);
    if (res.writableLength > maxBufferedBytes && stop()) res.destroy();
  };
  // A reader that goes away leaves the socket half-open (the server allows that) until the response ends: end it here.
  const socket = res.socket;
  res.on('close', () => {
    stop();
    socket?.destroy();
  });
  try {
    unsubscribe = await hub.subscribe(
      { keyId: request.serviceKeyId!, send: (entries) => write(entries.map(sseEvent).join('')), heartbeat: () => write(': keep-alive\n\n'), end },
      from,
      () => open,
    );
    // The connection may have closed while the catch-up ran: leave no subscriber behind.
    if (!open) unsubscribe();
    else write('event: caught-up\ndata: {}\n\n');
  } catch (err) {
    core.log.warn({ err }, 'revocation stream catch-up failed');
    end();
  }
}

/** Each app's hub, for tests that count open streams. */
export const feedHubs = new WeakMap<Core, RevocationFeedHub>();
