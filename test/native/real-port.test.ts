import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { tinyPng } from '../support/png.js';
import { testPassword } from '../support/passwords.js';

describe.each(backends)('over a real listening port on %s', (backend) => {
  let app: TestApp;
  let base: string;
  beforeAll(async () => {
    app = await testApp(backend);
    base = await app.http.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
  });

  const json = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('registers, logs in, uploads a real PNG as multipart, and serves it with ETag and 304', async () => {
    const reg = await json('/v1/auth/register', { username: 'wire', email: 'wire@example.com', password: testPassword });
    expect(reg.status).toBe(201);
    expect(reg.headers.get('x-request-id')).toBeTruthy();
    const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', body: new URLSearchParams({ login: 'WIRE@example.com', password: testPassword }) });
    expect(login.status).toBe(200);
    const { access_token, user } = await login.json();
    const auth = { authorization: `Bearer ${access_token}` };

    const png = tinyPng(4, 4, [10, 200, 30]);
    const form = new FormData();
    form.append('avatar', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'me.png');
    const put = await fetch(`${base}/v1/me/avatar`, { method: 'PUT', headers: auth, body: form });
    expect(put.status).toBe(200);
    const avatarUrl = (await put.json()).avatar_url as string;
    expect(avatarUrl).toBe(`${app.config.publicUrl}/v1/users/${user.id}/avatar`);

    const path = new URL(avatarUrl).pathname;
    const got = await fetch(`${base}${path}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('cache-control')).toMatch(/max-age/);
    expect(Buffer.from(await got.arrayBuffer()).equals(png)).toBe(true);
    const etag = got.headers.get('etag')!;
    const again = await fetch(`${base}${path}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    const head = await fetch(`${base}${path}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
  });

  it('refuses a 2 MB body with 413 and a text/plain body with 415, and keeps serving', async () => {
    const big = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'x'.repeat(2_000_000), password: 'y' }) });
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toContain('application/problem+json');
    const text = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'login=a' });
    expect(text.status).toBe(415);
    const form = new FormData();
    form.append('login', 'someone');
    form.append('password', 'p'.repeat(1_500_000));
    const bigMultipart = await fetch(`${base}/v1/auth/login`, { method: 'POST', body: form });
    expect(bigMultipart.status).toBe(413);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('refuses a chunked multipart body past the limit (no Content-Length to check up front)', async () => {
    const { port } = new URL(base);
    const boundary = 'chunkyboundary';
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/v1/auth/login', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="f.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
      for (let i = 0; i < 24; i++) req.write(Buffer.alloc(100_000, 1));
      req.end(`\r\n--${boundary}--\r\n`);
    });
    expect(status).toBe(413);
  });

  it('publishes the JWKS with caching headers, and answers /healthz and /readyz', async () => {
    const jwks = await fetch(`${base}/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    expect((await jwks.json()).keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect((await (await fetch(`${base}/healthz`)).json()).status).toBe('ok');
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
  });
});
