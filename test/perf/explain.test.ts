import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type BackendName } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { explainable, postgresPlanProblems, recordQueries, sqlitePlanProblems, type CapturedQuery, type PlanProblem } from '../support/query-capture.js';
import { consoleLogin, password, person } from '../admin/support.js';
import { codeAndToken, lastMail } from '../recovery/support.js';
import { compatApp } from '../compat/support.js';
import { serviceKey } from '../revocation-feed/support.js';
import { feedHubs } from '../../src/http/native/revocation-routes.js';
import { feedStart } from '../../src/core/revocation-feed.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { WebhookWorker } from '../../src/jobs/webhook-worker.js';
import { Receiver } from '../webhooks/receiver.js';
import { driveOidc, seedOidcHistory } from '../oidc/explain-paths.js';

/**
 * Every statement a request sends is index-backed whatever the planner knows: each distinct
 * statement the request paths below send is EXPLAINed on a database with no statistics and on
 * one whose statistics were gathered over skewed history, and a scan (or a sort) of a table
 * that grows with use fails the test (issue 11, "planner-proof queries").
 */

/** Statements allowed to scan, each with why. Remove an entry when its reason is gone. */
const allowed: { match: RegExp; reason: string }[] = [
  { match: /\(username \|\| ' ' \|\| email \|\| ' ' \|\| first_name \|\| ' ' \|\| last_name\) ilike /, reason: 'admin user search `q` on PostgreSQL: the pg_trgm GIN index serves it (this passes with sequential scans off), but on a few thousand users PostgreSQL rightly reads the table instead; at 1M users it uses the index (bench/search.ts prints the plans)' },
  { match: /^select "id", "username", .* from "users" where .*user_search match .* order by "(date_joined|id)" \+ \S+ (asc|desc), "id" (asc|desc) limit \S+$/, reason: 'bounded: a search matching at most 10,000 users (the total, counted first up to that cap) reads them through the search index and sorts them; a broader one walks the sort index in order (core/admin/users-query.ts)' },
  { match: /^select count\(\*\) as "n" from \(select 1 as "one" from .* limit \S+\) as "matches"$/, reason: 'bounded: a count reads at most the 10,001 rows of its subquery (store/bounded-count.ts countUpTo); the subquery is captured and checked as its own statement' },
  { match: /^select 1 as "one" from "users" where 1 = 1 limit \S+$/, reason: 'bounded: the user list\'s total with no filter reads the first 10,001 rows and stops' },
  { match: /^select 1 as "one" from "sessions" where "revoked_at" is null and "expires_at" > \S+ and "last_used_at" > \S+ limit \S+$/, reason: 'bounded: the overview\'s live sessions, counted up to 10,001; PostgreSQL reads the table rather than the (revoked_at, expires_at) index only when it expects most rows live (the cleanup job deletes expired and revoked ones)' },
  { match: /^select "id", "token_hash" from "api_tokens" where "user_id" = \S+ and "name" = \S+ order by coalesce\(last_used_at, created_at\)/, reason: 'bounded: each login prunes an account\'s login keys of one name to the keep limit with this very query (store/login-keys-repo.ts)' },
  { match: /from "webhook_endpoints"(?! where "id")/, reason: 'bounded: at most 50 webhook endpoints (core/webhooks/endpoints.ts); the fan-out of an event and the list read that small table whole' },
  { match: /^select (at|date_joined) \/ 86400000 as "day", count\(\*\)/, reason: 'bounded by the overview\'s days window (at most 90 days, an index range), not by history' },
];

const newPassword = 'another sturdy phrase 77';

/** One request, asserting its status so a path that silently fails does not pass by sending nothing. */
async function call(app: TestApp, status: number, opts: Parameters<TestApp['request']>[0]) {
  const res = await app.request(opts);
  if (res.statusCode !== status) throw new Error(`${opts.method} ${opts.url}: expected ${status}, got ${res.statusCode} ${res.body.slice(0, 300)}`);
  return res;
}

/** Drives every native and admin request path once (twice where a second call takes another branch), recording what each sends. */
async function driveNative(app: TestApp, out: CapturedQuery[]): Promise<void> {
  const rec = async (path: string, work: () => Promise<unknown>) => out.push(...(await recordQueries(app, path, work)));
  const su = await person(app, 'superuser');
  const tag = `ex${process.pid}`;
  let user: { access_token: string; refresh_token: string; user: { id: number; email: string; username: string } } | undefined;
  await rec('register', async () => {
    user = await app.signUp({ username: `${tag}_a`, email: `${tag}_a@example.com`, password });
  });
  const me = user!;
  let deviceToken = '';
  let access = me.access_token;
  let refresh = me.refresh_token;
  await rec('login', async () => {
    const res = await call(app, 200, { method: 'POST', url: '/v1/auth/login', payload: { login: me.user.username, password } });
    deviceToken = res.json().device_token;
    access = res.json().access_token;
    refresh = res.json().refresh_token;
  });
  await rec('login from a known device', () => call(app, 200, { method: 'POST', url: '/v1/auth/login', payload: { login: me.user.email, password, device_token: deviceToken }, remoteAddress: '10.1.2.3' }));
  await rec('login, wrong password', () => call(app, 401, { method: 'POST', url: '/v1/auth/login', payload: { login: me.user.username, password: 'wrong password 1' } }));
  await rec('login, unknown account', () => call(app, 401, { method: 'POST', url: '/v1/auth/login', payload: { login: `${tag}_nobody`, password } }));
  await rec('refresh', async () => {
    const res = await call(app, 200, { method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: refresh } });
    access = res.json().access_token;
    refresh = res.json().refresh_token;
  });
  await rec('refresh, rotated token reused', async () => {
    const first = (await call(app, 200, { method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: me.refresh_token } })).json().refresh_token;
    await call(app, 200, { method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: first } });
    app.clock.advance(120);
    await call(app, 401, { method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: first } });
  });
  await rec('GET /v1/me', () => call(app, 200, { method: 'GET', url: '/v1/me', token: access }));
  await rec('PATCH /v1/me', () => call(app, 200, { method: 'PATCH', url: '/v1/me', token: access, payload: { first_name: 'Ada' } }));
  await rec('GET /v1/me/dashboard', () => app.request({ method: 'GET', url: '/v1/me/dashboard', token: access }));
  await rec('sessions', async () => {
    const list = await call(app, 200, { method: 'GET', url: '/v1/me/sessions', token: access });
    const other = (list.json().items ?? list.json()).find((s: { current?: boolean }) => !s.current);
    if (other) {
      await call(app, 200, { method: 'GET', url: `/v1/me/sessions/${other.id}`, token: access });
      await call(app, 204, { method: 'DELETE', url: `/v1/me/sessions/${other.id}`, token: access });
    }
  });
  await rec('API tokens', async () => {
    const created = await call(app, 201, { method: 'POST', url: '/v1/me/api-tokens', token: access, payload: { name: 'ci', current_password: password } });
    const key = created.json().key;
    await call(app, 200, { method: 'GET', url: '/v1/me', apiKey: key });
    await call(app, 200, { method: 'GET', url: '/v1/me/api-tokens', token: access });
    await call(app, 204, { method: 'DELETE', url: `/v1/me/api-tokens/${created.json().id}`, token: access });
    await call(app, 401, { method: 'GET', url: '/v1/me', apiKey: key });
  });
  await rec('passkeys', async () => {
    const authenticator = new SoftAuthenticator(app.config.publicUrl);
    const options = (await call(app, 200, { method: 'POST', url: '/v1/me/passkeys/options', token: access, payload: { current_password: password } })).json();
    const id = (await call(app, 201, { method: 'POST', url: '/v1/me/passkeys', token: access, payload: { response: authenticator.create(options).response, name: 'key' } })).json().id;
    await call(app, 200, { method: 'GET', url: '/v1/me/passkeys', token: access });
    await call(app, 200, { method: 'PATCH', url: `/v1/me/passkeys/${id}`, token: access, payload: { name: 'renamed' } });
    const signIn = (await call(app, 200, { method: 'POST', url: '/v1/auth/passkey/options' })).json();
    const fresh = (await call(app, 200, { method: 'POST', url: '/v1/auth/passkey', payload: { response: authenticator.get(signIn) } })).json().access_token;
    await call(app, 401, { method: 'POST', url: '/v1/auth/passkey', payload: { response: authenticator.get(signIn) } });
    // Removing a factor is a step-up: the passkey sign-in just made is the fresh second factor (its session's row is read by id).
    await call(app, 204, { method: 'DELETE', url: `/v1/me/passkeys/${id}`, token: fresh, payload: { current_password: password } });
  });
  await rec('email verification', async () => {
    await call(app, 202, { method: 'POST', url: '/v1/auth/verify-email/resend', payload: { email: me.user.email } });
    await call(app, 202, { method: 'POST', url: '/v1/auth/verify-email/resend', payload: { email: `${tag}_nobody@example.com` } });
  });
  const verification = await lastMail(app, me.user.email, 'email_verification');
  await rec('email verification', () => call(app, 200, { method: 'POST', url: '/v1/auth/verify-email', payload: { token: verification.token } }));
  let requestId = '';
  await rec('forgot password', async () => {
    requestId = (await call(app, 202, { method: 'POST', url: '/v1/auth/password/forgot', payload: { email: me.user.email } })).json().request_id;
    await call(app, 202, { method: 'POST', url: '/v1/auth/password/forgot', payload: { email: `${tag}_nobody@example.com` } });
  });
  const reset = await lastMail(app, me.user.email, 'password_reset');
  await rec('reset password', async () => {
    await call(app, 400, { method: 'POST', url: '/v1/auth/password/verify', payload: { request_id: requestId, otp: reset.code === '000000' ? '111111' : '000000' } });
    const grant = (await call(app, 200, { method: 'POST', url: '/v1/auth/password/verify', payload: { request_id: requestId, otp: reset.code } })).json().grant;
    await call(app, 204, { method: 'POST', url: '/v1/auth/password/reset', payload: { grant, new_password: newPassword } });
  });
  await rec('forgot password, link', async () => {
    await call(app, 202, { method: 'POST', url: '/v1/auth/password/forgot', payload: { email: me.user.email } });
  });
  const link = codeAndToken((await lastMail(app, me.user.email, 'password_reset')).row.text_body);
  await rec('reset password, link', () => call(app, 204, { method: 'POST', url: '/v1/auth/password/reset', payload: { reset_token: link.token, new_password: password } }));
  await rec('logout', async () => {
    const a = (await call(app, 200, { method: 'POST', url: '/v1/auth/login', payload: { login: me.user.username, password } })).json().access_token;
    await call(app, 204, { method: 'POST', url: '/v1/auth/logout', token: a });
    const b = (await call(app, 200, { method: 'POST', url: '/v1/auth/login', payload: { login: me.user.username, password } })).json().access_token;
    await call(app, 200, { method: 'POST', url: '/v1/auth/logout-all', token: b });
  });
  await rec('admin', async () => {
    const api = (url: string) => call(app, 200, { method: 'GET', url, token: su.token });
    for (const sort of ['date_joined', 'last_login', 'username', 'email', 'id']) {
      for (const order of ['asc', 'desc']) {
        const page = (await api(`/v1/admin/users?sort=${sort}&order=${order}&limit=2`)).json();
        if (page.next_cursor) await api(`/v1/admin/users?sort=${sort}&order=${order}&limit=2&cursor=${encodeURIComponent(page.next_cursor)}`);
      }
    }
    await api(`/v1/admin/users?q=${tag}`);
    await api('/v1/admin/users?verified=true&active=true');
    await api(`/v1/admin/users/${me.user.id}`);
    await api(`/v1/admin/users/${me.user.id}/sessions`);
    const audit = (await api('/v1/admin/audit?limit=2')).json();
    if (audit.next_cursor) await api(`/v1/admin/audit?limit=2&cursor=${encodeURIComponent(audit.next_cursor)}`);
    await api(`/v1/admin/audit?user_id=${me.user.id}&limit=2`);
    await api('/v1/admin/audit?kind=login.&limit=2');
    const mail = (await api('/v1/admin/mail?limit=2')).json();
    if (mail.next_cursor) await api(`/v1/admin/mail?limit=2&cursor=${encodeURIComponent(mail.next_cursor)}`);
    await api('/v1/admin/mail?status=pending&limit=2');
    await api('/v1/admin/settings');
    await api('/v1/admin/overview');
  });
  await rec('password change', async () => {
    const t = (await call(app, 200, { method: 'POST', url: '/v1/auth/login', payload: { login: me.user.username, password } })).json().access_token;
    await call(app, 204, { method: 'PUT', url: '/v1/me/password', token: t, payload: { old_password: password, new_password: newPassword } });
  });
  await rec('admin user actions', async () => {
    const other = (await app.signUp({ password })).user;
    const admin = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => call(app, method === 'DELETE' ? 204 : 200, { method, url, token: su.token, payload });
    for (const action of ['deactivate', 'activate', 'verify-email', 'unlock']) await admin('POST', `/v1/admin/users/${other.id}/${action}`);
    await admin('PATCH', `/v1/admin/users/${other.id}`, { first_name: 'Grace' });
    await admin('DELETE', `/v1/admin/users/${other.id}`);
  });
  await rec('account deletion', async () => {
    const gone = await app.signUp({ password });
    await call(app, 204, { method: 'DELETE', url: '/v1/me', token: gone.access_token, payload: { password } });
  });
  await rec('console', async () => {
    const { cookie } = await consoleLogin(app, su.username);
    await call(app, 200, { method: 'GET', url: '/admin/users', headers: { cookie } });
    await call(app, 200, { method: 'GET', url: '/admin/mail', headers: { cookie } });
    await call(app, 200, { method: 'GET', url: '/admin/mail?status=pending', headers: { cookie } });
  });
  await rec('webhooks admin API and fan-out', async () => {
    const api = (method: 'GET' | 'POST' | 'PATCH', url: string, status: number, payload?: unknown) => call(app, status, { method, url, token: su.token, payload });
    const id = (await api('POST', '/v1/admin/webhooks', 201, { url: 'https://hooks.example.com/h', events: ['user.updated', 'user.created'] })).json().endpoint.id as string;
    await api('GET', '/v1/admin/webhooks', 200);
    await api('GET', `/v1/admin/webhooks/${id}`, 200);
    await api('PATCH', `/v1/admin/webhooks/${id}`, 200, { description: 'explain' });
    await api('POST', `/v1/admin/webhooks/${id}/rotate-secret`, 200);
    await app.signUp({ password });
    await api('GET', `/v1/admin/webhooks/${id}/deliveries`, 200);
    await api('GET', '/v1/admin/webhook-deliveries?status=failed', 200);
    await api('GET', `/v1/admin/webhook-deliveries?status=pending&before=1000`, 200);
  });
  {
    const receiver = await new Receiver().start();
    receiver.respond = (_r, n) => (n === 0 ? 500 : 204);
    await app.store.db.updateTable('webhook_endpoints').set({ url: receiver.url }).execute();
    const worker = new WebhookWorker({ db: app.store.db, secretKey: app.core.secretKey, allowPrivate: true, clock: app.clock, backoff: { baseMs: 1, random: () => 0 } });
    await rec('webhook worker', async () => {
      await worker.drainOnce();
      app.clock.advance(5);
      await worker.drainOnce();
    });
    await worker.stop();
    await receiver.close();
    if (receiver.received.length < 2) throw new Error('the webhook worker delivered nothing');
  }
  await rec('multi-factor requirement and admin factors', async () => {
    // The grace is read at each login: a day for the first (which starts it), none for the second.
    await app.core.settings.update({ mfa_required_everyone: true, mfa_enrolment_grace: 86400 }, null);
    const u = (await app.signUp({ password })).user;
    await call(app, 200, { method: 'POST', url: '/v1/auth/login', payload: { login: u.username, password } });
    await app.core.settings.update({ mfa_enrolment_grace: 0 }, null);
    const enrolment = (await call(app, 403, { method: 'POST', url: '/v1/auth/login', payload: { login: u.username, password } })).json().enrolment_token;
    await call(app, 200, { method: 'GET', url: '/v1/me/passkeys', token: enrolment });
    await app.core.settings.update({ mfa_required_everyone: false, mfa_enrolment_grace: 7 * 86400 }, null);
    await call(app, 200, { method: 'GET', url: `/v1/admin/users/${u.id}/mfa`, token: su.token });
    await call(app, 200, { method: 'POST', url: `/v1/admin/users/${u.id}/mfa/reset`, token: su.token });
  });
  await rec('metrics scrape', () => call(app, 200, { method: 'GET', url: '/metrics' }));
  // Made outside the recording: creating a key is an admin action, not the feed's request path.
  const feed = await serviceKey(app, 'explain');
  await rec('revocation feed', async () => {
    const first = (await call(app, 200, { method: 'GET', url: '/v1/revocations?limit=1', token: feed.key })).json();
    await call(app, 200, { method: 'GET', url: `/v1/revocations?limit=1&after=${first.cursor}`, token: feed.key });
    await call(app, 401, { method: 'GET', url: '/v1/revocations', token: 'gsk_not-a-key' });
    // The stream's catch-up reads pages as above; a live revocation is read by id for the streams.
    const pushed: unknown[] = [];
    const unsubscribe = await feedHubs.get(app.core)!.subscribe({ keyId: feed.id, send: (e) => pushed.push(...e), heartbeat: () => undefined, end: () => undefined }, feedStart, () => true);
    const before = pushed.length;
    const t = (await app.signUp({ password })).access_token;
    await call(app, 204, { method: 'POST', url: '/v1/auth/logout', token: t });
    for (let i = 0; i < 200 && pushed.length === before; i++) await new Promise((r) => setTimeout(r, 10));
    unsubscribe();
    if (pushed.length === before) throw new Error('the logout never reached the feed hub');
  });
}

/** Each compatibility profile's login and "me" route: a token (JWT or key) from the login answer, then the profile's user view. */
const compatPaths: { profile: string; login: [string, (u: { username: string; email: string }) => object]; me: [method: 'GET' | 'POST', url: string] }[] = [
  { profile: 'drf-token', login: ['/login/', (u) => ({ username: u.username, password })], me: ['POST', '/view_profile/'] },
  { profile: 'simplejwt', login: ['/api/token/', (u) => ({ email: u.email, password })], me: ['GET', '/api/dashboard/'] },
  { profile: 'jwt-otp', login: ['/api/login/', (u) => ({ email: u.email, password })], me: ['GET', '/api/user/'] },
  { profile: 'drf-authtoken', login: ['/api/token/', (u) => ({ username: u.username, password })], me: ['GET', '/api/me/'] },
  { profile: 'jwt-uuid-refresh', login: ['/api/login/', (u) => ({ email: u.email, password })], me: ['GET', '/api/me/'] },
];

function tokenIn(body: any): string {
  const t = body.access_token ?? body.access ?? body.token?.access ?? body.token ?? body.key;
  if (typeof t !== 'string') throw new Error(`no token in ${JSON.stringify(body)}`);
  return t;
}

async function driveCompat(backend: BackendName, out: CapturedQuery[]): Promise<void> {
  for (const { profile, login, me } of compatPaths) {
    const app = await compatApp(backend, profile);
    try {
      const u = (await app.signUp({ password })).user;
      // Some profiles activate by email (jwt-otp): an activated account, as that profile's login expects.
      await app.core.db.updateTable('users').set({ email_verified: 1, approved: 1 }).where('id', '=', u.id).execute();
      await app.core.users.invalidate(u.id);
      out.push(...(await recordQueries(app, `${profile} login and me`, async () => {
        const token = tokenIn((await call(app, 200, { method: 'POST', url: login[0], payload: login[1](u) })).json());
        await call(app, 200, { method: me[0], url: me[1], ...(token.split('.').length === 3 ? { token } : { apiKey: token }) });
      })));
    } finally {
      await app.close();
    }
  }
}

/** History that misleads a planner left to its statistics: one account with most of the audit log, sessions and codes. */
async function seedSkewedHistory(app: TestApp): Promise<void> {
  const db = app.store.db;
  const now = app.clock.now();
  const batch = async (rows: number, make: (i: number) => Record<string, unknown>, insert: (values: any[]) => Promise<unknown>) => {
    for (let i = 0; i < rows; i += 250) await insert(Array.from({ length: Math.min(250, rows - i) }, (_, k) => make(i + k)));
  };
  const base = { password_hash: 'x', date_joined: now, password_changed_at: now, updated_at: now };
  await batch(3000, (i) => ({ ...base, username: `seed${i}`, username_key: `seed${i}`, email: `seed${i}@example.com`, email_key: `seed${i}@example.com`, last_login: i % 3 ? now - i : null }), (v) => db.insertInto('users').values(v).execute());
  const heavy = Number((await db.selectFrom('users').select('id').where('username_key', '=', 'seed0').executeTakeFirstOrThrow()).id);
  // Nearly every event is one account's successful login from one address: kind, user and ip all look unselective.
  await batch(6000, (i) => ({ at: now - i, kind: i % 10 ? 'login.succeeded' : 'login.failed', user_id: i % 20 ? heavy : heavy + (i % 50), ip: i % 7 ? '10.0.0.1' : `10.0.${i % 200}.2`, detail: '{}' }), (v) => db.insertInto('audit_events').values(v).execute());
  await batch(3000, (i) => ({ id: `seed-s${i}`, user_id: heavy, created_at: now - i, last_used_at: now - i, expires_at: now + 86_400_000, revoked_at: i % 2 ? now - i : null }), (v) => db.insertInto('sessions').values(v).execute());
  await batch(3000, (i) => ({ token_hash: `seed-r${i}`, session_id: `seed-s${i}`, created_at: now - i, expires_at: now + 86_400_000, rotated_at: i % 2 ? now : null }), (v) => db.insertInto('refresh_tokens').values(v).execute());
  await batch(2000, (i) => ({ id: `seed-c${i}`, purpose: 'password_reset', user_id: heavy, email: 'seed0@example.com', email_key: 'seed0@example.com', code_hash: 'x', token_hash: `seed-t${i}`, created_at: now - i, expires_at: now + 600_000 }), (v) => db.insertInto('one_time_codes').values(v).execute());
  await batch(3000, (i) => ({ kind: 'password_reset', to_addr: 'seed0@example.com', subject: 's', text_body: 't', html_body: 'h', status: 'sent', next_attempt_at: now - i, created_at: now - i, sent_at: now - i }), (v) => db.insertInto('outbox').values(v).execute());
  await batch(2000, (i) => ({ id: `seed-a${i}`, user_id: heavy, name: 'k', prefix: 'p', token_hash: `seed-k${i}`, created_at: now - i }), (v) => db.insertInto('api_tokens').values(v).execute());
  await batch(1000, (i) => ({ id: `seed-d${i}`, token_hash: `seed-dt${i}`, user_id: heavy, created_at: now - i, last_used_at: now - i, expires_at: now + 86_400_000 }), (v) => db.insertInto('device_tokens').values(v).execute());
  await batch(1000, (i) => ({ id: `seed-rd${i}`, email_key: 'seed1@example.com', created_at: now - i, expires_at: now + 600_000 }), (v) => db.insertInto('reset_decoys').values(v).execute());
  await batch(1000, (i) => ({ id_hash: `seed-cs${i}`, user_id: heavy, csrf_token: 'x', created_at: now - i, last_used_at: now - i, expires_at: now + 86_400_000 }), (v) => db.insertInto('console_sessions').values(v).execute());
  await batch(1000, (i) => ({ id: `seed-pk${i}`, user_id: heavy, credential_id: `seed-cred${i}`, public_key: 'x', aaguid: '0', device_type: 'singleDevice', name: 'k', created_at: now - i }), (v) => db.insertInto('passkeys').values(v).execute());
  await batch(1000, (i) => ({ challenge: `seed-ch${i}`, purpose: 'login', created_at: now - i, expires_at: now + 300_000 }), (v) => db.insertInto('webauthn_challenges').values(v).execute());
  await batch(1000, (i) => ({ token_hash: `seed-et${i}`, user_id: heavy, session_id: `seed-s${i}`, created_at: now - i, expires_at: now + 900_000 }), (v) => db.insertInto('mfa_enrolment_tokens').values(v).execute());
  await batch(1000, (i) => ({ user_id: heavy + 1 + i, started_at: now - i }), (v) => db.insertInto('mfa_enrolment_grace').values(v).execute());
  await seedOidcHistory(app);
  // PostgreSQL: only this schema's tables (a bare ANALYZE would visit every schema on the server).
  if (app.backend === 'sqlite') await sql`analyze`.execute(db);
  else await sql`analyze users, audit_events, sessions, refresh_tokens, one_time_codes, outbox, api_tokens, device_tokens, reset_decoys, console_sessions, passkeys, webauthn_challenges, mfa_enrolment_tokens, mfa_enrolment_grace, oidc_models, oidc_clients`.execute(db);
}

/** SQLite keeps no statistics until something analyses; clear any an open-time `PRAGMA optimize` gathered. */
async function dropSqliteStatistics(app: TestApp): Promise<void> {
  const has = await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'sqlite_stat1'`.execute(app.store.db);
  if (Number(has.rows[0]!.n) === 0) return;
  await sql`delete from sqlite_stat1`.execute(app.store.db);
  await sql`analyze sqlite_schema`.execute(app.store.db);
}

describe.each(backends)('EXPLAIN of every request-path query on %s', (backend) => {
  let app: TestApp;
  const queries = new Map<string, CapturedQuery>();

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    await app.core.settings.update({ rate_reset_ip: 100000, rate_reset_account: 100000 }, null);
    const out: CapturedQuery[] = [];
    await driveNative(app, out);
    await driveCompat(backend, out);
    await driveOidc(app, out);
    for (const q of out) if (explainable(q) && !queries.has(q.sql)) queries.set(q.sql, q);
  }, 120_000);
  afterAll(() => app?.close());

  const check = async (explain: (q: CapturedQuery) => Promise<{ plan: string[]; problems: PlanProblem[] }>) => {
    const failures: string[] = [];
    for (const q of queries.values()) {
      const { plan, problems } = await explain(q);
      if (problems.length === 0 || allowed.some((a) => a.match.test(q.sql))) continue;
      failures.push(`[${q.path}] ${q.sql}\n    ${problems.map((p) => `${p.table}: ${p.what}`).join('; ')}\n    plan: ${plan.join(' | ')}`);
    }
    expect(failures, failures.join('\n\n')).toEqual([]);
  };
  const explain = (seqscanOff: boolean) => (q: CapturedQuery) =>
    backend === 'sqlite' ? sqlitePlanProblems(app.store.db, q) : postgresPlanProblems(app.store.db, q, seqscanOff);

  it('drove the request paths (the capture saw them)', () => {
    expect(queries.size).toBeGreaterThan(40);
  });

  it('uses an index for every statement on a database without statistics', async () => {
    if (backend === 'sqlite') await dropSqliteStatistics(app);
    await check(explain(true));
  });

  it('uses an index for every statement after ANALYZE of skewed history', async () => {
    await seedSkewedHistory(app);
    await check(explain(false));
  }, 60_000);
});
