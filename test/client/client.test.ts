import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatehouseClient, memoryTokenStore, type GatehouseClient } from '@gatehouse/client';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';
import { tinyPng } from '../support/png.js';
import { generatedSchema, schemaFile, servedDocument } from './generate-types.js';

describe('@gatehouse/client types', () => {
  it('are generated from the document this build serves (run `npm run client:types` after a route change)', async () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(await generatedSchema());
  }, 60_000);
});

describe.each(backends)('@gatehouse/client against a real server on %s', (backend) => {
  let app: TestApp;
  let base: string;
  /** Every operation the client sent, as `METHOD /path/{template}`. */
  const called = new Set<string>();

  const client = (tokens = memoryTokenStore()): GatehouseClient => {
    const c = createGatehouseClient({ baseUrl: base, tokens });
    c.use({ onRequest: ({ request, schemaPath }) => void called.add(`${request.method} ${schemaPath}`) });
    return c;
  };
  const lastMailText = async (to: string, kind: string) =>
    (await app.store.db.selectFrom('outbox').select('text_body').where('to_addr', '=', to).where('kind', '=', kind).orderBy('id', 'desc').executeTakeFirstOrThrow()).text_body;

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    await app.core.settings.update({ rate_reset_ip: 100000, rate_reset_account: 100000 }, null);
    base = await app.http.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('signs up, keeps the pair, and refreshes by itself once the access token expires', async () => {
    let ended = 0;
    const tokens = memoryTokenStore();
    let refreshCalls = 0;
    const counting: typeof fetch = (input, init) => {
      if (new URL(input instanceof Request ? input.url : String(input)).pathname === '/v1/auth/refresh') refreshCalls++;
      return fetch(input, init);
    };
    const gh = createGatehouseClient({ baseUrl: base, tokens, fetch: counting, onSessionEnded: () => void ended++ });
    const email = `client_${backend}_${process.pid}@example.com`;
    const reg = await gh.POST('/v1/auth/register', { body: { email, password: testPassword } });
    expect(reg.response.status).toBe(201);
    const first = tokens.get()!;
    expect(first.access_token).toBeTruthy();
    expect((await gh.GET('/v1/me')).data?.email).toBe(email);

    // Past the access token's lifetime (the clock is the app's): the next call refreshes, once, for all callers at the same time.
    app.clock.advance(app.core.settings.get('access_token_ttl') + 1);
    const parallel = await Promise.all([gh.GET('/v1/me'), gh.GET('/v1/me/sessions'), gh.GET('/v1/me/dashboard')]);
    expect(parallel.map((r) => r.response.status)).toEqual([200, 200, 200]);
    expect(tokens.get()!.refresh_token).not.toBe(first.refresh_token);
    expect(refreshCalls).toBe(1);

    // A refused refresh token ends the session in the client.
    await gh.POST('/v1/auth/logout');
    app.clock.advance(app.core.settings.get('access_token_ttl') + 1);
    const after = await gh.GET('/v1/me');
    expect(after.response.status).toBe(401);
    expect(ended).toBe(1);
    expect(tokens.get()).toBeUndefined();
  });

  it('calls every native route through the typed client', async () => {
    const anon = client();
    const email = `every_${backend}_${process.pid}@example.com`;
    await anon.POST('/v1/auth/register', { body: { email, username: `every${backend}${process.pid}`, password: testPassword } });
    const gh = client();
    const login = await gh.POST('/v1/auth/login', { body: { login: email, password: testPassword } });
    expect(login.response.status).toBe(200);
    const userId = login.data!.user!.id!;

    expect((await gh.GET('/v1/me')).response.status).toBe(200);
    expect((await gh.PATCH('/v1/me', { body: { first_name: 'Every' } })).data?.first_name).toBe('Every');
    expect((await gh.GET('/v1/me/dashboard')).response.status).toBe(200);
    const sessions = await gh.GET('/v1/me/sessions');
    const sessionId = sessions.data![0]!.id!;
    expect((await gh.GET('/v1/me/sessions/{id}', { params: { path: { id: sessionId } } })).response.status).toBe(200);
    const created = await gh.POST('/v1/me/api-tokens', { body: { name: 'ci', current_password: testPassword } });
    expect(created.response.status).toBe(201);
    expect((await gh.GET('/v1/me/api-tokens')).data?.length).toBe(1);
    expect((await gh.DELETE('/v1/me/api-tokens/{id}', { params: { path: { id: String(created.data!.id) } } })).response.status).toBe(204);
    expect((await gh.DELETE('/v1/me/api-tokens')).response.status).toBeLessThan(300);

    const form = new FormData();
    form.append('avatar', new Blob([new Uint8Array(tinyPng(2, 2, [1, 2, 3]))], { type: 'image/png' }), 'a.png');
    const put = await gh.PUT('/v1/me/avatar', { body: form as never, bodySerializer: (b) => b as never });
    expect(put.response.status).toBe(200);
    expect((await anon.GET('/v1/users/{id}/avatar', { params: { path: { id: String(userId) } }, parseAs: 'arrayBuffer' })).response.status).toBe(200);
    expect((await gh.DELETE('/v1/me/avatar')).response.status).toBeLessThan(300);

    expect((await anon.POST('/v1/auth/verify-email/resend', { body: { email } })).response.status).toBeLessThan(300);
    expect((await anon.POST('/v1/auth/verify-email', { body: { token: 'not-a-token' } })).response.status).toBe(400);
    expect((await anon.POST('/v1/auth/password/forgot', { body: { email } })).response.status).toBeLessThan(300);
    const mail = await lastMailText(email, 'password_reset');
    const otp = /Your code: (\d+)/.exec(mail)![1]!;
    const verified = await anon.POST('/v1/auth/password/verify', { body: { email, otp } });
    expect(verified.response.status).toBe(200);
    const grant = (verified.data as { grant?: string }).grant!;
    const next = 'a new phrase for every route 9';
    expect((await anon.POST('/v1/auth/password/reset', { body: { grant, new_password: next } })).response.status).toBeLessThan(300);

    const again = client();
    expect((await again.POST('/v1/auth/login', { body: { login: email, password: next } })).response.status).toBe(200);
    expect((await again.PUT('/v1/me/password', { body: { old_password: next, new_password: testPassword } })).response.status).toBeLessThan(300);
    expect((await again.POST('/v1/auth/refresh', { body: { refresh_token: again.tokens.get()!.refresh_token } })).response.status).toBe(200);
    const other = client();
    await other.POST('/v1/auth/login', { body: { login: email, password: testPassword } });
    expect((await again.DELETE('/v1/me/sessions/{id}', { params: { path: { id: (await other.GET('/v1/me/sessions')).data!.find((s) => s.current)!.id! } } })).response.status).toBe(204);
    expect((await again.DELETE('/v1/me/sessions')).response.status).toBeLessThan(300);
    expect((await again.POST('/v1/auth/logout-all')).response.status).toBeLessThan(300);
    const last = client();
    await last.POST('/v1/auth/login', { body: { login: email, password: testPassword } });
    expect((await last.POST('/v1/auth/logout')).response.status).toBe(204);
    const doomed = client();
    await doomed.POST('/v1/auth/login', { body: { login: email, password: testPassword } });
    expect((await doomed.DELETE('/v1/me', { body: { password: testPassword } })).response.status).toBe(204);

    // Routes for other credentials (service keys, passkeys, second factors): reached through the client, answered
    // with a documented refusal for a caller that lacks them. Any other native route must be listed above.
    const probes: Record<string, () => Promise<{ response: Response }>> = {
      'GET /v1/revocations': () => anon.GET('/v1/revocations'),
      'GET /v1/revocations/stream': () => anon.GET('/v1/revocations/stream', { parseAs: 'text' }),
      'POST /v1/auth/mfa/verify': () => anon.POST('/v1/auth/mfa/verify', { body: { mfa_token: 'unknown', code: '123456' } }),
      'POST /v1/auth/mfa/passkey/options': () => anon.POST('/v1/auth/mfa/passkey/options', { body: { mfa_token: 'unknown' } }),
      'POST /v1/auth/mfa/passkey': () => anon.POST('/v1/auth/mfa/passkey', { body: { mfa_token: 'unknown', response: {} } as never }),
      'POST /v1/auth/passkey': () => anon.POST('/v1/auth/passkey', { body: { response: {} } as never }),
      'GET /v1/me/passkeys': () => anon.GET('/v1/me/passkeys'),
      'POST /v1/me/passkeys/options': () => anon.POST('/v1/me/passkeys/options', { body: {} as never }),
      'POST /v1/me/passkeys': () => anon.POST('/v1/me/passkeys', { body: { response: {}, name: 'x' } as never }),
      'PATCH /v1/me/passkeys/{id}': () => anon.PATCH('/v1/me/passkeys/{id}', { params: { path: { id: 'nope' } }, body: { name: 'x' } as never }),
      'DELETE /v1/me/passkeys/{id}': () => anon.DELETE('/v1/me/passkeys/{id}', { params: { path: { id: 'nope' } }, body: {} as never }),
      'GET /v1/me/mfa': () => anon.GET('/v1/me/mfa'),
      'POST /v1/me/mfa/totp': () => anon.POST('/v1/me/mfa/totp', { body: { current_password: 'x' } }),
      'POST /v1/me/mfa/totp/confirm': () => anon.POST('/v1/me/mfa/totp/confirm', { body: { code: '123456' } }),
      'DELETE /v1/me/mfa/totp': () => anon.DELETE('/v1/me/mfa/totp', { body: { current_password: 'x', code: '123456' } }),
      'POST /v1/me/mfa/recovery-codes': () => anon.POST('/v1/me/mfa/recovery-codes', { body: { current_password: 'x' } }),
    };
    // Passwordless sign-in starts without a credential: its options are for anyone.
    expect((await anon.POST('/v1/auth/passkey/options', { body: {} as never })).response.status).toBe(200);
    const doc = (await servedDocument()) as { paths: Record<string, Record<string, unknown>> };
    const native = Object.entries(doc.paths)
      .filter(([path]) => !path.startsWith('/v1/admin/'))
      .flatMap(([path, ops]) => Object.keys(ops).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map((m) => `${m.toUpperCase()} ${path}`));
    for (const op of native.filter((o) => !called.has(o))) {
      const probe = probes[op];
      if (!probe) continue;
      const res = await probe();
      expect(res.response.status, op).toBeGreaterThanOrEqual(400);
      expect(res.response.status, op).toBeLessThan(500);
    }
    expect(native.filter((o) => !called.has(o)), 'native routes the client never called').toEqual([]);
  });
});
