// Latency of admin listings over 20,000 users and 50,000 audit events, on both backends: npx tsx test/admin/measure-admin-latency.ts
import { performance } from 'node:perf_hooks';
import { testApp } from '../support/app.js';
import { person, consoleLogin } from './support.js';

for (const backend of ['sqlite', 'postgres'] as const) {
  const app = await testApp(backend);
  const su = await person(app, 'superuser');
  const now = app.clock.now();
  const N = 20000;
  const rows = Array.from({ length: N }, (_, i) => ({
    username: `bulk${i}`, username_key: `bulk${i}`, email: `bulk${i}@example.com`, email_key: `bulk${i}@example.com`, password_hash: '!', first_name: ['Ada', 'Alan', 'Grace', 'Edsger'][i % 4]!, last_name: `Family${i % 500}`,
    phone_number: '', date_of_birth: null, gender: '', bio: '', is_active: i % 10 ? 1 : 0, is_staff: 0, is_superuser: 0, email_verified: i % 3 ? 1 : 0, approved: i % 7 ? 1 : 0,
    date_joined: now - i * 60_000, last_login: i % 2 ? now - i * 1000 : null, password_changed_at: now, updated_at: now, failed_logins: 0, locked_until: null, pending_email: null, avatar_etag: null,
  }));
  for (let i = 0; i < N; i += 500) await app.core.db.insertInto('users').values(rows.slice(i, i + 500)).execute();
  const events = Array.from({ length: 50000 }, (_, i) => ({ at: now - i * 20_000, kind: i % 5 ? 'login.succeeded' : 'login.failed', user_id: (i % N) + 2, actor_id: null, ip: '10.0.0.1', user_agent: 'x', detail: '{}' }));
  for (let i = 0; i < events.length; i += 1000) await app.core.db.insertInto('audit_events').values(events.slice(i, i + 1000)).execute();
  const { cookie } = await consoleLogin(app, su.username);
  const time = async (label: string, url: string, headers: Record<string, string>) => {
    for (let i = 0; i < 3; i++) await app.http.inject({ method: 'GET', url, headers });
    const n = 20;
    const t0 = performance.now();
    let status = 0;
    for (let i = 0; i < n; i++) status = (await app.http.inject({ method: 'GET', url, headers })).statusCode;
    console.log(`${backend.padEnd(8)} ${label.padEnd(46)} ${((performance.now() - t0) / n).toFixed(1)} ms  (${status})`);
  };
  const bearer = { authorization: `Bearer ${su.token}` };
  let cursor = '';
  for (let i = 0; i < 50; i++) cursor = (await app.http.inject({ method: 'GET', url: `/v1/admin/users?limit=200${cursor ? `&cursor=${cursor}` : ''}`, headers: bearer })).json().next_cursor;
  await time('API users, first page (50)', '/v1/admin/users', bearer);
  await time('API users, page 51 of 200 (cursor)', `/v1/admin/users?limit=200&cursor=${cursor}`, bearer);
  await time('API users, search "grace family12"', '/v1/admin/users?q=grace+family12', bearer);
  await time('API users, filters + sort by email', '/v1/admin/users?active=true&verified=false&pending=false&sort=email&order=asc', bearer);
  await time('API audit, first page', '/v1/admin/audit', bearer);
  await time('API audit, kind=login.failed', '/v1/admin/audit?kind=login.failed', bearer);
  await time('API overview (14 days)', '/v1/admin/overview', bearer);
  await time('console /admin (overview page)', '/admin', { cookie });
  await time('console /admin/users', '/admin/users', { cookie });
  await time('console /admin/users?q=grace', '/admin/users?q=grace', { cookie });
  const t0 = performance.now();
  const csv = await app.http.inject({ method: 'GET', url: '/v1/admin/audit/export?format=csv', headers: bearer });
  console.log(`${backend.padEnd(8)} ${'audit CSV export, 50k rows'.padEnd(46)} ${(performance.now() - t0).toFixed(0)} ms  (${csv.body.length} bytes)`);
  await app.close();
}
