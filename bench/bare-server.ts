/**
 * The limit for the HTTP scenarios: a Fastify server with one route that returns the same
 * JSON as GET /v1/me, serialized through the same PublicUser schema, with no auth, no hooks
 * and no logging. The bench starts it with the same Node flags as Gatehouse.
 */
import Fastify from 'fastify';
import { publicUserSchema } from '../src/http/schemas.js';

const body = JSON.parse(process.env.BENCH_BODY ?? '{}') as Record<string, unknown>;
const app = Fastify();
app.addSchema(publicUserSchema);
app.get('/v1/me', { schema: { response: { 200: { $ref: 'PublicUser#' } } } }, async () => ({ ...body }));
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`bare route listening on ${process.env.PORT}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
