import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { python, requireSimpleJwt } from '../support/simplejwt-service.js';
import type { TestApp } from '../support/app.js';
import { compatApp, strong } from './support.js';

const oldKey = 'the-old-django-systems-signing-key-0123456789';

interface OldTokens { refresh: string; access: string; expired_access: string }

/** Tokens minted by Debian's real SimpleJWT under the old system's key (simplejwt_cutover.py). */
function mintOld(userIds: number[]): Record<string, OldTokens> {
  requireSimpleJwt();
  const script = fileURLToPath(new URL('./simplejwt_cutover.py', import.meta.url));
  const run = spawnSync(python, [script, oldKey, ...userIds.map(String)], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  if (run.status !== 0) throw new Error(`simplejwt_cutover.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, OldTokens>;
}

describe.each(backends)('cut-over from a SimpleJWT deployment (GATEHOUSE_DJANGO_SIGNING_KEY) on %s', (backend) => {
  let app: TestApp;
  let n = 0;
  const post = (url: string, payload: unknown) => app.request({ method: 'POST', url, payload });
  const account = async () => (await post('/api/register/', { email: `old${++n}_${backend}@example.com`, password: strong })).json().id as number;

  beforeAll(async () => {
    app = await compatApp(backend, 'simplejwt', { GATEHOUSE_DJANGO_SIGNING_KEY: oldKey });
    // The old tokens carry real times: the app's clock reads the same time.
    app.clock.set(Date.now());
  });
  afterAll(async () => {
    await app?.close();
  });

  it('an old access token is honoured until its exp; an expired or foreign one is refused as SimpleJWT refuses it', async () => {
    const id = await account();
    const old = mintOld([id])[String(id)]!;
    const ok = await app.request({ method: 'GET', url: '/api/dashboard/', token: old.access });
    expect(ok.statusCode, ok.body).toBe(200);
    const expired = await app.request({ method: 'GET', url: '/api/dashboard/', token: old.expired_access });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('token_not_valid');
    // An old refresh token is not an access token.
    expect((await app.request({ method: 'GET', url: '/api/dashboard/', token: old.refresh })).statusCode).toBe(401);
  });

  it('an old refresh token is exchanged once for a Gatehouse session, then is blacklisted', async () => {
    const id = await account();
    const old = mintOld([id])[String(id)]!;
    const first = await post('/api/token/refresh/', { refresh: old.refresh });
    expect(first.statusCode).toBe(200);
    const pair = first.json() as { access: string; refresh: string };
    expect((await app.request({ method: 'GET', url: '/api/dashboard/', token: pair.access })).statusCode).toBe(200);
    // The new refresh token is Gatehouse's own and rotates as usual.
    expect((await post('/api/token/refresh/', { refresh: pair.refresh })).statusCode).toBe(200);
    const again = await post('/api/token/refresh/', { refresh: old.refresh });
    expect(again.statusCode).toBe(401);
    expect(again.json()).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
  });

  it('20 parallel presentations of one old refresh token open exactly one session (attack: a copied token raced)', async () => {
    const id = await account();
    const old = mintOld([id])[String(id)]!;
    const before = await app.store.db.selectFrom('sessions').select('id').where('user_id', '=', id).execute();
    const answers = await Promise.all(Array.from({ length: 20 }, () => post('/api/token/refresh/', { refresh: old.refresh })));
    expect(answers.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(answers.filter((r) => r.statusCode !== 200).every((r) => r.statusCode === 401)).toBe(true);
    const after = await app.store.db.selectFrom('sessions').select('id').where('user_id', '=', id).execute();
    expect(after.length).toBe(before.length + 1);
  });

  it('a reset in Gatehouse ends the old system\'s refresh tokens too, exchanged or not (attack: a stolen old token after the owner resets)', async () => {
    const id = await account();
    const old = mintOld([id])[String(id)]!;
    // The owner changes the password here (ending every access); the attacker still holds the old refresh token.
    // Later than the token's iat (seconds), whatever the time the minting took.
    app.clock.set(Date.now() + 2000);
    const login = (await post('/api/token/', { email: `old${n}_${backend}@example.com`, password: strong })).json() as { access: string };
    const changed = await app.request({ method: 'POST', url: '/v1/auth/logout-all', token: login.access });
    expect(changed.statusCode).toBeLessThan(300);
    const stolen = await post('/api/token/refresh/', { refresh: old.refresh });
    expect(stolen.statusCode).toBe(401);
    expect(stolen.json()).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' });
  });

  it('tokens of an account that was deleted or disabled are refused with SimpleJWT\'s reasons', async () => {
    const id = await account();
    const old = mintOld([id, 999_999])[String(id)]!;
    const ghost = mintOld([999_999])['999999']!;
    const ghostRes = await app.request({ method: 'GET', url: '/api/dashboard/', token: ghost.access });
    expect(ghostRes.json(), ghostRes.body).toEqual({ detail: 'User not found', code: 'user_not_found' });
    expect((await post('/api/token/refresh/', { refresh: ghost.refresh })).statusCode).toBe(401);
    await app.core.db.updateTable('users').set({ is_active: 0 }).where('id', '=', id).execute();
    await app.core.users.invalidate(id);
    expect((await app.request({ method: 'GET', url: '/api/dashboard/', token: old.access })).json()).toEqual({ detail: 'User is inactive', code: 'user_inactive' });
    expect((await post('/api/token/refresh/', { refresh: old.refresh })).statusCode).toBe(401);
  });

  it('a token signed with another key, or tampered with, is refused', async () => {
    const id = await account();
    const old = mintOld([id])[String(id)]!;
    const [h, p, s] = old.access.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), user_id: id + 1 })).toString('base64url')}.${s}`;
    expect((await app.request({ method: 'GET', url: '/api/dashboard/', token: tampered })).statusCode).toBe(401);
  });
});

describe.each(backends)('without GATEHOUSE_DJANGO_SIGNING_KEY on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await compatApp(backend, 'simplejwt');
    app.clock.set(Date.now());
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the old system\'s tokens are foreign tokens', async () => {
    const id = (await app.request({ method: 'POST', url: '/api/register/', payload: { email: `nokey_${backend}@example.com`, password: strong } })).json().id as number;
    const old = mintOld([id])[String(id)]!;
    expect((await app.request({ method: 'GET', url: '/api/dashboard/', token: old.access })).statusCode).toBe(401);
    expect((await app.request({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: old.refresh } })).statusCode).toBe(401);
  });
});
