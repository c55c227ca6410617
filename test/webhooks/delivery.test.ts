import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { person, type Person } from '../admin/support.js';
import { WebhookWorker } from '../../src/jobs/webhook-worker.js';
import { inTransaction } from '../../src/core/transaction.js';
import { recordAudit } from '../../src/core/audit.js';
import { enqueueWebhookEvent } from '../../src/core/webhooks/events.js';
import { Receiver } from './receiver.js';
import { testPassword } from '../support/passwords.js';
import { codeAt } from '../mfa/totp-support.js';

describe.each(backends)('webhook delivery on %s', (backend) => {
  let app: TestApp;
  let admin: Person;
  let receiver: Receiver;
  const workers: WebhookWorker[] = [];
  const worker = (options: Partial<ConstructorParameters<typeof WebhookWorker>[0]> = {}) => {
    const w = new WebhookWorker({ db: app.store.db, secretKey: app.core.secretKey, allowPrivate: true, clock: app.clock, backoff: { baseMs: 10_000, random: () => 0 }, ...options });
    workers.push(w);
    return w;
  };
  const addEndpoint = async (events: string[] = ['*']) => {
    const res = await app.request({ method: 'POST', url: '/v1/admin/webhooks', token: admin.token, payload: { url: receiver.url, events } });
    expect(res.statusCode, res.body).toBe(201);
    receiver.secrets.push(res.json().secret);
    return res.json() as { endpoint: { id: string }; secret: string };
  };
  const deliveries = () => app.store.db.selectFrom('webhook_deliveries').selectAll().orderBy('id').execute();

  beforeAll(async () => {
    app = await testApp(backend, { GATEHOUSE_WEBHOOK_ALLOW_PRIVATE: '1' });
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    // Tests move the clock by hours: a fresh administrator token each time.
    admin = await person(app, 'superuser');
    receiver = await new Receiver().start();
    receiver.nowMs = () => app.clock.now();
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    await receiver.close();
    await app.store.db.deleteFrom('webhook_endpoints').execute();
  });

  it('signs each event as Standard Webhooks does; the consumer verifies it and a tampered body fails', async () => {
    await addEndpoint();
    const { user } = await app.signUp();
    expect(await worker().drainOnce()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    const [got] = receiver.received;
    expect(got!.verified).toBe(true);
    expect(got!.payload).toMatchObject({ type: 'user.created', data: { user_id: user.id } });
    expect(got!.headers['webhook-id']).toMatch(/^evt_/);
    expect(got!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(got!.headers['content-type']).toBe('application/json');
    // The payload carries ids, not the account's personal data.
    expect(got!.body).not.toContain(user.email);
    const [row] = await deliveries();
    expect(row).toMatchObject({ status: 'delivered', attempts: 0, response_status: 204 });
    // The same bytes with one character changed do not verify.
    const { verifyStandardWebhook } = await import('./receiver.js');
    expect(verifyStandardWebhook(receiver.secrets[0]!, got!.headers, got!.body.replace('user.created', 'user.deleted'), Math.floor(app.clock.now() / 1000))).toBe(false);
    expect(verifyStandardWebhook(receiver.secrets[0]!, got!.headers, got!.body, Math.floor(app.clock.now() / 1000) + 3600)).toBe(false);
  });

  it('sends only the subscribed events, and the lifecycle events of an account', async () => {
    await addEndpoint(['password.changed', 'user.deleted', 'session.revoked']);
    const me = await app.signUp();
    const changed = await app.request({ method: 'PUT', url: '/v1/me/password', token: me.access_token, payload: { old_password: testPassword, new_password: 'another sturdy phrase 77' } });
    expect(changed.statusCode, changed.body).toBeLessThan(300);
    const w = worker();
    await w.drainOnce();
    const types = receiver.received.map((r) => r.payload.type);
    expect(types).not.toContain('user.created');
    expect(types).toEqual(['password.changed']);
    const del = await app.request({ method: 'DELETE', url: `/v1/admin/users/${me.user.id}`, token: admin.token });
    expect(del.statusCode, del.body).toBeLessThan(300);
    await w.drainOnce();
    const deleted = receiver.received.find((r) => r.payload.type === 'user.deleted');
    expect(deleted?.payload.data.user_id).toBe(me.user.id);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
  });

  it('an administrator resetting a user\'s factors sends mfa.changed, naming the actor', async () => {
    await addEndpoint(['mfa.changed', 'session.revoked']);
    const { user } = await app.signUp();
    const reset = await app.request({ method: 'POST', url: `/v1/admin/users/${user.id}/mfa/reset`, token: admin.token });
    expect(reset.statusCode, reset.body).toBe(200);
    await worker().drainOnce();
    const mfa = receiver.received.filter((r) => r.payload.type === 'mfa.changed');
    expect(mfa).toHaveLength(1);
    expect(mfa[0]!.payload.data).toMatchObject({ user_id: user.id, actor_id: admin.id });
    expect(mfa[0]!.verified).toBe(true);
  });

  it('enrolling and removing an authenticator app each send mfa.changed', async () => {
    await addEndpoint(['mfa.changed']);
    const me = await app.signUp();
    const started = await app.request({ method: 'POST', url: '/v1/me/mfa/totp', token: me.access_token, payload: { current_password: testPassword } });
    expect(started.statusCode, started.body).toBe(200);
    const { secret } = started.json<{ secret: string }>();
    const confirmed = await app.request({ method: 'POST', url: '/v1/me/mfa/totp/confirm', token: me.access_token, payload: { code: codeAt(secret, app.clock.now()) } });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    app.clock.advance(30);
    const removed = await app.request({ method: 'DELETE', url: '/v1/me/mfa/totp', token: me.access_token, payload: { current_password: testPassword, code: codeAt(secret, app.clock.now()) } });
    expect(removed.statusCode, removed.body).toBe(204);
    await worker().drainOnce();
    const mfa = receiver.received.filter((r) => r.payload.type === 'mfa.changed' && r.payload.data.user_id === me.user.id);
    // Enrolled, its recovery codes issued, removed.
    expect(mfa).toHaveLength(3);
    expect(mfa.every((r) => r.verified)).toBe(true);
  });

  it('retries a failing endpoint with exponential backoff and jitter, same webhook-id each time', async () => {
    await addEndpoint();
    receiver.respond = (_r, n) => (n < 2 ? 503 : 200);
    await app.signUp();
    const w = worker();
    expect(await w.drainOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    let [row] = await deliveries();
    // random() = 0: half the exponential delay, 10 s · 2^0 · 0.5.
    expect(row).toMatchObject({ status: 'pending', attempts: 1, response_status: 503, next_attempt_at: app.clock.now() + 5_000 });
    expect(row!.response_excerpt!.length).toBeLessThanOrEqual(256);
    expect(await w.drainOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    app.clock.advance(5_000);
    expect(await w.drainOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    [row] = await deliveries();
    expect(row!.next_attempt_at).toBe(app.clock.now() + 10_000);
    app.clock.advance(10_000);
    expect(await w.drainOnce()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(receiver.received.map((r) => r.answered)).toEqual([503, 503, 200]);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
  });

  it('dead-letters after N attempts; an administrator retries it from the dead letters and it goes out', async () => {
    await addEndpoint();
    receiver.respond = () => 500;
    await app.signUp();
    const w = worker({ maxAttempts: 3 });
    for (let i = 0; i < 3; i++) {
      await w.drainOnce();
      app.clock.advance(3_600_000);
    }
    const [row] = await deliveries();
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    expect(await w.drainOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    receiver.respond = () => 200;
    admin = await person(app, 'superuser'); // (its user.created goes out below, too)
    const dead = await app.request({ method: 'GET', url: '/v1/admin/webhook-deliveries?status=failed', token: admin.token });
    expect(dead.json().items.map((d: { id: number }) => d.id)).toEqual([row!.id]);

    const retried = await app.request({ method: 'POST', url: `/v1/admin/webhook-deliveries/${row!.id}/retry`, token: admin.token });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'pending', attempts: 0 });
    // Only a dead letter can be retried.
    expect((await app.request({ method: 'POST', url: `/v1/admin/webhook-deliveries/${row!.id}/retry`, token: admin.token })).statusCode).toBe(404);
    expect(await w.drainOnce()).toMatchObject({ retried: 0, failed: 0 });
    expect((await deliveries()).find((d) => d.id === row!.id)).toMatchObject({ status: 'delivered', attempts: 0 });
    const audit = await app.store.db.selectFrom('audit_events').select('kind').where('kind', '=', 'admin.webhook_retried').execute();
    expect(audit).toHaveLength(1);
  });

  it("keeps one user's events in order: a later one waits while an earlier one retries; other users go ahead", async () => {
    await addEndpoint();
    const a = await app.signUp();
    const b = await app.signUp();
    // a's first event (user.created) fails once.
    receiver.respond = (r) => (r.payload.data.user_id === a.user.id && receiver.received.filter((x) => x.payload.data.user_id === a.user.id).length === 0 ? 500 : 200);
    for (let i = 0; i < 3; i++) {
      expect((await app.request({ method: 'PATCH', url: '/v1/me', token: a.access_token, payload: { first_name: `A${i}` } })).statusCode).toBe(200);
    }
    const w = worker();
    await w.drainOnce();
    const aSeen = () => receiver.received.filter((r) => r.payload.data.user_id === a.user.id).map((r) => `${r.payload.type}:${r.answered}`);
    expect(aSeen()).toEqual(['user.created:500']);
    expect(receiver.received.filter((r) => r.payload.data.user_id === b.user.id).map((r) => r.payload.type)).toEqual(['user.created']);
    app.clock.advance(60_000);
    await w.drainOnce();
    expect(aSeen()).toEqual(['user.created:500', 'user.created:200', 'user.updated:200', 'user.updated:200', 'user.updated:200']);
  });

  it('under concurrent changes and two workers, each user\'s events arrive in the order they were queued', async () => {
    await addEndpoint();
    const people = await Promise.all([0, 1, 2].map(() => app.signUp()));
    receiver.respond = (_r, n) => (n % 4 === 1 ? 502 : 200);
    await Promise.all(people.flatMap((p) => [0, 1, 2, 3].map((i) => app.request({ method: 'PATCH', url: '/v1/me', token: p.access_token, payload: { last_name: `L${i}` } }))));
    const [w1, w2] = [worker(), worker()];
    for (let round = 0; round < 20; round++) {
      await Promise.all([w1.drainOnce(), w2.drainOnce()]);
      app.clock.advance(60_000);
    }
    const rows = await deliveries();
    expect(rows.every((r) => r.status === 'delivered')).toBe(true);
    const order = new Map(rows.map((r) => [r.event_id, r.id]));
    for (const p of people) {
      const firstOk = receiver.received.filter((r) => r.payload.data.user_id === p.user.id && r.answered === 200).map((r) => order.get(String(r.headers['webhook-id']))!);
      expect(firstOk).toHaveLength(5);
      expect(firstOk).toEqual([...firstOk].sort((x, y) => x - y));
    }
  });

  it('a rolled-back change sends nothing', async () => {
    await addEndpoint();
    const { user } = await app.signUp();
    const before = (await deliveries()).length;
    await expect(inTransaction(app.core, async (trx) => {
      await recordAudit(trx, { kind: 'profile.updated', at: app.clock.now(), userId: user.id });
      await enqueueWebhookEvent(trx, { type: 'mfa.changed', at: app.clock.now(), userId: user.id, data: { factor: 'totp' } });
      expect((await trx.selectFrom('webhook_deliveries').select('id').execute()).length).toBe(before + 2);
      throw new Error('the change fails after its event was queued');
    })).rejects.toThrow('the change fails');
    expect(await deliveries()).toHaveLength(before);
    // A disabled endpoint queues nothing either.
    const [endpoint] = await app.store.db.selectFrom('webhook_endpoints').select('id').execute();
    await app.request({ method: 'PATCH', url: `/v1/admin/webhooks/${endpoint!.id}`, token: admin.token, payload: { enabled: false } });
    await app.request({ method: 'PATCH', url: '/v1/me', token: (await app.signUp()).access_token, payload: { first_name: 'X' } });
    expect(await deliveries()).toHaveLength(before);
  });

  it('rotating the secret signs with both for a while; the new secret is shown once', async () => {
    const { endpoint, secret: old } = await addEndpoint();
    const rotated = await app.request({ method: 'POST', url: `/v1/admin/webhooks/${endpoint.id}/rotate-secret`, token: admin.token });
    expect(rotated.statusCode).toBe(200);
    const fresh = rotated.json().secret as string;
    expect(fresh).not.toBe(old);
    await app.signUp();
    await worker().drainOnce();
    const [got] = receiver.received;
    expect(String(got!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    receiver.secrets = [fresh];
    const { verifyStandardWebhook } = await import('./receiver.js');
    const now = Math.floor(app.clock.now() / 1000);
    expect(verifyStandardWebhook(fresh, got!.headers, got!.body, now)).toBe(true);
    expect(verifyStandardWebhook(old, got!.headers, got!.body, now)).toBe(true);
    // The secrets are stored sealed, never in the clear, and never listed.
    const row = await app.store.db.selectFrom('webhook_endpoints').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(fresh.slice(6, 20));
    const list = await app.request({ method: 'GET', url: '/v1/admin/webhooks', token: admin.token });
    expect(list.body).not.toContain(fresh.slice(6, 20));
    // After a day only the new secret signs.
    app.clock.advance(25 * 3_600_000);
    receiver.nowMs = () => app.clock.now();
    await app.signUp();
    await worker().drainOnce();
    expect(String(receiver.received.at(-1)!.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(receiver.received.at(-1)!.verified).toBe(true);
  });

  it('the cleanup job prunes delivered rows after the retention, in batches, and keeps queued ones', async () => {
    await addEndpoint();
    await Promise.all([0, 1, 2].map(() => app.signUp()));
    await worker().drainOnce();
    receiver.respond = () => 500;
    await app.signUp();
    await worker().drainOnce();
    const { deleteExpiredRows } = await import('../../src/jobs/cleanup.js');
    app.clock.advance(400 * 86_400_000);
    const counts = await deleteExpiredRows({ db: app.store.db, clock: app.clock, log: app.core.log, retentionSeconds: 1, sessionIdleSeconds: 1, settings: app.core.settings, batchSize: 2 });
    expect(counts?.webhook_deliveries).toBe(3);
    expect((await deliveries()).map((r) => [r.status, r.attempts])).toEqual([['pending', 1]]);
  });
});
