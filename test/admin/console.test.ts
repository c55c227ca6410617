import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { consoleLogin, form, formHeaders, password, person, type Person } from './support.js';

const pages = ['/admin', '/admin/users', '/admin/users?q=a&active=true&sort=email&order=asc', '/admin/users/new', '/admin/settings', '/admin/audit', '/admin/audit?kind=login.', '/admin/mail', '/admin/mail?status=failed'];

describe.each(backends)('web console on %s', (backend) => {
  let app: TestApp;
  let staff: Person;
  let su: Person;

  const get = (url: string, cookie?: string) => app.request({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  const post = (url: string, cookie: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) =>
    app.request({ method: 'POST', url, payload: form(fields), headers: { ...formHeaders(cookie), ...headers } });
  const signIn = (login: string, pw: string, extra: Record<string, string> = {}, remoteAddress?: string) =>
    app.request({ method: 'POST', url: '/admin/login', payload: form({ login, password: pw, ...extra }), headers: { 'content-type': 'application/x-www-form-urlencoded' }, remoteAddress });

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    staff = await person(app, 'staff');
    su = await person(app, 'superuser');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('sends the signed-out to sign in, and back where they were going', async () => {
    const res = await get('/admin/users?q=ada');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/login?next=%2Fadmin%2Fusers%3Fq%3Dada');
    expect((await get('/admin')).headers.location).toBe('/admin/login');
    const page = await get('/admin/login?next=%2Fadmin%2Fusers%3Fq%3Dada');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<label for="login">Username or email</label>');
    expect(page.body).toContain('value="/admin/users?q=ada"');
    const signedIn = await signIn(staff.username, password, { next: '/admin/users?q=ada' });
    expect(signedIn.headers.location).toBe('/admin/users?q=ada');
    for (const evil of ['//evil.example/x', 'https://evil.example', '/adminx', '/admin/../v1', 'javascript:alert(1)']) {
      expect((await signIn(staff.username, password, { next: evil })).headers.location, evil).toBe('/admin');
    }
  });

  it('sets a strict HttpOnly session cookie and security headers on every page', async () => {
    const res = await signIn(staff.username, password);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^gatehouse_console=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    const { cookie: session } = await consoleLogin(app, staff.username);
    for (const url of pages) {
      const page = await get(url, session);
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-security-policy'], url).toMatch(/default-src 'none'; script-src 'self'; style-src 'self'/);
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['cache-control']).toBe('no-store');
      // Nothing inline for the CSP to refuse, nothing fetched from elsewhere.
      expect(page.body, url).not.toMatch(/<script(?![^>]*\ssrc="\/admin\/assets\/)/);
      expect(page.body, url).not.toMatch(/\sstyle="|\son[a-z]+="/);
      expect(page.body, url).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
  });

  it('uses a __Host- Secure cookie when served over HTTPS', async () => {
    const secure = await testApp(backend, { GATEHOUSE_PUBLIC_URL: 'https://auth.example.com' });
    try {
      const boss = await person(secure, 'superuser');
      const res = await secure.request({ method: 'POST', url: '/admin/login', payload: form({ login: boss.username, password }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://auth.example.com' } });
      expect(String(res.headers['set-cookie'])).toMatch(/^__Host-gatehouse_console=.*; Path=\/; HttpOnly; Secure; SameSite=Strict/);
    } finally {
      await secure.close();
    }
  });

  it('refuses wrong passwords and non-staff alike, and audits both', async () => {
    const user = await person(app, 'user');
    const wrong = await signIn(staff.username, 'not the password at all');
    const unknown = await signIn('nobody-here', 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.body).toContain('Please enter a correct username or email and password.');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const notStaff = await signIn(user.username, password);
    expect(notStaff.statusCode).toBe(403);
    expect(notStaff.body).toContain('This account may not use the console.');
    expect(notStaff.headers['set-cookie']).toBeUndefined();
    const failures = await app.core.db.selectFrom('audit_events').select(['user_id', 'detail']).where('kind', '=', 'console.sign_in_failed').execute();
    expect(failures.map((f) => JSON.parse(f.detail).reason).sort()).toEqual(['invalid_credentials', 'invalid_credentials', 'not_staff']);
  });

  it('throttles guessing like login does', async () => {
    await app.core.settings.update({ rate_login_ip: 3 }, null);
    try {
      const ip = '10.77.0.1';
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await signIn(staff.username, `guess number ${i}`, {}, ip)).statusCode);
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      const limited = await signIn(staff.username, password, {}, ip);
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.body).toContain('Too many attempts');
      expect(limited.headers['set-cookie']).toBeUndefined();
    } finally {
      await relaxRateLimits(app);
      await app.core.db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', staff.id).execute();
      await app.core.users.invalidate(staff.id);
    }
  });

  it('refuses posts without the CSRF token or from another origin', async () => {
    const victim = await person(app, 'user');
    const { cookie, csrf } = await consoleLogin(app, staff.username);
    const url = `/admin/users/${victim.id}/deactivate`;
    expect((await post(url, cookie, {})).statusCode).toBe(403);
    expect((await post(url, cookie, { _csrf: 'forged' })).statusCode).toBe(403);
    expect((await post(url, cookie, { _csrf: csrf }, { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await app.core.users.get(victim.id))!.is_active).toBe(true);
    const ok = await post(url, cookie, { _csrf: csrf }, { origin: 'http://localhost:80' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/admin/users/${victim.id}?notice=deactivated`);
    expect((await app.core.users.get(victim.id))!.is_active).toBe(false);
  });

  it('lets the console session call the admin API, with the CSRF header on changes', async () => {
    const victim = await person(app, 'user');
    const { cookie, csrf } = await consoleLogin(app, staff.username);
    expect((await app.request({ method: 'GET', url: '/v1/admin/users', headers: { cookie } })).statusCode).toBe(200);
    const patch = (headers: Record<string, string>) => app.request({ method: 'PATCH', url: `/v1/admin/users/${victim.id}`, payload: { first_name: 'Via cookie' }, headers: { cookie, ...headers } });
    const refused = await patch({});
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toBe('CSRF token missing or incorrect.');
    expect((await patch({ 'x-csrf-token': csrf })).json().first_name).toBe('Via cookie');
  });

  it('ends a session after 30 idle minutes, after 12 hours in any case, and on sign-out', async () => {
    let { cookie } = await consoleLogin(app, staff.username);
    app.clock.advance(29 * 60);
    expect((await get('/admin', cookie)).statusCode).toBe(200);
    app.clock.advance(31 * 60);
    expect((await get('/admin', cookie)).statusCode).toBe(303);

    ({ cookie } = await consoleLogin(app, staff.username));
    for (let elapsed = 0; elapsed < 12 * 3600 - 1200; elapsed += 1200) {
      app.clock.advance(1200);
      expect((await get('/admin', cookie)).statusCode, `after ${elapsed + 1200}s`).toBe(200);
    }
    app.clock.advance(1200);
    expect((await get('/admin', cookie)).statusCode).toBe(303);

    const fresh = await consoleLogin(app, staff.username);
    const out = await post('/admin/logout', fresh.cookie, { _csrf: fresh.csrf });
    expect(out.headers.location).toBe('/admin/login?notice=signed_out');
    expect(String(out.headers['set-cookie'])).toMatch(/gatehouse_console=;.*Expires=Thu, 01 Jan 1970/);
    expect((await get('/admin', fresh.cookie)).statusCode).toBe(303);
    expect((await get('/admin/login?notice=signed_out')).body).toContain('You have signed out.');
  });

  it("ends a staff member's console session when they are deactivated or their password changes", async () => {
    const member = await person(app, 'staff');
    // Earlier tests moved the clock past the superuser's token lifetime.
    const boss = (await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: su.username, password } })).json().access_token;
    const first = await consoleLogin(app, member.username);
    app.clock.advance(1);
    expect((await app.request({ method: 'PUT', url: `/v1/admin/users/${member.id}/password`, payload: { password: 'a different passphrase 8' }, token: boss })).statusCode).toBe(204);
    expect((await get('/admin', first.cookie)).statusCode).toBe(303);
    const second = await app.request({ method: 'POST', url: '/admin/login', payload: form({ login: member.username, password: 'a different passphrase 8' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const cookie = String(second.headers['set-cookie']).split(';')[0]!;
    expect((await get('/admin', cookie)).statusCode).toBe(200);
    expect((await app.request({ method: 'POST', url: `/v1/admin/users/${member.id}/deactivate`, token: boss })).statusCode).toBe(200);
    expect((await get('/admin', cookie)).statusCode).toBe(303);
  });

  it('creates, edits and bulk-updates users through forms, with messages on bad input', async () => {
    const { cookie, csrf } = await consoleLogin(app, staff.username);
    const bad = await post('/admin/users/new', cookie, { _csrf: csrf, username: 'has space', email: 'not-an-email', password: 'short', is_active: 'on' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a valid email address.');
    expect(bad.body).toMatch(/id="u-username"[^>]*aria-invalid="true"/);
    expect(bad.body).toContain('value="not-an-email"');

    const made = await post('/admin/users/new', cookie, { _csrf: csrf, username: `form_${backend}`, email: `form_${backend}@example.com`, first_name: '<script>alert(1)</script>', password, is_active: 'on' });
    expect(made.statusCode).toBe(303);
    const id = Number(/\/admin\/users\/(\d+)/.exec(String(made.headers.location))![1]);
    const detail = await get(`/admin/users/${id}`, cookie);
    expect(detail.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(detail.body).not.toContain('<script>alert(1)');

    const edited = await post(`/admin/users/${id}`, cookie, { _csrf: csrf, username: `form_${backend}`, email: `form_${backend}@example.com`, first_name: 'Formed', last_name: '', phone_number: '', date_of_birth: '2000-02-29', gender: '', bio: '', is_active: 'on', email_verified: 'on' });
    expect(edited.headers.location).toBe(`/admin/users/${id}?notice=saved`);
    expect(await app.core.users.get(id)).toMatchObject({ first_name: 'Formed', date_of_birth: '2000-02-29', email_verified: true, is_active: true });
    // Staff forms do not carry staff flags, so they cannot change them.
    const flags = await post(`/admin/users/${id}`, cookie, { _csrf: csrf, is_active: 'on', is_staff: 'on', is_superuser: 'on' });
    expect(flags.statusCode).toBe(303);
    expect(await app.core.users.get(id)).toMatchObject({ is_staff: false, is_superuser: false, email_verified: false });

    const other = await person(app, 'user');
    const bulk = await post('/admin/users/bulk', cookie, { _csrf: csrf, action: 'deactivate', ids: [String(id), String(other.id), String(su.id)], back: '/admin/users?q=form' });
    expect(bulk.headers.location).toBe('/admin/users?q=form&notice=bulk&ok=2&failed=1');
    expect((await app.core.users.get(other.id))!.is_active).toBe(false);
    expect((await get(String(bulk.headers.location), cookie)).body).toContain('2 users updated, 1 refused');
  });

  it('shows settings to staff read-only and lets superusers change them with field messages', async () => {
    const asStaff = await consoleLogin(app, staff.username);
    const view = await get('/admin/settings', asStaff.cookie);
    expect(view.body).toContain('Only a superuser may change settings.');
    expect(view.body).toMatch(/id="s-access_token_ttl"[^>]*disabled/);
    expect((await post('/admin/settings', asStaff.cookie, { _csrf: asStaff.csrf, access_token_ttl: '60' })).statusCode).toBe(403);

    const asSu = await consoleLogin(app, su.username);
    const current = app.core.settings.all();
    const base: Record<string, string> = { _csrf: asSu.csrf };
    for (const [k, v] of Object.entries(current)) if (typeof v !== 'boolean') base[k] = String(v);
    for (const [k, v] of Object.entries(current)) if (v === true) base[k] = 'on';
    const invalid = await post('/admin/settings', asSu.cookie, { ...base, access_token_ttl: 'ten', otp_length: '99' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Expected a duration such as 90 s, 15 min, 1 h 30 min or a number of seconds.');
    expect(invalid.body).toContain('Expected a number from 4 to 10.');
    expect(invalid.body).toContain('value="ten"');
    expect(app.core.settings.all()).toEqual(current);
    const saved = await post('/admin/settings', asSu.cookie, { ...base, access_token_ttl: '90', password_check_numeric: [] as string[] });
    expect(saved.headers.location).toBe('/admin/settings?notice=settings_saved');
    expect(app.core.settings.get('access_token_ttl')).toBe(90);
    expect(app.core.settings.get('password_check_numeric')).toBe(false);
    await app.core.settings.update({ access_token_ttl: current.access_token_ttl, password_check_numeric: true }, null);
  });

  it('serves its own assets with validators', async () => {
    const css = await get('/admin/assets/console.css');
    expect(css.headers['content-type']).toContain('text/css');
    const etag = String(css.headers.etag);
    expect((await app.request({ method: 'GET', url: '/admin/assets/console.css', headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    expect((await get('/admin/assets/console.js')).headers['content-type']).toContain('javascript');
    expect((await get('/admin/assets/..%2Fpackage.json')).statusCode).toBe(404);
  });
});
