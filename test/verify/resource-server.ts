/**
 * A resource server as a deployment would write one, run as its own process by the tests: it uses
 * @gatehouse/verify by its package name (the workspace build in packages/verify/dist).
 * Env: ISSUER, JWKS_URL, FEED_URL, SERVICE_KEY, FAIL_CLOSED_MS, AUDIENCE. Prints {"fastify": port, "express": port}.
 */
import { createServer } from 'node:http';
import Fastify from 'fastify';
import { createVerifier, gatehouseExpress, gatehouseFastify, type RequestLike } from '@gatehouse/verify';

const env = (name: string) => process.env[name] || undefined;
const verifier = createVerifier({
  issuer: env('ISSUER')!,
  audience: env('AUDIENCE'),
  serviceKey: env('SERVICE_KEY')!,
  jwksUrl: env('JWKS_URL'),
  feedUrl: env('FEED_URL'),
  failClosedAfterMs: env('FAIL_CLOSED_MS') ? Number(env('FAIL_CLOSED_MS')) : undefined,
  reconnectMinMs: 50,
  reconnectMaxMs: 500,
  onError: (err) => process.stderr.write(`verifier: ${err.message}\n`),
  onEvent: (e) => process.stderr.write(`verifier event: ${JSON.stringify(e)}\n`),
});

const app = Fastify();
app.get('/status', async () => verifier.status());
app.get('/bare', async () => ({ ok: true }));
app.get('/whoami', { preHandler: gatehouseFastify(verifier) }, async (request) => {
  const claims = (request as RequestLike).gatehouse!;
  return { sub: claims.sub, sid: claims.sid };
});

const express = gatehouseExpress(verifier);
const plain = createServer((req, res) => {
  express(req, res, () => {
    const claims = (req as RequestLike).gatehouse!;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ sub: claims.sub, sid: claims.sid }));
  });
});

await verifier.ready(20_000);
await app.listen({ port: 0, host: '127.0.0.1' });
await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
const port = (s: { address(): unknown }) => (s.address() as { port: number }).port;
process.stdout.write(JSON.stringify({ fastify: port(app.server), express: port(plain) }) + '\n');

process.on('SIGTERM', () => {
  void Promise.all([app.close(), verifier.close(), new Promise((r) => plain.close(r))]).then(() => process.exit(0));
});
