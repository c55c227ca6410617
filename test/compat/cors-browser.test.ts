import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { compatApp, strong } from './support.js';
import { chromiumPath, haveBrowser } from '../support/browser.js';

// CI installs chromium (.ci/run); there a missing browser is a failure, not a skip.

const frontPage = '<!doctype html><html><head><meta charset="utf-8"><title>seed 001 front end</title></head><body><p>front end</p></body></html>';

function listenOn(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

/**
 * Seed 001's front ends run on another origin and rely on CORS_ALLOW_ALL_ORIGINS: a real Chromium
 * on a page from a second port registers, logs in and calls the dashboard through the simplejwt
 * profile (JSON bodies and the Authorization header: every call is preflighted).
 */
describe.skipIf(!haveBrowser)('CORS in a real browser (chromium), simplejwt profile', () => {
  let app: TestApp;
  let front: Server;
  let context: BrowserContext;
  let page: Page;
  let api: string;
  let frontOrigin: string;
  let profileDir: string;

  beforeAll(async () => {
    app = await compatApp('sqlite', 'simplejwt');
    await app.http.listen({ port: 0, host: '127.0.0.1' });
    const address = app.http.server.address();
    api = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    front = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(frontPage);
    });
    frontOrigin = `http://127.0.0.1:${await listenOn(front)}`;
    profileDir = mkdtempSync(join(tmpdir(), 'gatehouse-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${frontOrigin}/`);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => (front ? front.close(resolve) : resolve(undefined)));
    await app?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  it('registers, logs in and calls the dashboard from another origin', async () => {
    expect(new URL(frontOrigin).origin).not.toBe(new URL(api).origin);
    const result = await page.evaluate(async ({ api, password }) => {
      const json = { 'Content-Type': 'application/json' };
      const register = await fetch(`${api}/api/register/`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'browser@example.com', username: 'Browser', password, password2: password }) });
      const registered = { status: register.status, body: await register.json() };
      const login = await fetch(`${api}/api/token/`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'browser@example.com', password }) });
      const tokens = await login.json();
      const dashboard = await fetch(`${api}/api/dashboard/`, { headers: { Authorization: `Bearer ${tokens.access}` } });
      const refresh = await fetch(`${api}/api/token/refresh/`, { method: 'POST', headers: json, body: JSON.stringify({ refresh: tokens.refresh }) });
      return {
        registered,
        login: { status: login.status, keys: Object.keys(tokens).sort() },
        dashboard: { status: dashboard.status, body: await dashboard.json() },
        refresh: refresh.status,
      };
    }, { api, password: strong });
    expect(result.registered).toEqual({ status: 201, body: expect.objectContaining({ email: 'browser@example.com', username: 'Browser' }) });
    expect(result.login).toEqual({ status: 200, keys: ['access', 'refresh'] });
    expect(result.dashboard).toEqual({ status: 200, body: { response: 'Hey Browser, You are seeing a GET response' } });
    expect(result.refresh).toBe(200);
  });

  it('cannot read the native API or the admin console from there (no CORS outside the profile)', async () => {
    const outcomes = await page.evaluate(async (api) => {
      const tryFetch = async (url: string, init?: RequestInit) => {
        try {
          const res = await fetch(url, init);
          return `read ${res.status}`;
        } catch {
          return 'blocked';
        }
      };
      return {
        native: await tryFetch(`${api}/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }),
        admin: await tryFetch(`${api}/admin/login`),
        adminApi: await tryFetch(`${api}/v1/admin/users`, { credentials: 'include' }),
      };
    }, api);
    expect(outcomes).toEqual({ native: 'blocked', admin: 'blocked', adminApi: 'blocked' });
  });
});
