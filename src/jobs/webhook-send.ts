import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress } from '../core/webhooks/address-policy.js';

export interface WebhookResponse {
  status: number;
  /** The first bytes of the answer as text, for the delivery log; the rest is read and dropped. */
  excerpt: string;
}

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  excerptBytes?: number;
}

/**
 * Resolves like the default lookup, then refuses the connection when any address is private (unless
 * allowed): the check is on the address actually connected to, so DNS rebinding gains nothing.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = !allowPrivate && addresses.some((a) => isPrivateAddress(a.address));
      if (refused || addresses.length === 0) return callback(Object.assign(new Error(`refused: ${hostname} resolves to a private address`), { code: 'EWEBHOOKPRIVATE' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** POSTs one signed event; never follows redirects; gives up after `timeoutMs` whatever the stage. */
export function postWebhook(url: string, headers: Record<string, string>, body: string, options: SendOptions): Promise<WebhookResponse> {
  const target = new URL(url);
  const excerptBytes = options.excerptBytes ?? 256;
  // An IP literal skips the lookup: check it here.
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivate && isIP(host) !== 0 && isPrivateAddress(host)) {
    return Promise.reject(Object.assign(new Error(`refused: ${host} is a private address`), { code: 'EWEBHOOKPRIVATE' }));
  }
  return new Promise((resolve, reject) => {
    const request = (target.protocol === 'https:' ? https : http).request(target, {
      method: 'POST',
      lookup: guardedLookup(options.allowPrivate),
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Gatehouse-Webhooks/1' },
      signal: AbortSignal.timeout(options.timeoutMs),
      agent: false,
    }, (response) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      response.on('data', (chunk: Buffer) => {
        if (kept < excerptBytes) {
          chunks.push(chunk.subarray(0, excerptBytes - kept));
          kept += Math.min(chunk.length, excerptBytes - kept);
        }
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, excerpt: Buffer.concat(chunks).toString('utf8').replace(/\uFFFD+$/, '') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}
