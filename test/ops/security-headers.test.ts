import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { cspNonce, pageCsp } from '../../src/http/security-headers.js';
import { chromiumPath, haveBrowser } from '../support/browser.js';

const policy = (header: unknown) => String(header).split(';').map((d) => d.trim()).filter(Boolean).join('; ');
const strictPage = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function expectHardened(headers: Record<string, unknown>, what: string) {
  expect(headers['x-frame-options'], what).toBe('DENY');
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['referrer-policy'], what).toMatch(/^(no-referrer|same-origin)$/);
  expect(headers['cross-origin-opener-policy'], what).toBe('same-origin');
  expect(String(headers['content-security-policy']), what).toContain("frame-ancestors 'none'");
  expect(String(headers['content-security-policy']), what).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(headers['x-powered-by'], what).toBeUndefined();
}

describe.each(backends)('security headers on every response (%s)', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('JSON API, problem+json error, 404, console page, recovery page, docs and the spec all carry them', async () => {
    const { access_token } = await app.signUp();
    const answers = {
      json: await app.request({ method: 'GET', url: '/v1/me', token: access_token }),
      problem: await app.request({ method: 'GET', url: '/v1/me' }),
      malformed: await app.request({ method: 'POST', url: '/v1/auth/login', payload: '{"login":', headers: { 'content-type': 'application/json' } }),
      notFound: await app.request({ method: 'GET', url: '/no/such/thing' }),
      console: await app.request({ method: 'GET', url: '/admin/login' }),
      consoleRedirect: await app.request({ method: 'GET', url: '/admin/users' }),
      recovery: await app.request({ method: 'GET', url: '/reset-password?token=x' }),
      docs: await app.request({ method: 'GET', url: '/docs' }),
      spec: await app.request({ method: 'GET', url: '/openapi.json' }),
    };
    expect(answers.json.statusCode).toBe(200);
    expect(answers.problem.statusCode).toBe(401);
    expect(answers.problem.headers['content-type']).toContain('application/problem+json');
    expect(answers.malformed.statusCode).toBe(400);
    expect(answers.notFound.statusCode).toBe(404);
    expect(answers.console.statusCode).toBe(200);
    expect(answers.consoleRedirect.statusCode).toBe(303);
    expect(answers.recovery.statusCode).toBe(200);
    expect(answers.docs.statusCode).toBe(200);
    expect(answers.spec.statusCode).toBe(200);
    for (const [what, answer] of Object.entries(answers)) expectHardened(answer.headers, what);

    // The API and every page without its own policy get the strict page policy.
    for (const what of ['json', 'problem', 'notFound', 'console', 'consoleRedirect'] as const) {
      expect(policy(answers[what].headers['content-security-policy']), what).toBe(strictPage);
    }
    // Recovery pages: no script at all, the one inline style by hash; the token never leaves by Referer.
    expect(answers.recovery.headers['content-security-policy']).toMatch(/script-src 'none'; style-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(answers.recovery.headers['referrer-policy']).toBe('no-referrer');
    // The Swagger UI: its own hashes, nothing from another origin.
    expect(answers.docs.headers['content-security-policy']).toMatch(/script-src 'self';/);
    expect(answers.docs.headers['content-security-policy']).not.toMatch(/https:|validator\.swagger\.io|upgrade-insecure-requests/);
    // Plain http: no HSTS.
    for (const answer of Object.values(answers)) expect(answer.headers['strict-transport-security']).toBeUndefined();
  });

  it('an avatar may be embedded by other sites; JSON may not be read cross-origin without CORS', async () => {
    const me = await app.signUp();
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const boundary = 'x-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="avatar"; filename="a.png"\r\ncontent-type: image/png\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const put = await app.http.inject({ method: 'PUT', url: '/v1/me/avatar', payload: body, headers: { authorization: `Bearer ${me.access_token}`, 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(put.statusCode, put.body).toBeLessThan(300);
    const avatar = await app.request({ method: 'GET', url: `/v1/users/${me.user.id}/avatar` });
    expect(avatar.statusCode).toBe(200);
    expect(avatar.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(avatar.headers['x-content-type-options']).toBe('nosniff');
    expect((await app.request({ method: 'GET', url: '/v1/me', token: me.access_token })).headers['cross-origin-resource-policy']).toBe('same-origin');
  });
});

describe('HSTS only behind an https public URL', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp('sqlite', { GATEHOUSE_PUBLIC_URL: 'https://auth.example.com' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('sends strict-transport-security for this host only, on API answers and errors alike', async () => {
    for (const url of ['/v1/me', '/admin/login', '/no/such/thing']) {
      expect((await app.request({ method: 'GET', url })).headers['strict-transport-security'], url).toBe('max-age=31536000');
    }
    expect((await app.request({ method: 'GET', url: '/docs' })).headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });
});

describe('pageCsp: the one-line policy for new pages', () => {
  it('keeps the strict defaults and adds only what is asked', () => {
    expect(pageCsp()).toBe(strictPage);
    expect(pageCsp({ scripts: false, formTargets: ['https://rp.example', 'https://rp.example'] })).toBe(
      "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self' https://rp.example; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(pageCsp({ noForms: true })).toContain("form-action 'none'");
    const nonce = cspNonce();
    expect(nonce).not.toBe(cspNonce());
    expect(pageCsp({ nonce })).toContain(`script-src 'self' 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'`);
  });
});


describe.skipIf(!haveBrowser)('pages under these headers in a real browser (chromium)', () => {
  let app: TestApp;
  let context: BrowserContext;
  let base: string;
  let profileDir: string;

  beforeAll(async () => {
    app = await testApp('sqlite');
    await app.http.listen({ port: 0, host: '127.0.0.1' });
    const address = app.http.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    profileDir = mkdtempSync(join(tmpdir(), 'gatehouse-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    await context.route((url) => !url.href.startsWith(base), (route) => route.abort());
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await app?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  it('the Swagger UI renders the API and the recovery page its inline style, with no CSP violation', async () => {
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') violations.push(m.text());
    });
    page.on('pageerror', (err) => violations.push(err.message));

    await page.goto(`${base}/docs`);
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: 30_000 });
    expect(await page.locator('.swagger-ui .info .title').innerText()).toContain('API');
    expect(await page.locator('.opblock').count()).toBeGreaterThan(10);

    // Swagger UI itself sets some style attributes, which its policy (like upstream's) blocks: cosmetic.
    violations.length = 0;
    await page.goto(`${base}/reset-password?token=abc`);
    // The hashed inline style applied: the button has its colour.
    expect(await page.locator('button[type=submit]').evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(36, 86, 211)');
    expect(violations.filter((v) => /Content Security Policy|Refused/i.test(v))).toEqual([]);
    await page.close();
  }, 60_000);
});
