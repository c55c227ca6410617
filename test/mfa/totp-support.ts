import { Secret, TOTP } from 'otpauth';
import type { TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';

/** The client side: a real TOTP computation, as an authenticator app does it, at `ms` of the app's clock. */
export const codeAt = (secret: string, ms: number) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: ms });

export interface WireResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  json<T = any>(): T;
}

export interface WireOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** An object is sent as JSON; a string as it is (give its content type in `headers`, e.g. rawJson()). */
  payload?: unknown;
  headers?: Record<string, string>;
}

/** Requests over a real socket to a listening app (`base` from `app.http.listen`), answered like `app.request`'s. */
export function wire(base: string) {
  return async (method: string, path: string, opts: WireOptions = {}): Promise<WireResponse> => {
    const headers: Record<string, string> = { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.headers ?? {}) };
    let body: string | undefined;
    if (typeof opts.payload === 'string') body = opts.payload;
    else if (opts.payload !== undefined) {
      body = JSON.stringify(opts.payload);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${base}${path}`, { method, headers, body });
    const text = await res.text();
    return { statusCode: res.status, headers: Object.fromEntries(res.headers), body: text, json: () => JSON.parse(text) };
  };
}

export type Wire = ReturnType<typeof wire>;

/** Enrols an authenticator app for the session `token` over the API; returns the secret and the recovery codes. */
export async function enrolTotp(app: TestApp, send: Wire, token: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await send('POST', '/v1/me/mfa/totp', { token, payload: { current_password: testPassword } });
  if (started.statusCode !== 200) throw new Error(`enrol: ${started.statusCode} ${started.body}`);
  const { secret } = started.json();
  const confirmed = await send('POST', '/v1/me/mfa/totp/confirm', { token, payload: { code: codeAt(secret, app.clock.now()) } });
  if (confirmed.statusCode !== 200) throw new Error(`confirm: ${confirmed.statusCode} ${confirmed.body}`);
  // The confirming code's step is spent: move on, so the next code is a fresh one.
  app.clock.advance(30);
  return { secret, recoveryCodes: confirmed.json().recovery_codes };
}

/** The texts of the sign-in-method notices mailed to `to`, oldest first. */
export async function methodMails(app: TestApp, to: string): Promise<string[]> {
  const rows = await app.store.db.selectFrom('outbox').select('text_body').where('to_addr', '=', to).where('kind', '=', 'sign_in_method_changed').orderBy('id').execute();
  // The sentence that says what changed: after the greeting and a blank line.
  return rows.map((r) => r.text_body.split('\n')[2] ?? r.text_body);
}
