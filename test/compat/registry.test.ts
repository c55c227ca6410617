import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { buildHttpServer } from '../../src/http/server.js';
import { compatProfiles, resolveCompatProfiles } from '../../src/http/compat/registry.js';
import { mountCompatProfiles } from '../../src/http/compat/mount.js';
import type { CompatProfile } from '../../src/http/compat/profile.js';
import { testApp, type TestApp } from '../support/app.js';
import { compatApp, strong } from './support.js';

describe('GATEHOUSE_COMPAT', () => {
  it('knows the five profiles, one per seed', () => {
    expect([...compatProfiles.keys()]).toEqual(['drf-token', 'simplejwt', 'jwt-otp', 'drf-authtoken', 'jwt-uuid-refresh']);
    expect([...compatProfiles.values()].map((p) => p.seed)).toEqual(['000', '001', '002', '003', '004']);
  });

  it('an unknown profile stops the start with a message naming the valid ones', async () => {
    expect(() => resolveCompatProfiles(['simplejwt', 'djoser'])).toThrow(ConfigError);
    expect(() => resolveCompatProfiles(['djoser'])).toThrow('GATEHOUSE_COMPAT: unknown profile "djoser"; valid profiles: drf-token, simplejwt, jwt-otp, drf-authtoken, jwt-uuid-refresh');
    await expect(testApp('sqlite', { GATEHOUSE_COMPAT: 'djoser' })).rejects.toThrow(/unknown profile "djoser"/);
  });

  it('two profiles claiming the same method and path stop the start, naming both', async () => {
    expect(() => resolveCompatProfiles(['simplejwt', 'drf-authtoken'])).toThrow('GATEHOUSE_COMPAT: profiles "simplejwt" and "drf-authtoken" both serve POST /api/token/; enable only one of them');
    expect(() => resolveCompatProfiles(['jwt-otp', 'jwt-uuid-refresh'])).toThrow(/profiles "jwt-otp" and "jwt-uuid-refresh" both serve POST \/api\/register\//);
    expect(() => resolveCompatProfiles(['drf-authtoken', 'jwt-uuid-refresh'])).toThrow(/both serve GET \/api\/me\//);
    await expect(testApp('sqlite', { GATEHOUSE_COMPAT: 'drf-authtoken, simplejwt' })).rejects.toThrow(/profiles "drf-authtoken" and "simplejwt" both serve POST \/api\/token\//);
  });

  it('a path spelled with and without its trailing slash is the same claim', () => {
    const route = (path: string) => ({ method: 'GET' as const, path, summary: '', errors: { challenge: null }, handler: async () => ({}) });
    const known = new Map<string, CompatProfile>([
      ['a', { name: 'a', seed: 'x', summary: '', routes: [route('/x/')] }],
      ['b', { name: 'b', seed: 'y', summary: '', routes: [route('/x')] }],
    ]);
    expect(() => resolveCompatProfiles(['a', 'b'], known)).toThrow(/profiles "a" and "b" both serve GET \/x/);
    expect(resolveCompatProfiles(['a', 'a'], known)).toHaveLength(1);
  });

  it('mounts nothing when empty', async () => {
    const app = await testApp('sqlite');
    try {
      expect((await app.request({ method: 'POST', url: '/signup/', payload: {} })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});

describe('profiles side by side', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await compatApp('sqlite', 'drf-token,jwt-uuid-refresh');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serve their own paths over one user table, and their tokens are the core\'s', async () => {
    expect((await app.request({ method: 'POST', url: '/signup/', payload: { username: 'tokenuser', email: 'tu@example.com', password: strong } })).statusCode).toBe(201);
    const pair = (await app.request({ method: 'POST', url: '/api/login/', payload: { email: 'tu@example.com', password: strong } })).json();
    expect((await app.request({ method: 'GET', url: '/api/me/', token: pair.access_token })).json()).toMatchObject({ username: 'tokenuser' });
    const native = await app.request({ method: 'GET', url: '/v1/me', token: pair.access_token });
    expect(native.statusCode).toBe(200);
    expect(native.json().email).toBe('tu@example.com');
    const key = (await app.request({ method: 'POST', url: '/login/', payload: { username: 'TOKENUSER', password: strong } })).json().token;
    expect((await app.request({ method: 'GET', url: '/v1/me', apiKey: key })).json().username, 'a DRF key is a core API token').toBe('tokenuser');
  });

  it('answer the methods no profile serves with 405 listing the served ones', async () => {
    const route = (method: 'GET' | 'POST', body: string): CompatProfile['routes'][number] => ({
      method, path: '/shared/', summary: method, errors: { challenge: null }, handler: async () => ({ from: body }),
    });
    const a: CompatProfile = { name: 'a', seed: 'x', summary: '', routes: [route('GET', 'a')] };
    const b: CompatProfile = { name: 'b', seed: 'y', summary: '', routes: [route('POST', 'b')] };
    const http = await buildHttpServer(app.core, { routes: [(server, core) => mountCompatProfiles(server, core, resolveCompatProfiles(['a', 'b'], new Map([['a', a], ['b', b]])))] });
    try {
      expect((await http.inject({ method: 'GET', url: '/shared' })).json()).toEqual({ from: 'a' });
      expect((await http.inject({ method: 'POST', url: '/shared/' })).json()).toEqual({ from: 'b' });
      const refused = await http.inject({ method: 'DELETE', url: '/shared/' });
      expect(refused.statusCode).toBe(405);
      expect(refused.headers.allow).toBe('GET, POST');
      expect(refused.json()).toEqual({ detail: 'Method "DELETE" not allowed.' });
      expect((await http.inject({ method: 'HEAD', url: '/shared/' })).statusCode).toBe(200);
    } finally {
      await http.close();
    }
  });
});
