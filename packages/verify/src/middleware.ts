import type { GatehouseClaims } from './claims.js';
import { VerifyError } from './errors.js';
import type { Verifier } from './verifier.js';

/** What the middlewares read of a request: its headers (Fastify's, Express's and node's requests all have them). */
export interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  gatehouse?: GatehouseClaims;
}

/** Fastify's reply, structurally (no dependency on fastify). */
interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(body: unknown): FastifyReplyLike;
}

/** node's ServerResponse, which Express's res extends. */
interface ServerResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
}

function bearer(request: RequestLike): string | undefined {
  const h = request.headers.authorization;
  const value = Array.isArray(h) ? h[0] : h;
  const m = value ? /^Bearer[ \t]+(\S+)\s*$/i.exec(value) : null;
  return m?.[1];
}

/** The refusal as a problem document, with the WWW-Authenticate a 401 needs. */
function refusal(err: unknown): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  const e = err instanceof VerifyError ? err : new VerifyError('malformed', 'The token could not be checked.');
  const headers: Record<string, string> = { 'content-type': 'application/problem+json', 'cache-control': 'no-store' };
  if (e.status === 401) headers['www-authenticate'] = `Bearer error="invalid_token", error_description="${e.code}"`;
  else headers['retry-after'] = '5';
  return { status: e.status, headers, body: { type: 'about:blank', title: e.status === 401 ? 'Unauthorized' : 'Service Unavailable', status: e.status, code: e.code, detail: e.message } };
}

const missing = () => new VerifyError('malformed', 'Send the access token as Authorization: Bearer <token>.');

/**
 * A Fastify preHandler: `app.addHook('preHandler', gatehouseFastify(verifier))`, or a route's
 * `preHandler`. Sets `request.gatehouse` to the claims; refuses with 401 (503 while failing closed).
 */
export function gatehouseFastify(verifier: Verifier): (request: RequestLike, reply: FastifyReplyLike) => Promise<void> {
  return async (request, reply) => {
    try {
      const token = bearer(request);
      if (!token) throw missing();
      request.gatehouse = await verifier.verify(token);
    } catch (err) {
      const r = refusal(err);
      reply.code(r.status);
      for (const [k, v] of Object.entries(r.headers)) reply.header(k, v);
      reply.send(r.body);
    }
  };
}

/** Express (or plain node:http) middleware: `app.use(gatehouseExpress(verifier))`; sets `req.gatehouse`. */
export function gatehouseExpress(verifier: Verifier): (req: RequestLike, res: ServerResponseLike, next: (err?: unknown) => void) => void {
  return (req, res, next) => {
    const token = bearer(req);
    const refuse = (err: unknown) => {
      const r = refusal(err);
      res.statusCode = r.status;
      for (const [k, v] of Object.entries(r.headers)) res.setHeader(k, v);
      res.end(JSON.stringify(r.body));
    };
    if (!token) return refuse(missing());
    verifier.verify(token).then((claims) => {
      req.gatehouse = claims;
      next();
    }, refuse);
  };
}
