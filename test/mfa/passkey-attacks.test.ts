import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { deleteExpiredRows } from '../../src/jobs/cleanup.js';
import { addPasskey, loginOptions, origin, passkeyEnv, passkeySignIn, SoftAuthenticator, testPassword } from './passkey-support.js';

/**
 * Attacks on the passkey ceremonies, with real assertions from the software authenticator:
 * replays, races, someone else's challenge or passkey, unknown credentials, a counter that goes
 * back, the wrong origin or RP, missing user verification, expired challenges.
 */
describe.each(backends)('passkey attacks on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend, passkeyEnv);
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  const passkeyLogin = (response: unknown) => app.request({ method: 'POST', url: '/v1/auth/passkey', payload: { response } });
  const audits = async (userId: number | null, kind: string) => {
    let q = app.store.db.selectFrom('audit_events').select('detail').where('kind', '=', kind);
    q = userId === null ? q.where('user_id', 'is', null) : q.where('user_id', '=', userId);
    return (await q.orderBy('id').execute()).map((r) => JSON.parse(r.detail) as Record<string, unknown>);
  };
  const withPasskey = async (opts: Parameters<SoftAuthenticator['create']>[1] = {}) => {
    const s = await app.signUp();
    const auth = new SoftAuthenticator(origin);
    const added = await addPasskey(app, s.access_token, auth, undefined, opts);
    return { ...s, auth, ...added };
  };
  /** A session that just signed in with the passkey: the fresh second factor a sensitive change of a passkey account needs (step-up). */
  const freshSession = (auth: SoftAuthenticator) => passkeySignIn(app, auth);

  it('replayed assertion: the second use of one signed response is refused', async () => {
    const { auth } = await withPasskey();
    const response = auth.get(await loginOptions(app));
    expect((await passkeyLogin(response)).statusCode).toBe(200);
    const replay = await passkeyLogin(response);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('invalid_credentials');
  });

  it('race: eight parallel submissions of one assertion open exactly one session', async () => {
    const { auth, user } = await withPasskey();
    const response = auth.get(await loginOptions(app));
    const results = await Promise.all(Array.from({ length: 8 }, () => passkeyLogin(response)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401, 401, 401, 401, 401, 401, 401]);
    const sessions = await app.store.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
    // One from sign-up, one from the passkey.
    expect(sessions).toHaveLength(2);
  });

  it('replayed registration: the same attestation cannot be stored twice, nor a known credential under a new challenge', async () => {
    const { response, credential, auth } = await withPasskey();
    const access_token = await freshSession(auth);
    const again = await app.request({ method: 'POST', url: '/v1/me/passkeys', token: access_token, payload: { response } });
    expect(again.statusCode).toBe(400);
    expect(again.json().errors.response).toBeDefined();
    const options = (await app.request({ method: 'POST', url: '/v1/me/passkeys/options', token: access_token, payload: { current_password: testPassword } })).json();
    const dup = await app.request({ method: 'POST', url: '/v1/me/passkeys', token: access_token, payload: { response: auth.create(options, { reuse: credential }).response } });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().errors.response).toEqual(['This passkey is already registered.']);
  });

  it('race: eight parallel registrations of one attestation store one passkey', async () => {
    const s = await app.signUp();
    const auth = new SoftAuthenticator(origin);
    const options = (await app.request({ method: 'POST', url: '/v1/me/passkeys/options', token: s.access_token, payload: { current_password: testPassword } })).json();
    const { response } = auth.create(options);
    const results = await Promise.all(Array.from({ length: 8 }, () => app.request({ method: 'POST', url: '/v1/me/passkeys', token: s.access_token, payload: { response } })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 400, 400, 400, 400, 400, 400, 400]);
    expect((await app.request({ method: 'GET', url: '/v1/me/passkeys', token: s.access_token })).json()).toHaveLength(1);
    expect(await audits(s.user.id, 'passkey.registered')).toHaveLength(1);
  });

  it("another account's registration challenge is refused (and a known credential cannot move accounts)", async () => {
    const victim = await app.signUp();
    const attacker = await app.signUp();
    const auth = new SoftAuthenticator(origin);
    const options = (await app.request({ method: 'POST', url: '/v1/me/passkeys/options', token: victim.access_token, payload: { current_password: testPassword } })).json();
    const res = await app.request({ method: 'POST', url: '/v1/me/passkeys', token: attacker.access_token, payload: { response: auth.create(options).response } });
    expect(res.statusCode).toBe(400);
    const theirs = await withPasskey();
    const mine = (await app.request({ method: 'POST', url: '/v1/me/passkeys/options', token: attacker.access_token, payload: { current_password: testPassword } })).json();
    const moved = await app.request({ method: 'POST', url: '/v1/me/passkeys', token: attacker.access_token, payload: { response: theirs.auth.create(mine, { reuse: theirs.credential }).response } });
    expect(moved.statusCode).toBe(400);
    expect((await app.request({ method: 'GET', url: '/v1/me/passkeys', token: attacker.access_token })).json()).toEqual([]);
  });

  it("another account's passkey cannot be renamed or removed (404, nothing changed)", async () => {
    const owner = await withPasskey();
    const other = await app.signUp();
    const rename = await app.request({ method: 'PATCH', url: `/v1/me/passkeys/${owner.passkey.id}`, token: other.access_token, payload: { name: 'mine now' } });
    expect(rename.statusCode).toBe(404);
    const remove = await app.request({ method: 'DELETE', url: `/v1/me/passkeys/${owner.passkey.id}`, token: other.access_token, payload: { current_password: testPassword } });
    expect(remove.statusCode).toBe(404);
    const [still] = (await app.request({ method: 'GET', url: '/v1/me/passkeys', token: owner.access_token })).json();
    expect(still).toMatchObject({ id: owner.passkey.id, name: 'Passkey' });
  });

  it('unknown credential: a well-formed assertion by a key the server never saw is the same 401, audited', async () => {
    const stranger = new SoftAuthenticator(origin);
    stranger.create({ challenge: 'x', rp: { id: 'localhost' }, user: { id: 'AAAA' } });
    const before = (await audits(null, 'login.failed')).length;
    const res = await passkeyLogin(stranger.get(await loginOptions(app)));
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toBe('The passkey could not be verified; start again');
    const after = await audits(null, 'login.failed');
    expect(after.slice(before).map((d) => d.reason)).toEqual(['passkey_unknown_credential']);
  });

  it('counter regression: an assertion whose counter does not move forward is refused and audited; the next higher one works', async () => {
    const { auth, user, credential } = await withPasskey({ counter: 5 });
    expect((await passkeyLogin(auth.get(await loginOptions(app), { signCount: 6 }))).statusCode).toBe(200);
    // A clone of the authenticator would present a count the server already saw.
    expect((await passkeyLogin(auth.get(await loginOptions(app), { signCount: 6 }))).statusCode).toBe(401);
    expect((await passkeyLogin(auth.get(await loginOptions(app), { signCount: 3 }))).statusCode).toBe(401);
    expect((await audits(user.id, 'passkey.refused')).map((d) => d.reason)).toEqual(['passkey_counter_regressed', 'passkey_counter_regressed']);
    expect((await passkeyLogin(auth.get(await loginOptions(app), { credential, signCount: 9 }))).statusCode).toBe(200);
    const row = await app.store.db.selectFrom('passkeys').select('counter').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(Number(row.counter)).toBe(9);
  });

  it('look-alike origin and RP ID, a missing user verification, a wrong user handle: each refused', async () => {
    const { auth } = await withPasskey();
    expect((await passkeyLogin(auth.get(await loginOptions(app), { origin: 'http://localhost.evil.example:8123' }))).statusCode).toBe(401);
    expect((await passkeyLogin(auth.get(await loginOptions(app), { origin: 'http://localhost:8124' }))).statusCode).toBe(401);
    expect((await passkeyLogin(auth.get(await loginOptions(app), { rpId: 'evil-localhost' }))).statusCode).toBe(401);
    expect((await passkeyLogin(auth.get(await loginOptions(app), { userVerified: false }))).statusCode).toBe(401);
    expect((await passkeyLogin(auth.get(await loginOptions(app), { userHandle: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }))).statusCode).toBe(401);
    expect((await passkeyLogin(auth.get(await loginOptions(app)))).statusCode).toBe(200);
  });

  it('a challenge expires after five minutes, serves one purpose only, and the cleanup job deletes expired ones', async () => {
    const { auth } = await withPasskey();
    const access_token = await freshSession(auth);
    // A registration challenge is not a sign-in challenge.
    const reg = (await app.request({ method: 'POST', url: '/v1/me/passkeys/options', token: access_token, payload: { current_password: testPassword } })).json();
    expect((await passkeyLogin(auth.get(reg))).statusCode).toBe(401);
    const stale = await loginOptions(app);
    app.clock.advance(301);
    expect((await passkeyLogin(auth.get(stale))).statusCode).toBe(401);
    await loginOptions(app);
    app.clock.advance(301);
    const left = async () => Number((await app.store.db.selectFrom('webauthn_challenges').select((eb) => eb.fn.countAll<number>().as('n')).where('expires_at', '<=', app.clock.now()).executeTakeFirstOrThrow()).n);
    expect(await left()).toBeGreaterThan(0);
    await deleteExpiredRows({ db: app.store.db, clock: app.clock, log: app.core.log, retentionSeconds: 7 * 86_400, sessionIdleSeconds: app.config.sessionIdleSeconds, batchSize: 2 });
    expect(await left()).toBe(0);
  });

  it('a deactivated account cannot sign in with its passkey (its block, audited)', async () => {
    const { auth, user } = await withPasskey();
    await app.store.db.updateTable('users').set({ is_active: 0 }).where('id', '=', user.id).execute();
    const res = await passkeyLogin(auth.get(await loginOptions(app)));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('account_inactive');
  });

  it('a stolen access token can list passkeys but neither add nor remove one without the password; an API token may only list', async () => {
    const { access_token, passkey, auth } = await withPasskey();
    expect((await app.request({ method: 'POST', url: '/v1/me/passkeys/options', token: access_token, payload: {} })).statusCode).toBe(400);
    const wrong = await app.request({ method: 'POST', url: '/v1/me/passkeys/options', token: access_token, payload: { current_password: 'not it at all' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('wrong_password');
    expect((await app.request({ method: 'DELETE', url: `/v1/me/passkeys/${passkey.id}`, token: access_token, payload: { current_password: 'not it at all' } })).statusCode).toBe(400);
    expect((await app.request({ method: 'DELETE', url: `/v1/me/passkeys/${passkey.id}`, token: access_token })).statusCode).toBe(400);
    // Right password, but the session never signed in with the passkey: the step-up refuses it.
    const stepUp = await app.request({ method: 'POST', url: '/v1/me/passkeys/options', token: access_token, payload: { current_password: testPassword } });
    expect({ status: stepUp.statusCode, code: stepUp.json().code }).toEqual({ status: 403, code: 'step_up_required' });
    const key = (await app.request({ method: 'POST', url: '/v1/me/api-tokens', token: await freshSession(auth), payload: { name: 'bot', current_password: testPassword } })).json().key as string;
    expect((await app.request({ method: 'GET', url: '/v1/me/passkeys', apiKey: key })).json()).toHaveLength(1);
    expect((await app.request({ method: 'POST', url: '/v1/me/passkeys/options', apiKey: key, payload: { current_password: testPassword } })).statusCode).toBe(403);
    expect((await app.request({ method: 'DELETE', url: `/v1/me/passkeys/${passkey.id}`, apiKey: key, payload: { current_password: testPassword } })).statusCode).toBe(403);
    expect((await app.request({ method: 'PATCH', url: `/v1/me/passkeys/${passkey.id}`, apiKey: key, payload: { name: 'x' } })).statusCode).toBe(403);
    expect((await app.request({ method: 'GET', url: '/v1/me/passkeys', token: access_token })).json()).toHaveLength(1);
  });
});
