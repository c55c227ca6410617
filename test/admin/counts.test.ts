import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { consoleLogin, person, type Person } from './support.js';

/** Issue 11: the user list's total stops at 10,000, the overview's account counts stay exact (kept by triggers), an audit family walks its own index. */
describe.each(backends)('admin counts on %s', (backend) => {
  let app: TestApp;
  let staff: Person;
  const seeded = 10_050;
  const tag = `cap${backend}${process.pid}`;

  const list = async (query: string) => {
    const res = await app.request({ method: 'GET', url: `/v1/admin/users?${query}`, token: staff.token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const overview = async () => (await app.request({ method: 'GET', url: '/v1/admin/overview', token: staff.token })).json();
  /** The account counts straight from the users table, as the overview defines them. */
  const direct = async (): Promise<Record<string, number>> => {
    const { rows } = await sql<Record<string, number | string>>`select count(*) as total,
        sum(case when is_active = 1 then 1 else 0 end) as active,
        sum(case when is_staff = 1 or is_superuser = 1 then 1 else 0 end) as staff,
        sum(case when approved = 0 and is_active = 1 then 1 else 0 end) as pending_activation,
        sum(case when email_verified = 0 then 1 else 0 end) as unverified
      from users`.execute(app.core.db);
    const n = Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v ?? 0)]));
    return { ...n, inactive: n.total! - n.active! };
  };
  const accountCounts = (o: { users: Record<string, number> }) => {
    const { locked: _locked, ...rest } = o.users;
    return rest;
  };

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    staff = await person(app, 'staff');
    // One statement, as an import or a seed writes users: the triggers count it too.
    const now = app.clock.now();
    const from = backend === 'sqlite' ? sql`seq` : sql`generate_series(1, ${seeded}) as seq(n)`;
    await sql`${backend === 'sqlite' ? sql`with recursive seq(n) as (select 1 union all select n + 1 from seq where n < ${seeded}) ` : sql``}
      insert into users (username, username_key, email, email_key, password_hash, last_name, email_verified, is_active, approved, date_joined, password_changed_at, updated_at)
      select ${tag} || '_' || n, ${tag} || '_' || n, ${tag} || '_' || n || '@example.com', ${tag} || '_' || n || '@example.com', 'x', 'Capstone',
             case when n % 3 = 0 then 1 else 0 end, case when n % 7 = 0 then 0 else 1 end, case when n % 11 = 0 then 0 else 1 end,
             ${sql.lit(now)} - n, ${sql.lit(now)}, ${sql.lit(now)}
      from ${from}`.execute(app.core.db);
  }, 60_000);
  afterAll(() => app?.close());

  it('counts at most 10,000 users for the total, and says so', async () => {
    const all = await list('limit=5');
    expect(all).toMatchObject({ total: 10_000, total_capped: true });
    expect(all.items).toHaveLength(5);
    const few = await list(`q=${tag}_12&sort=username&order=asc`);
    // _12 and _120.._129, _1200.._1299 and _10000.._10050 minus those over the seed: exact below the cap.
    expect(few.total_capped).toBe(false);
    expect(few.total).toBe(1 + 10 + 100);
    expect((await list('staff=true')).total_capped).toBe(false);
  });

  it('pages a search matching more than 10,000 users in order, without sorting every match', async () => {
    const first = await list('q=capstone&limit=50');
    expect(first).toMatchObject({ total: 10_000, total_capped: true });
    const expected = await app.core.db.selectFrom('users').select('id').where('last_name', '=', 'Capstone').orderBy('date_joined', 'desc').orderBy('id', 'desc').limit(100).execute();
    const second = await list(`q=capstone&limit=50&cursor=${encodeURIComponent(first.next_cursor)}`);
    expect([...first.items, ...second.items].map((u: { id: number }) => u.id)).toEqual(expected.map((r) => Number(r.id)));
    // A narrower search over the same users (under the cap) orders the same way.
    const narrow = await list(`q=capstone+${tag}_100&limit=100`);
    expect(narrow.total_capped).toBe(false);
    const narrowExpected = await app.core.db.selectFrom('users').select('id').where('username', 'like', `${tag}_100%`).orderBy('date_joined', 'desc').orderBy('id', 'desc').execute();
    expect(narrow.items.map((u: { id: number }) => u.id)).toEqual(narrowExpected.map((r) => Number(r.id)));
  });

  it('shows a capped total as "more than" on the console', async () => {
    const { cookie } = await consoleLogin(app, staff.username);
    const page = await app.request({ method: 'GET', url: '/admin/users', headers: { cookie } });
    expect(page.body).toContain('More than 10,000 users');
  });

  it('counts what depends on the time up to the cap, and names the capped counts', async () => {
    const now = app.clock.now();
    await app.core.db.updateTable('users').set({ locked_until: now + 60_000 }).where('last_name', '=', 'Capstone').execute();
    const o = await overview();
    expect(o.users.locked).toBe(10_000);
    expect(o.capped).toEqual(['users.locked']);
    const { cookie } = await consoleLogin(app, staff.username);
    expect((await app.request({ method: 'GET', url: '/admin', headers: { cookie } })).body).toMatch(/Locked now<\/span><span class="stat-value">10,000\+</);
    await app.core.db.updateTable('users').set({ locked_until: null }).where('last_name', '=', 'Capstone').execute();
    expect((await overview()).users.locked).toBe(0);
  });

  it('keeps the overview account counts exact through seeds, flag changes and deletes', async () => {
    const before = await overview();
    expect(accountCounts(before)).toEqual(await direct());
    expect(before.users.total).toBeGreaterThan(10_000);
    const id = (await list(`q=${tag}_77&limit=1`)).items[0].id as number;
    const act = (action: string) => app.request({ method: 'POST', url: `/v1/admin/users/${id}/${action}`, token: staff.token });
    expect((await act('deactivate')).statusCode).toBe(200);
    expect((await act('verify-email')).statusCode).toBe(200);
    expect(accountCounts(await overview())).toEqual(await direct());
    // Bulk writes straight to the table (an import, a script) are counted as well.
    await app.core.db.updateTable('users').set({ is_staff: 1, approved: 0 }).where('username', 'like', `${tag}_5%`).execute();
    await app.core.db.updateTable('users').set({ first_name: 'Unrelated' }).where('username', 'like', `${tag}_6%`).execute();
    await app.core.db.deleteFrom('users').where('username', 'like', `${tag}_99%`).execute();
    const after = await overview();
    expect(accountCounts(after)).toEqual(await direct());
    expect(after.capped).toEqual([]);
    expect((await list('staff=true')).total).toBe((await direct()).staff);
  });

  it('filters the audit log by a kind family: exactly the kinds that start with it, newest first', async () => {
    const now = app.clock.now();
    const kinds = ['logout', 'logout.all', 'login.failed', 'login.succeeded', 'logout.all'];
    await app.core.db.insertInto('audit_events').values(kinds.map((kind, i) => ({ kind, at: now + 1000 + i, user_id: staff.id, ip: '', user_agent: '', detail: '{}' }))).execute();
    const audit = async (query: string) => (await app.request({ method: 'GET', url: `/v1/admin/audit?user_id=${staff.id}&${query}`, token: staff.token })).json();
    const family = async (kind: string) => {
      const out: string[] = [];
      let cursor = '';
      for (;;) {
        const page = await app.request({ method: 'GET', url: `/v1/admin/audit?kind=${kind}&limit=1&from=${new Date(now + 1000).toISOString()}${cursor}`, token: staff.token });
        expect(page.statusCode, page.body).toBe(200);
        out.push(...page.json().items.map((e: { kind: string; at: string }) => `${e.kind}@${Date.parse(e.at) - now - 1000}`));
        if (!page.json().next_cursor) return out;
        cursor = `&cursor=${encodeURIComponent(page.json().next_cursor)}`;
      }
    };
    expect(await family('logout.')).toEqual(['logout.all@4', 'logout.all@1']);
    expect(await family('login.')).toEqual(['login.succeeded@3', 'login.failed@2']);
    expect((await audit('kind=logout')).items.map((e: { kind: string }) => e.kind)).toEqual(['logout']);
  });
});
