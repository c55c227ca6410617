/**
 * The resource server of `bench/verify.ts`: one Fastify route bare and the same route behind
 * @gatehouse/verify's preHandler (a cached token: a map lookup and two set checks per request).
 */
import Fastify from 'fastify';
import { createVerifier, gatehouseFastify, type RequestLike } from '@gatehouse/verify';

const verifier = createVerifier({ issuer: process.env.ISSUER!, serviceKey: process.env.SERVICE_KEY!, jwksUrl: process.env.JWKS_URL, feedUrl: process.env.FEED_URL });
await verifier.ready(20_000);
const app = Fastify();
app.get('/bare', async () => ({ sub: '1', ok: true }));
app.get('/verified', { preHandler: gatehouseFastify(verifier) }, async (request) => ({ sub: (request as RequestLike).gatehouse!.sub, ok: true }));
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(JSON.stringify({ port: (app.server.address() as { port: number }).port }) + '\n');
process.on('SIGTERM', () => void Promise.all([app.close(), verifier.close()]).then(() => process.exit(0)));
