import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteExpiredRows } from '../../src/jobs/cleanup.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { consoleLogin, person, type Person } from './support.js';

describe.each(backends)('system health: GET /v1/admin/system and the System page on %s', (backend) => {
  let app: TestApp;
  let staff: Person;
  let user: Person;

  const facts = async () => {
    const res = await app.request({ method: 'GET', url: '/v1/admin/system', token: staff.token });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    // The tests move the clock by hours; tokens outlive that.
    await app.core.settings.update({ access_token_ttl: 86400 }, null);
    staff = await person(app, 'staff');
    user = await person(app, 'user');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('reports the database, its migration level against the build, Redis and the signing keys, without key material', async () => {
    const res = await app.request({ method: 'GET', url: '/v1/admin/system', token: staff.token });
    expect(res.body).not.toMatch(/private|public_jwk|"d":/);
    const f = res.json();
    expect(f.database.dialect).toBe(backend);
    expect(f.database.migration.current).toBe(true);
    expect(f.database.migration.at).toBe(f.database.migration.needs);
    expect(f.database.migration.needs).toBeGreaterThanOrEqual(11);
    expect(f.database.url).not.toMatch(/:[^:@/]+@/);
    expect(f.redis).toEqual({ configured: false, healthy: null });
    const signing = f.signing.keys.filter((k: { state: string }) => k.state === 'signing');
    expect(signing).toHaveLength(1);
    const age = signing[0].age_seconds;
    app.clock.advance(3600);
    expect((await facts()).signing.keys.find((k: { kid: string }) => k.kid === signing[0].kid).age_seconds).toBe(age + 3600);
  });

  it('counts instances whose readiness probe ran in the last minute', async () => {
    app.clock.advance(120);
    expect((await facts()).instances.seen).toEqual([]);
    expect((await app.request({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    app.clock.advance(5);
    const seen = (await facts()).instances.seen;
    expect(seen).toHaveLength(1);
    expect(seen[0].age_seconds).toBe(5);
    app.clock.advance(60);
    expect((await facts()).instances.seen).toEqual([]);
  });

  it('shows the mail backlog and how long its oldest due mail has waited', async () => {
    const before = (await facts()).outbox;
    await app.core.mailer.enqueue(app.core.db, { kind: 'password_changed', to: 'waiting@example.com', data: { name: 'Waiting' } });
    app.clock.advance(600);
    const after = (await facts()).outbox;
    expect(after.backlog).toBe(before.backlog + 1);
    expect(after.backlog).toBe(after.counts.pending + after.counts.retry);
    expect(after.oldest_due_seconds).toBeGreaterThanOrEqual(600);
  });

  it('records when the cleanup job last ran, on any instance, apart from the instances', async () => {
    expect((await facts()).cleanup).toEqual({ last_run_at: null, age_seconds: null });
    await deleteExpiredRows({ db: app.store.db, clock: app.clock, log: app.core.log, retentionSeconds: 86400, sessionIdleSeconds: 86400 });
    const ranAt = app.clock.now();
    app.clock.advance(90);
    const f = await facts();
    expect(f.cleanup).toEqual({ last_run_at: ranAt, age_seconds: 90 });
    expect(f.instances.seen.map((i: { instance: string }) => i.instance)).not.toContain('job:cleanup');
  });

  it('is for staff only', async () => {
    expect((await app.request({ method: 'GET', url: '/v1/admin/system', token: user.token })).statusCode).toBe(403);
    expect((await app.request({ method: 'GET', url: '/v1/admin/system' })).statusCode).toBe(401);
  });

  it('renders the System page in the console, linked from the navigation, with human durations', async () => {
    const { cookie } = await consoleLogin(app, staff.username);
    const overview = await app.request({ method: 'GET', url: '/admin', headers: { cookie } });
    expect(overview.body).toContain('href="/admin/system"');
    const page = await app.request({ method: 'GET', url: '/admin/system', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>System</h1>');
    expect(page.body).toContain('matches this build');
    expect(page.body).toContain(backend === 'postgres' ? 'PostgreSQL' : 'SQLite');
    expect(page.body).toContain('seen in the last 1 min');
    expect(page.body).toMatch(/Mail backlog<\/span><span class="stat-value">\d+/);
    expect(page.body).toMatch(/<td>\d+ (h|min|s|days?)( \d+ (h|min|s))?<\/td>/); // a key's age, not raw seconds
    expect((await app.request({ method: 'GET', url: '/admin/system' })).statusCode).toBe(303);
  });
});
