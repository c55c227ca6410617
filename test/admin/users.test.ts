import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSessions } from '../../src/core/sessions.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { password, person, type Person } from './support.js';

describe.each(backends)('admin API: users on %s', (backend) => {
  let app: TestApp;
  let staff: Person;
  let su: Person;

  const api = (who: Person, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => app.request({ method, url, payload, token: who.token });
  const login = (login: string, pw = password, remoteAddress?: string) => app.request({ method: 'POST', url: '/v1/auth/login', payload: { login, password: pw }, remoteAddress });
  const auditKinds = async (userId: number) =>
    (await app.core.db.selectFrom('audit_events').select(['kind', 'actor_id', 'detail']).where('user_id', '=', userId).orderBy('id').execute()).map((r) => ({ ...r, actor_id: r.actor_id === null ? null : Number(r.actor_id), detail: JSON.parse(r.detail) }));

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    await app.core.settings.update({ rate_reset_ip: 100000, rate_reset_account: 100000 }, null);
    staff = await person(app, 'staff');
    su = await person(app, 'superuser');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('searches by words across name fields, filters, sorts and pages with stable cursors', async () => {
    const tag = `srch${backend}`;
    const made: number[] = [];
    for (const [first, last] of [['Zoe', 'Quill'], ['Adam', 'Quill'], ['Maya', 'Stone'], ['Liam', 'Quillfeather'], ['Nora', 'Pike']]) {
      app.clock.advance(1);
      made.push((await person(app, 'user', { username: `${tag}_${first.toLowerCase()}`, first_name: first, last_name: last })).id);
    }
    await app.core.db.updateTable('users').set({ email_verified: 1 }).where('id', '=', made[0]!).execute();
    const list = async (query: string) => (await api(staff, 'GET', `/v1/admin/users?${query}`)).json();

    const quill = await list(`q=${tag}+quill&sort=username&order=asc`);
    expect(quill.items.map((u: { first_name: string }) => u.first_name)).toEqual(['Adam', 'Liam', 'Zoe']);
    expect(quill.total).toBe(3);
    expect((await list(`q=${tag}+QUILL+zoe`)).items.map((u: { id: number }) => u.id)).toEqual([made[0]]);
    expect((await list(`q=${made[2]}`)).items.some((u: { id: number }) => u.id === made[2])).toBe(true);
    // LIKE wildcards are literal.
    expect((await list('q=%25')).total).toBe(0);
    expect((await list(`q=${tag}&verified=true`)).items.map((u: { id: number }) => u.id)).toEqual([made[0]]);
    expect((await list(`q=${tag}&verified=false`)).total).toBe(4);
    expect((await list(`q=${tag}&staff=true`)).total).toBe(0);
    // Pending: not approved and not disabled, as the overview counts them.
    await app.core.db.updateTable('users').set({ approved: 0 }).where('id', 'in', [made[1]!, made[2]!]).execute();
    await app.core.db.updateTable('users').set({ is_active: 0 }).where('id', '=', made[2]!).execute();
    expect((await list(`q=${tag}&pending=true`)).items.map((u: { id: number }) => u.id)).toEqual([made[1]]);
    expect((await list(`q=${tag}&pending=false`)).total).toBe(4);
    expect((await list(`q=${tag}&active=false`)).items.map((u: { id: number }) => u.id)).toEqual([made[2]]);
    await app.core.db.updateTable('users').set({ approved: 1, is_active: 1 }).where('id', 'in', [made[1]!, made[2]!]).execute();

    // Pages of two, by username: every match once, in order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { username: string }[]; next_cursor: string | null } = await list(`q=${tag}&sort=username&order=asc&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((u) => u.username));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toHaveLength(5);

    // Newest first by default; joined range by date.
    const newest = await list(`q=${tag}&limit=1`);
    expect(newest.items[0].id).toBe(made[4]);
    const joinedDay = newest.items[0].date_joined.slice(0, 10);
    const sameDay = await list(`q=${tag}&joined_from=${joinedDay}&joined_to=${joinedDay}`);
    expect(sameDay.items.map((u: { id: number }) => u.id)).toContain(made[4]);
    expect((await list(`q=${tag}&joined_from=${newest.items[0].date_joined}`)).items.map((u: { id: number }) => u.id)).toEqual([made[4]]);
    // A cursor from one sort is refused by another.
    const byName = await list(`q=${tag}&sort=username&limit=1`);
    const wrong = await api(staff, 'GET', `/v1/admin/users?q=${tag}&sort=email&cursor=${byName.next_cursor}`);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors.cursor).toBeDefined();
  });

  it('deactivation ends sessions, refresh tokens and API tokens at once; activation lets the user back in', async () => {
    const victim = await person(app, 'user');
    const second = (await login(victim.username)).json();
    const key = (await api(victim, 'POST', '/v1/me/api-tokens', { name: 'ci', current_password: password })).json().key;
    expect((await app.request({ method: 'GET', url: '/v1/me', apiKey: key })).statusCode).toBe(200);

    const res = await api(staff, 'POST', `/v1/admin/users/${victim.id}/deactivate`);
    expect(res.statusCode).toBe(200);
    expect(res.json().is_active).toBe(false);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: victim.token })).statusCode).toBe(401);
    expect((await app.request({ method: 'GET', url: '/v1/me', apiKey: key })).statusCode).toBe(401);
    expect((await app.request({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: second.refresh_token } })).statusCode).toBe(401);
    expect((await login(victim.username)).json().code).toBe('account_inactive');
    expect(await listSessions(app.core, victim.id)).toEqual([]);

    const back = await api(staff, 'POST', `/v1/admin/users/${victim.id}/activate`);
    expect(back.json()).toMatchObject({ is_active: true, approved: true });
    expect((await login(victim.username)).statusCode).toBe(200);
    const kinds = (await auditKinds(victim.id)).filter((e) => e.kind.startsWith('admin.'));
    expect(kinds.map((e) => [e.kind, e.actor_id])).toEqual([['admin.user_deactivated', staff.id], ['admin.user_activated', staff.id]]);
    const mail = await app.core.db.selectFrom('outbox').select('kind').where('to_addr', '=', victim.email).execute();
    expect(mail.map((m) => m.kind)).toContain('account_activated');
  });

  it('PATCH is_active=false is the same deactivation', async () => {
    const victim = await person(app, 'user');
    const res = await api(staff, 'PATCH', `/v1/admin/users/${victim.id}`, { is_active: false, first_name: 'Gone' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ is_active: false, first_name: 'Gone' });
    expect((await app.request({ method: 'GET', url: '/v1/me', token: victim.token })).statusCode).toBe(401);
    const events = await auditKinds(victim.id);
    const updated = events.find((e) => e.kind === 'admin.user_updated')!;
    expect(updated.detail.changes).toEqual({ first_name: { old: '', new: 'Gone' }, is_active: { old: true, new: false } });
    expect(events.some((e) => e.kind === 'admin.user_deactivated')).toBe(true);
  });

  it('staff manage ordinary accounts; only superusers touch staff flags and staff or superuser accounts', async () => {
    const plain = await person(app, 'user');
    const other = await person(app, 'staff');
    const refused = async (res: Awaited<ReturnType<typeof api>>) => {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().code).toBe('permission_denied');
    };
    await refused(await api(staff, 'PATCH', `/v1/admin/users/${plain.id}`, { is_staff: true, first_name: 'Sneaky' }));
    expect((await app.core.users.get(plain.id))!.first_name).toBe('');
    await refused(await api(staff, 'POST', `/v1/admin/users/${su.id}/deactivate`));
    await refused(await api(staff, 'PUT', `/v1/admin/users/${su.id}/password`, { password: 'takeover phrase 1234' }));
    await refused(await api(staff, 'DELETE', `/v1/admin/users/${other.id}`));
    await refused(await api(staff, 'POST', `/v1/admin/users/${staff.id}/deactivate`));
    await refused(await api(staff, 'POST', '/v1/admin/users', { username: 'wannabe', password, is_superuser: true }));
    expect((await api(su, 'GET', '/v1/admin/users?q=wannabe')).json().total).toBe(0);
    // Staff may edit their own profile.
    expect((await api(staff, 'PATCH', `/v1/admin/users/${staff.id}`, { last_name: 'Self' })).statusCode).toBe(200);

    const promoted = await api(su, 'PATCH', `/v1/admin/users/${plain.id}`, { is_staff: true });
    expect(promoted.json().is_staff).toBe(true);
    expect((await api(plain, 'GET', '/v1/admin/users')).statusCode).toBe(200);
    await refused(await api(su, 'PATCH', `/v1/admin/users/${su.id}`, { is_superuser: false }));
    await refused(await api(su, 'DELETE', `/v1/admin/users/${su.id}`));
    const demoted = await api(su, 'PATCH', `/v1/admin/users/${plain.id}`, { is_staff: false });
    expect(demoted.json().is_staff).toBe(false);
    expect((await api(plain, 'GET', '/v1/admin/users')).statusCode).toBe(403);
  });

  it('creates users with registration rules, approved, audited with the actor', async () => {
    const weak = await api(staff, 'POST', '/v1/admin/users', { username: 'newbie', password: '123' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors.password.length).toBeGreaterThan(0);
    const taken = await api(staff, 'POST', '/v1/admin/users', { username: staff.username.toUpperCase(), password });
    expect(taken.json().errors.username).toEqual(['A user with that username already exists.']);
    const made = await api(staff, 'POST', '/v1/admin/users', { username: `made_${backend}`, email: `Made_${backend}@Example.com`, password, first_name: 'Made', email_verified: true });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ username: `made_${backend}`, email: `Made_${backend}@example.com`, approved: true, is_active: true, is_staff: false, email_verified: true });
    expect(JSON.stringify(made.json())).not.toMatch(/argon2|password_hash/);
    expect((await login(`made_${backend}`)).statusCode).toBe(200);
    const created = (await auditKinds(made.json().id)).find((e) => e.kind === 'admin.user_created')!;
    expect(created.actor_id).toBe(staff.id);
    const su2 = await api(su, 'POST', '/v1/admin/users', { username: `boss_${backend}`, password, is_superuser: true });
    expect(su2.json()).toMatchObject({ is_superuser: true, is_staff: true });
  });

  it('updates fields: unique names, a new address is unverified, the audit keeps old → new', async () => {
    const u = await person(app, 'user');
    await api(staff, 'POST', `/v1/admin/users/${u.id}/verify-email`);
    const clash = await api(staff, 'PATCH', `/v1/admin/users/${u.id}`, { email: staff.email.toUpperCase() });
    expect(clash.json().errors.email).toEqual(['user with this email already exists.']);
    const res = await api(staff, 'PATCH', `/v1/admin/users/${u.id}`, { email: `fresh_${u.id}@example.com`, bio: 'Hi ✓' });
    expect(res.json()).toMatchObject({ email: `fresh_${u.id}@example.com`, email_verified: false, bio: 'Hi ✓' });
    const change = (await auditKinds(u.id)).filter((e) => e.kind === 'admin.user_updated').pop()!;
    expect(change.detail.changes.email).toEqual({ old: u.email, new: `fresh_${u.id}@example.com` });
    expect(change.detail.changes.email_verified).toEqual({ old: true, new: false });
    const same = await api(staff, 'PATCH', `/v1/admin/users/${u.id}`, { bio: 'Hi ✓' });
    expect(same.statusCode).toBe(200);
    expect((await auditKinds(u.id)).filter((e) => e.kind === 'admin.user_updated')).toHaveLength(1);
  });

  it('sets a password (policy applies, sessions end), sends a reset mail, clears a lock', async () => {
    const u = await person(app, 'user');
    const weak = await api(staff, 'PUT', `/v1/admin/users/${u.id}/password`, { password: u.username });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors.password).toBeDefined();
    expect((await api(staff, 'PUT', `/v1/admin/users/${u.id}/password`, { password: 'brand new phrase 9931' })).statusCode).toBe(204);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: u.token })).statusCode).toBe(401);
    expect((await login(u.username, 'brand new phrase 9931')).statusCode).toBe(200);
    expect((await auditKinds(u.id)).some((e) => e.kind === 'admin.password_set' && e.actor_id === staff.id)).toBe(true);

    expect((await api(staff, 'POST', `/v1/admin/users/${u.id}/password-reset`)).statusCode).toBe(202);
    const mail = await app.core.db.selectFrom('outbox').select('kind').where('to_addr', '=', u.email).execute();
    expect(mail.map((m) => m.kind)).toContain('password_reset');

    // The lock holds back clients the account has not logged in from (its owner's known address is not locked out).
    const elsewhere = '198.51.100.77';
    const threshold = app.core.settings.get('lockout_threshold');
    for (let i = 0; i < threshold; i++) await login(u.username, 'wrong password entirely', elsewhere);
    expect((await login(u.username, 'brand new phrase 9931', elsewhere)).json().code).toBe('invalid_credentials');
    const listed = (await api(staff, 'GET', `/v1/admin/users?locked=true&q=${u.username}`)).json();
    expect(listed.items[0]).toMatchObject({ id: u.id, failed_logins: threshold });
    expect(listed.items[0].locked_until).not.toBeNull();
    const unlocked = await api(staff, 'POST', `/v1/admin/users/${u.id}/unlock`);
    expect(unlocked.json()).toMatchObject({ failed_logins: 0, locked_until: null });
    expect((await login(u.username, 'brand new phrase 9931', elsewhere)).statusCode).toBe(200);
    expect((await auditKinds(u.id)).some((e) => e.kind === 'admin.lock_cleared')).toBe(true);
  });

  it("lists and ends a user's sessions one by one or all together", async () => {
    const u = await person(app, 'user');
    const other = (await login(u.username)).json();
    const sessions = (await api(staff, 'GET', `/v1/admin/users/${u.id}/sessions`)).json();
    // Registration, the helper's login, and this one.
    expect(sessions).toHaveLength(3);
    const sid = decodeJwt(u.token).sid as string;
    expect(sessions.map((s: { id: string }) => s.id)).toContain(sid);
    expect((await api(staff, 'DELETE', `/v1/admin/users/${u.id}/sessions/${sid}`)).statusCode).toBe(204);
    expect((await api(staff, 'DELETE', `/v1/admin/users/${u.id}/sessions/${sid}`)).statusCode).toBe(404);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: u.token })).statusCode).toBe(401);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: other.access_token })).statusCode).toBe(200);
    expect((await api(staff, 'DELETE', `/v1/admin/users/${u.id}/sessions`)).json()).toEqual({ sessions_revoked: 2 });
    expect((await app.request({ method: 'GET', url: '/v1/me', token: other.access_token })).statusCode).toBe(401);
    expect((await login(u.username)).statusCode).toBe(200);
  });

  it('deletes a user: tokens die, the audit trail stays', async () => {
    const u = await person(app, 'user');
    expect((await api(staff, 'DELETE', `/v1/admin/users/${u.id}`)).statusCode).toBe(204);
    expect((await api(staff, 'GET', `/v1/admin/users/${u.id}`)).statusCode).toBe(404);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: u.token })).statusCode).toBe(401);
    const deleted = (await auditKinds(u.id)).find((e) => e.kind === 'admin.user_deleted')!;
    expect(deleted.detail).toMatchObject({ username: u.username, email: u.email });
    expect((await api(staff, 'DELETE', `/v1/admin/users/${u.id}`)).statusCode).toBe(404);
  });

  it('bulk actions report each account on its own', async () => {
    const a = await person(app, 'user');
    const b = await person(app, 'user');
    const res = await api(staff, 'POST', '/v1/admin/users/bulk', { action: 'deactivate', ids: [a.id, b.id, su.id, staff.id, 999999] });
    const byId = Object.fromEntries(res.json().results.map((r: { id: number; ok: boolean; code?: string }) => [r.id, r.code ?? 'ok']));
    expect(byId).toEqual({ [a.id]: 'ok', [b.id]: 'ok', [su.id]: 'permission_denied', [staff.id]: 'permission_denied', 999999: 'not_found' });
    expect((await app.core.users.get(a.id))!.is_active).toBe(false);
    const back = await api(staff, 'POST', '/v1/admin/users/bulk', { action: 'activate', ids: [a.id, b.id] });
    expect(back.json().results.every((r: { ok: boolean }) => r.ok)).toBe(true);
  });
});
