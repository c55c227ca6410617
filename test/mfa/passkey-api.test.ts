import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { auditKinds } from '../recovery/support.js';
import { addPasskey, loginOptions, origin, passkeyEnv, SoftAuthenticator, testPassword } from './passkey-support.js';

/**
 * Passkeys through the native API, with a software authenticator in Node (test/support/soft-authenticator.ts)
 * building real attestations and signed assertions: registration, passwordless sign-in, list, rename, removal.
 */
describe.each(backends)('passkeys over the API on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend, passkeyEnv);
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('registers a passkey, signs in with it alone, lists, renames and removes it', async () => {
    const { access_token, user } = await app.signUp();
    const auth = new SoftAuthenticator(origin);
    const { passkey, options } = await addPasskey(app, access_token, auth, 'Laptop');
    expect(options.rp).toEqual({ id: 'localhost', name: 'Gatehouse' });
    expect(options.user.name).toBe(user.username);
    // The user handle is opaque: 32 bytes of HMAC, not the account number or the email.
    const handle = Buffer.from(options.user.id, 'base64url');
    expect(handle).toHaveLength(32);
    expect(handle.equals(Buffer.from(String(user.id)))).toBe(false);
    expect(handle.toString('latin1')).not.toContain(user.email);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'preferred' });
    expect(passkey).toMatchObject({ name: 'Laptop', last_used_at: null, device_type: 'singleDevice', backed_up: false, transports: ['internal'] });

    const req = await loginOptions(app);
    expect(req).toMatchObject({ rpId: 'localhost', userVerification: 'required' });
    expect(req.allowCredentials ?? []).toEqual([]);
    const signedIn = await app.request({ method: 'POST', url: '/v1/auth/passkey', payload: { response: auth.get(req) } });
    expect(signedIn.statusCode).toBe(200);
    const session = signedIn.json();
    expect(session.user.id).toBe(user.id);
    expect(session.refresh_token).toBeTruthy();
    expect(decodeJwt(session.access_token).sub).toBe(String(user.id));

    const list = await app.request({ method: 'GET', url: '/v1/me/passkeys', token: session.access_token });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toHaveLength(1);
    expect(list.json()[0].last_used_at).not.toBeNull();

    const renamed = await app.request({ method: 'PATCH', url: `/v1/me/passkeys/${passkey.id}`, token: access_token, payload: { name: '  Work laptop ' } });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().name).toBe('Work laptop');

    // Removing a factor is a step-up: the sign-up session (password only) is refused, the fresh passkey sign-in may.
    const stale = await app.request({ method: 'DELETE', url: `/v1/me/passkeys/${passkey.id}`, token: access_token, payload: { current_password: testPassword } });
    expect({ status: stale.statusCode, code: stale.json().code }).toEqual({ status: 403, code: 'step_up_required' });
    const removed = await app.request({ method: 'DELETE', url: `/v1/me/passkeys/${passkey.id}`, token: session.access_token, payload: { current_password: testPassword } });
    expect(removed.statusCode).toBe(204);
    expect((await app.request({ method: 'GET', url: '/v1/me/passkeys', token: access_token })).json()).toEqual([]);
    // A removed passkey no longer signs in.
    const after = await app.request({ method: 'POST', url: '/v1/auth/passkey', payload: { response: auth.get(await loginOptions(app)) } });
    expect(after.statusCode).toBe(401);
    expect(await auditKinds(app, user.id)).toEqual(expect.arrayContaining(['passkey.registered', 'passkey.used', 'passkey.renamed', 'passkey.removed']));
    const mails = await app.store.db.selectFrom('outbox').select(['kind', 'text_body']).where('to_addr', '=', user.email).where('kind', '=', 'sign_in_method_changed').orderBy('id').execute();
    expect(mails.map((m) => m.text_body.match(/A passkey named “([^”]+)” was just (added to|removed from)/)?.slice(1))).toEqual([['Laptop', 'added to'], ['Work laptop', 'removed from']]);
  });
});
