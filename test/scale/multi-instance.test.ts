import { afterAll, beforeAll, expect, it } from 'vitest';
import { settingDefs } from '../../src/core/settings.js';
import { call, clientIp, Deployment, deliveredMail, describeScale } from './support/deployment.js';
import { eventually } from '../support/eventually.js';
import { testPassword } from '../support/passwords.js';

/** Three `gatehouse serve` processes over one PostgreSQL schema and one Redis prefix. */
describeScale('three instances sharing PostgreSQL and Redis', () => {
  let d: Deployment;
  let A: string;
  let B: string;
  let C: string;
  let admin: { token: string };

  beforeAll(async () => {
    d = await Deployment.start({ instances: 3 });
    [A, B, C] = d.instances.map((i) => i.url) as [string, string, string];
    admin = await d.superuser();
  });
  afterAll(async () => {
    await d?.close();
  });

  async function signUp(base: string, name: string): Promise<{ access_token: string; refresh_token: string; user: { id: number; email: string } }> {
    const res = await call(base, '/v1/auth/register', { body: { username: name, email: `${name}@example.com`, password: testPassword } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  it('logs in on A, logs out on B: the access token is refused on C within one second', async () => {
    await signUp(A, 'carol');
    const login = await call(A, '/v1/auth/login', { body: { login: 'carol', password: testPassword } });
    expect(login.status).toBe(200);
    const token = login.body.access_token as string;
    for (const base of [A, B, C]) expect((await call(base, '/v1/me', { token })).status).toBe(200);

    expect((await call(B, '/v1/auth/logout', { method: 'POST', token })).status).toBe(204);
    // The DESIGN invariant: a revoked session's token stops working everywhere within a second.
    await eventually('C to refuse the token', async () => (await call(C, '/v1/me', { token })).status === 401, 1000, 5);
    const refused = await call(C, '/v1/me', { token });
    expect(refused.body.code).toBe('session_revoked');
    expect((await call(A, '/v1/me', { token })).status).toBe(401);
  });

  it('logout-all on C ends the sessions opened on A and B, on every instance', async () => {
    await signUp(B, 'dave');
    const onA = (await call(A, '/v1/auth/login', { body: { login: 'dave', password: testPassword } })).body.access_token as string;
    const onB = (await call(B, '/v1/auth/login', { body: { login: 'dave', password: testPassword } })).body.access_token as string;
    const all = await call(C, '/v1/auth/logout-all', { method: 'POST', token: onA });
    expect(all.status).toBe(200);
    expect(all.body.sessions_revoked).toBeGreaterThanOrEqual(2);
    for (const base of [A, B, C]) {
      await eventually(`${base} to refuse both tokens`, async () => (await call(base, '/v1/me', { token: onB })).status === 401 && (await call(base, '/v1/me', { token: onA })).status === 401, 1000, 5);
    }
  });

  it('a password reset requested on A is verified on B and completed on C', async () => {
    const erin = await signUp(A, 'erin');
    const forgot = await call(A, '/v1/auth/password/forgot', { body: { email: erin.user.email } });
    expect(forgot.status).toBe(202);
    // Any instance's outbox worker may deliver it: look in every data dir.
    let code = '';
    await eventually('the reset mail', async () => {
      const mail = (await deliveredMail(d.instances)).find((m) => m.to.includes(erin.user.email) && /reset/i.test(m.subject));
      code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1] ?? '';
      return code !== '';
    });
    const verified = await call(B, '/v1/auth/password/verify', { body: { request_id: forgot.body.request_id, otp: code } });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    const reset = await call(C, '/v1/auth/password/reset', { body: { grant: verified.body.grant, new_password: 'a brand new passphrase 77' } });
    expect(reset.status, JSON.stringify(reset.body)).toBe(204);
    // The reset ended the sign-up session everywhere, and the new password works on A.
    await eventually('A to refuse the old session', async () => (await call(A, '/v1/me', { token: erin.access_token })).status === 401, 1000, 5);
    expect((await call(A, '/v1/auth/login', { body: { login: 'erin', password: 'a brand new passphrase 77' } })).status).toBe(200);
  });

  it('a settings change made on C applies on A and B', async () => {
    const change = await call(C, '/v1/admin/settings', { method: 'PATCH', token: admin.token, body: { access_token_ttl: 777 } });
    expect(change.status, JSON.stringify(change.body)).toBe(200);
    await signUp(B, 'frank');
    for (const base of [A, B]) {
      await eventually(`${base} to issue 777 s tokens`, async () => {
        const login = await call(base, '/v1/auth/login', { body: { login: 'frank', password: testPassword } });
        return login.status === 200 && login.body.expires_in === 777;
      }, 1000, 50);
    }
  });

  it('shares the login budget: three instances do not give three times the attempts', async () => {
    const perAccount = settingDefs.rate_login_account.initial();
    const instances = [A, B, C];
    const statuses: number[] = [];
    // Unknown account (no lockout involved), a new address each time: only the per-account budget counts.
    for (let i = 0; i < perAccount; i++) {
      statuses.push((await call(instances[i % 3]!, '/v1/auth/login', { body: { login: 'ghost@example.com', password: 'wrong' }, ip: clientIp() })).status);
    }
    expect(statuses).toEqual(Array(perAccount).fill(401));
    for (const base of instances) {
      const over = await call(base, '/v1/auth/login', { body: { login: 'ghost@example.com', password: 'wrong' }, ip: clientIp() });
      expect(over.status).toBe(429);
      expect(over.body.code).toBe('rate_limited');
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(over.body.detail).toMatch(/throttled.*\d+ seconds/);
    }
  });

  it('reports every instance ready, with its database and Redis', async () => {
    for (const base of [A, B, C]) {
      const ready = await call(base, '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body.checks).toEqual({ database: 'ok', redis: 'ok' });
    }
  });
});
