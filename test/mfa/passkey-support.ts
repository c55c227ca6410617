import type { TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';

/** The public URL every passkey API suite runs under: the RP ID is its host. */
export const origin = 'http://localhost:8123';
export const passkeyEnv = { GATEHOUSE_PUBLIC_URL: origin };

/** Registers a passkey for the session `token` with `authenticator`; returns the created passkey and the soft credential. */
export async function addPasskey(app: TestApp, token: string, authenticator: SoftAuthenticator, name?: string, opts: Parameters<SoftAuthenticator['create']>[1] = {}) {
  const options = await app.request({ method: 'POST', url: '/v1/me/passkeys/options', token, payload: { current_password: testPassword } });
  if (options.statusCode !== 200) throw new Error(`options: ${options.statusCode} ${options.body}`);
  const { credential, response } = authenticator.create(options.json(), opts);
  const res = await app.request({ method: 'POST', url: '/v1/me/passkeys', token, payload: { response, ...(name === undefined ? {} : { name }) } });
  if (res.statusCode !== 201) throw new Error(`register: ${res.statusCode} ${res.body}`);
  return { passkey: res.json(), credential, options: options.json(), response };
}

export async function loginOptions(app: TestApp, remoteAddress?: string) {
  const res = await app.request({ method: 'POST', url: '/v1/auth/passkey/options', remoteAddress });
  if (res.statusCode !== 200) throw new Error(`login options: ${res.statusCode} ${res.body}`);
  return res.json() as { challenge: string; rpId: string; allowCredentials?: unknown[]; userVerification: string };
}

/** A passwordless sign-in with `authenticator`'s passkey: a session fresh with a second factor (what a step-up accepts). */
export async function passkeySignIn(app: TestApp, authenticator: SoftAuthenticator): Promise<string> {
  const res = await app.request({ method: 'POST', url: '/v1/auth/passkey', payload: { response: authenticator.get(await loginOptions(app)) } });
  if (res.statusCode !== 200) throw new Error(`passkey sign-in: ${res.statusCode} ${res.body}`);
  return res.json().access_token as string;
}

export { SoftAuthenticator, testPassword };
