import Negotiator from 'negotiator';
import type { FastifyRequest } from 'fastify';
import { localeOf, locales, type Locale } from '../core/locales.js';

/**
 * The shipped language a request prefers: `?lang=` when a page link carries one, else the best
 * match of its Accept-Language (q-values and `fr-CA` → `fr` by `negotiator`, the library Express and
 * Koa negotiate with); undefined when it states nothing we ship.
 */
export function requestLocale(request: Pick<FastifyRequest, 'headers' | 'query'>): Locale | undefined {
  const asked = localeOf((request.query as { lang?: unknown } | undefined)?.lang);
  if (asked) return asked;
  const header = request.headers['accept-language'];
  if (typeof header !== 'string' || header === '' || header.length > 512) return undefined;
  const best = localeOf(new Negotiator({ headers: { 'accept-language': header } }).language([...locales]));
  // `*` accepts anything but prefers nothing: only a language the header names counts.
  return best && new RegExp(`(^|,)\\s*${best}(-|;|,|\\s|$)`, 'i').test(header) ? best : undefined;
}
