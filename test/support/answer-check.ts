import { appendFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { OpenApiCheck, type OpenApi } from './openapi-check.js';

/*
 * Every answer a test app gives to a documented operation is measured against the served OpenAPI
 * document (test/support/openapi-check.ts); the app's close() fails the suite with what did not
 * match, so a route whose answer drifts from its documentation fails CI in whichever suite first
 * exercises it. Streams (SSE, downloads), HEAD answers and 500s are not read.
 */

/** One checker per distinct document, shared by the apps of a test file. */
const checks = new Map<string, OpenApiCheck>();

function checkFor(doc: OpenApi): OpenApiCheck {
  const key = JSON.stringify(doc);
  let check = checks.get(key);
  if (!check) {
    if (checks.size > 8) checks.clear();
    checks.set(key, (check = new OpenApiCheck(doc)));
  }
  return check;
}

export interface AnswerCheck {
  /** What did not match so far, each as "METHOD route → status: problem". */
  readonly problems: string[];
}

export function checkAnswers(http: FastifyInstance): AnswerCheck {
  const problems: string[] = [];
  let check: OpenApiCheck | undefined;
  http.addHook('onSend', async (request, reply, payload) => {
    const url = request.routeOptions.url;
    // A 500 is a fault, not an answer of the API (suites that break a dependency on purpose provoke
    // it and assert it themselves); every other status must be documented.
    if (!url || request.method === 'HEAD' || reply.statusCode === 500) return payload;
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : payload == null ? '' : undefined;
    if (text === undefined) return payload;
    check ??= checkFor(http.swagger() as unknown as OpenApi);
    const op = check.operation(request.method, url);
    if (!op) return payload;
    // The compatibility profiles answer 503 in their seed's shape while a dependency is down
    // (test/ops/readiness.test.ts provokes it); their documents describe the seed's answers only.
    if (reply.statusCode === 503 && !op.responses['503']) return payload;
    const found = check.mismatches(`${request.method} ${url} → ${reply.statusCode}`, op, reply.statusCode, String(reply.getHeader('content-type') ?? ''), text);
    if (found.length && process.env.GATEHOUSE_ANSWER_REPORT) appendFileSync(process.env.GATEHOUSE_ANSWER_REPORT, found.map((f) => `${expect.getState().testPath ?? ''}\t${f}\n`).join(''));
    problems.push(...found);
    return payload;
  });
  return { problems };
}
