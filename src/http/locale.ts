import Negotiator from 'negotiator';
import type { FastifyRequest } from 'fastify';
import { localeOf, locales, type Locale } from '../core/locales.js';

/**
 * The shipped language a request prefers: `?lang=` when a page link carries one, else the best
 * match of its Accept-Language (q-values and `fr-CA` → `fr` by `negotiator`, the library Express and
 * Koa negotiate with); undefined when it states nothing we ship.
 */
export function requestLocale(request: Pick<FastifyRequest, 'headers' | 'query'>): Locale | undefined {
  return askedLocale(request) ?? browserLocale(request);
}

/** The shipped language a page link's `?lang=` names. */
export function askedLocale(request: Pick<FastifyRequest, 'query'>): Locale | undefined {
  return localeOf((request.query as { lang?: unknown } | undefined)?.lang);
}

/** The shipped language the request's Accept-Language prefers. */
export function browserLocale(request: Pick<FastifyRequest, 'headers'>): Locale | undefined {
  const header = request.headers['accept-language'];
  if (typeof header !== 'string' || header === '' || header.length > 512) return undefined;
  const best = localeOf(new Negotiator({ headers: { 'accept-language': header } }).language([...locales]));
  // `*` accepts anything but prefers nothing: only a language the header names counts.
  return best && new RegExp(`(^|,)\\s*${best}(-|;|,|\\s|$)`, 'i').test(header) ? best : undefined;
}
