import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import helmet from 'helmet';
import type { Config } from '../config.js';

/**
 * Security headers on every response, set by helmet's middleware from one onRequest hook
 * (registered once in server.ts, first, so API answers, problem+json errors, 404s, pages and
 * assets all carry them):
 * `content-security-policy` (the strict page policy below), `x-frame-options: DENY`,
 * `x-content-type-options: nosniff`, `referrer-policy: no-referrer`, `cross-origin-opener-policy`
 * and `cross-origin-resource-policy: same-origin`, and `strict-transport-security` only when
 * GATEHOUSE_PUBLIC_URL is https (over plain http a browser ignores it, and a local http
 * deployment must not pin itself).
 *
 * A page served here needs nothing when the default fits: same-origin scripts, styles, images
 * and fetches, forms posting to this server, never framed. A page that needs otherwise sets its
 * policy in one line, after helmet's onRequest hook has run (any handler or error renderer):
 *
 *     reply.header('content-security-policy', pageCsp({ scripts: false, formTargets: [rpOrigin] }));
 *     const nonce = cspNonce();  // inline <script nonce=…>/<style nonce=…>, a new one per response
 *     reply.header('content-security-policy', pageCsp({ nonce }));
 *     reply.header('content-security-policy', pageCsp({ inlineStyles: [css] })); // a fixed <style> by hash
 *
 * `securityDefaults` is the whole default set for code that answers outside Fastify's reply.
 * Nothing here allows 'unsafe-inline' or another origin's scripts; only the Swagger UI at /docs
 * gets its own, looser policy (docs.ts, `docsCsp`).
 */
export interface PageCspOptions {
  /** Same-origin scripts (default true); false answers script-src 'none'. */
  scripts?: boolean;
  /** Origins a form may post to, or be redirected to after posting, besides this server. */
  formTargets?: readonly string[];
  /** A page without forms: form-action 'none'. */
  noForms?: boolean;
  /** A per-response nonce (cspNonce()) that allows inline `<script nonce>` and `<style nonce>`. */
  nonce?: string;
  /** Fixed inline `<style>` blocks, allowed by their SHA-256 (the exact text between the tags). */
  inlineStyles?: readonly string[];
}

/** A fresh CSP nonce: 128 random bits, base64. */
export function cspNonce(): string {
  return randomBytes(16).toString('base64');
}

const hashSource = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

function pageDirectives(options: PageCspOptions = {}): Record<string, string[]> {
  const nonce = options.nonce ? [`'nonce-${options.nonce}'`] : [];
  const scripts = options.scripts === false ? (nonce.length ? nonce : ["'none'"]) : ["'self'", ...nonce];
  const formAction = options.noForms ? ["'none'"] : ["'self'", ...new Set(options.formTargets ?? [])];
  return {
    'default-src': ["'none'"],
    'script-src': scripts,
    'style-src': ["'self'", ...nonce, ...(options.inlineStyles ?? []).map(hashSource)],
    'img-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'form-action': formAction,
    'frame-ancestors': ["'none'"],
    'base-uri': ["'none'"],
  };
}

/** A page's Content-Security-Policy value (see the header comment). */
export function pageCsp(options: PageCspOptions = {}): string {
  return Object.entries(pageDirectives(options)).map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

/** The headers helmet sets by default, for a response written outside Fastify's reply. */
export const securityDefaults: Readonly<Record<string, string>> = {
  'content-security-policy': pageCsp(),
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Lets other sites embed a response (`<img src>` of an avatar): cross-origin-resource-policy: cross-origin. */
export function embeddableAnywhere(reply: FastifyReply): FastifyReply {
  return reply.header('cross-origin-resource-policy', 'cross-origin');
}

export async function registerSecurityHeaders(app: FastifyInstance, config: Pick<Config, 'publicUrl'>): Promise<void> {
  const https = config.publicUrl.startsWith('https://');
  // Built once: @fastify/helmet called helmet(options) — parsing every option, building every
  // header — on each request (~10 µs a request here, against under 1 µs for the built one).
  const setHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: pageDirectives() },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // A year, this host only: subdomains may be run by someone else.
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  });
  // On the raw response, so a reply.header() set later (pageCsp, the docs' policy) replaces it.
  // helmet's `next` takes `unknown`; it only ever passes an Error (a CSP directive function's).
  app.addHook('onRequest', (request, reply, done) => setHeaders(request.raw, reply.raw, done as (err?: unknown) => void));
}
