import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessSubject } from '../../src/core/access-tokens.js';
import { backends } from '../support/backends.js';
import type { TestApp } from '../support/app.js';
import { compatApp, strong } from './support.js';

// The profile used to sign a pair's access token and then sign it again with its claims: two
// signatures per login and refresh, and the first token, never handed out, stayed valid.
describe.each(backends)('compat simplejwt signatures on %s', (backend) => {
  let app: TestApp;
  const signed: { subject: AccessSubject; extra: Record<string, unknown> }[] = [];
  beforeAll(async () => {
    app = await compatApp(backend, 'simplejwt');
    const tokens = app.core.accessTokens;
    const sign = tokens.sign.bind(tokens);
    tokens.sign = (subject, ttl, extra = {}) => {
      signed.push({ subject, extra });
      return sign(subject, ttl, extra);
    };
    await app.request({ method: 'POST', url: '/api/register/', payload: { email: 'once@example.com', username: 'once', password: strong } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('simplejwt login signs one access token, carrying the profile claims', async () => {
    signed.length = 0;
    const res = await app.request({ method: 'POST', url: '/api/token/', payload: { email: 'once@example.com', password: strong } });
    expect(res.statusCode, res.body).toBe(200);
    expect(signed).toHaveLength(1);
    expect(signed[0]!.extra).toMatchObject({ username: 'once', email: 'once@example.com' });
    expect(decodeJwt(res.json().access)).toMatchObject({ username: 'once', email: 'once@example.com', token_type: 'access' });
  });

  it('simplejwt refresh signs one access token, carrying the profile claims', async () => {
    const { refresh } = (await app.request({ method: 'POST', url: '/api/token/', payload: { email: 'once@example.com', password: strong } })).json();
    signed.length = 0;
    const res = await app.request({ method: 'POST', url: '/api/token/refresh/', payload: { refresh } });
    expect(res.statusCode, res.body).toBe(200);
    expect(signed).toHaveLength(1);
    expect(signed[0]!.extra).toMatchObject({ username: 'once', email: 'once@example.com' });
    expect(decodeJwt(res.json().access)).toMatchObject({ username: 'once', email: 'once@example.com', token_type: 'access' });
  });
});
