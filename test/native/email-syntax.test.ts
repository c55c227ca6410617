import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { isEmail } from '../../src/core/users/normalize.js';
import { importDjangoUsers } from '../../src/core/import/index.js';
import { authUserSqlite, djangoHash, djangoSqlite, emailUserSqlite } from '../import/django-fixtures.js';
import { password } from '../recovery/support.js';
import { testPassword } from '../support/passwords.js';

/** What an SMTP server was really asked to deliver: the envelope's RCPT TO and the To header. */
interface Delivery {
  rcptTo: string[];
  toHeader: string[];
}

/** A real SMTP server in this process that records each message's envelope. */
async function envelopeSink(): Promise<{ url: string; deliveries: Delivery[]; waitFor(n: number): Promise<void>; close(): Promise<void> }> {
  const deliveries: Delivery[] = [];
  let waiters: Array<{ n: number; resolve: () => void }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 50,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        void simpleParser(Buffer.concat(chunks)).then((mail) => {
          const to = mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address ?? '') : [];
          deliveries.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), toHeader: to });
          callback();
          for (const w of waiters.filter((w) => deliveries.length >= w.n)) w.resolve();
          waiters = waiters.filter((w) => deliveries.length < w.n);
        });
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    deliveries,
    waitFor: (n) => (deliveries.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const refused: Array<[string, string]> = [
  ['a display name', 'x<victim@corp.test>'],
  ['a comma list', 'a,b@corp.test'],
  ['a space', 'a b@x.test'],
  ['a quoted local part', '"a"@x.test'],
  ['a comment', 'a@x.test (c)'],
  ['a domain literal', 'a@[1.2.3.4]'],
  ['a group', 'group: a@x.test;'],
  ['a trailing dot in the domain', 'a@x.test.'],
  ['a trailing dot in the local part', 'a.@x.test'],
  ['a leading dot', '.a@x.test'],
  ['a double dot', 'a..b@x.test'],
  ['a NUL', 'a\u0000b@x.test'],
  ['a newline', 'a@x.test\nBcc: b@x.test'],
  ['255 characters', `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.test`],
  ['a 65-character local part', `${'a'.repeat(65)}@x.test`],
  ['a fullwidth @', 'a＠x.test'],
  ['two @', 'a@b@x.test'],
  ['a Unicode domain', 'a@bücher.test'],
  ['a Unicode local part', 'ñ@x.test'],
  ['a label with a leading hyphen', 'a@-x.test'],
  ['a single-label domain', 'a@localhost'],
  ['a numeric top-level label', 'a@1.2.3.4'],
  ['a semicolon', 'a;b@x.test'],
];

const accepted = ['first.last+tag@sub.example.co', "o'brien@x.test", `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(56)}.test`];

describe('the one email rule', () => {
  it.each(refused)('refuses %s', (_why, value) => expect(isEmail(value)).toBe(false));
  it.each(accepted)('accepts %s', (value) => expect(isEmail(value)).toBe(true));
  it('has 254 characters as its limit', () => expect([accepted[2]!.length, refused.find(([why]) => why === '255 characters')![1].length]).toEqual([254, 255]));
  it('stays linear on long junk', () => {
    for (const junk of ['a'.repeat(100_000), `${'a.'.repeat(50_000)}@x`, `a@${'b-'.repeat(50_000)}`]) expect(isEmail(junk)).toBe(false);
  });
});

describe.each(backends)('email syntax over HTTP and real SMTP on %s', (backend) => {
  let app: TestApp;
  let sink: Awaited<ReturnType<typeof envelopeSink>>;
  beforeAll(async () => {
    sink = await envelopeSink();
    app = await testApp(backend, { SMTP_URL: sink.url }, { mailWorker: true, mailWorkerOptions: { notifyDelayMs: 5, pollMs: 50 } });
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    await app?.close();
    await sink?.close();
  });
  beforeEach(async () => {
    await app.core.settings.update({ activation_mode: 'none' }, null);
  });

  let n = 0;
  const register = (email: string) =>
    app.request({ method: 'POST', url: '/v1/auth/register', payload: { username: `syntax${++n}`, email, password }, remoteAddress: `10.77.0.${n % 250}` });
  const patchMe = (token: string, email: string) => app.request({ method: 'PATCH', url: '/v1/me', token, payload: { email, current_password: password } });
  /** Every address the database holds or the outbox would mail that mentions `needle`. */
  async function traces(needle: string): Promise<string[]> {
    const users = await app.store.db.selectFrom('users').select(['email', 'pending_email']).execute();
    const outbox = await app.store.db.selectFrom('outbox').select('to_addr').execute();
    return [...users.flatMap((u) => [u.email, u.pending_email ?? '']), ...outbox.map((o) => o.to_addr)].filter((a) => a.includes(needle));
  }
  async function expectRefused(res: { statusCode: number; json(): any }, needle: string): Promise<void> {
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.email).toEqual(['Enter a valid email address.']);
    expect(await traces(needle)).toEqual([]);
  }

  it('attack: a display-name address is stored as one address and mailed to another', async () => {
    await app.core.settings.update({ activation_mode: 'email' }, null);
    await expectRefused(await register('x<victim@corp.test>'), 'victim@corp.test');
    await app.core.settings.update({ activation_mode: 'none' }, null);
    const { access_token } = await app.signUp();
    await expectRefused(await patchMe(access_token, 'x<victim2@corp.test>'), 'victim2@corp.test');
    expect(sink.deliveries.flatMap((d) => d.rcptTo).filter((a) => a.includes('victim'))).toEqual([]);
  });

  it('attack: a comma address is mailed to the second address', async () => {
    await app.core.settings.update({ activation_mode: 'email' }, null);
    await expectRefused(await register('a,b@corp.test'), 'b@corp.test');
    await app.core.settings.update({ activation_mode: 'none' }, null);
    const { access_token } = await app.signUp();
    await expectRefused(await patchMe(access_token, 'a,c@corp.test'), 'c@corp.test');
    expect(sink.deliveries.flatMap((d) => d.rcptTo).filter((a) => a.endsWith('@corp.test'))).toEqual([]);
  });

  it.each(refused)('register and PATCH /v1/me refuse %s', async (_why, value) => {
    const reg = await register(value);
    expect(reg.statusCode).toBe(400);
    expect(reg.json().errors.email).toEqual([expect.stringMatching(/^(Enter a valid email address|Ensure this field has no more than 254 characters|Control characters are not allowed)\.$/)]);
    const { access_token, user } = await app.signUp();
    const res = await patchMe(access_token, value);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.email).toEqual([expect.stringMatching(/^(Enter a valid email address|Ensure this field has no more than 254 characters|Control characters are not allowed)\.$/)]);
    const row = await app.store.db.selectFrom('users').select(['email', 'pending_email']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ email: user.email, pending_email: null });
  });

  it.each(accepted.slice(0, 2))('stores %s exactly as it is mailed', async (value) => {
    await app.core.settings.update({ activation_mode: 'email' }, null);
    const before = sink.deliveries.length;
    const res = await register(value);
    expect(res.statusCode).toBe(201);
    expect(res.json().user.email).toBe(value);
    await sink.waitFor(before + 1);
    expect(sink.deliveries.slice(before)).toEqual([{ rcptTo: [value], toHeader: [value] }]);
  });

  it('the outbox never hands nodemailer a string to parse: a bad row already queued is not mailed to its inner address', async () => {
    const before = sink.deliveries.length;
    const now = app.clock.now();
    const row = { kind: 'password_changed', subject: 's', text_body: 't', html_body: '<p>t</p>', status: 'pending', attempts: 0, next_attempt_at: now, created_at: now };
    await app.store.db.insertInto('outbox').values([{ ...row, to_addr: 'x<queued-victim@corp.test>' }, { ...row, to_addr: 'queued-ok@x.test' }]).execute();
    app.mailWorker!.notify();
    await sink.waitFor(before + 1);
    const status = async () => (await app.store.db.selectFrom('outbox').select('status').where('to_addr', '=', 'x<queued-victim@corp.test>').executeTakeFirstOrThrow()).status;
    await expect.poll(status).toBe('failed');
    expect(sink.deliveries.slice(before)).toEqual([{ rcptTo: ['queued-ok@x.test'], toHeader: ['queued-ok@x.test'] }]);
  });
});

describe.each(backends)('imported addresses the rule refuses, on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    await app?.close();
  });
  const user = (id: number, username: string, email: string) => ({
    id, username, email, password: djangoHash.pbkdf2('imported password'), first_name: '', last_name: '',
    is_superuser: false, is_staff: false, is_active: true, date_joined: '2024-11-18 11:59:14.730000', last_login: null,
  });

  it('keeps a username login with its address unverified, unkeyed, never mailed, and reports it', async () => {
    const file = djangoSqlite(authUserSqlite, 'auth_user', [user(901, 'angled', 'x<imp-victim@corp.test>'), user(902, 'fine', 'fine@x.test')]);
    const summary = await importDjangoUsers(app.core, { from: file });
    expect(summary).toMatchObject({ created: 2, skipped: [] });
    expect(summary.notes).toEqual([{ row: 'id 901 (angled)', note: expect.stringContaining('is not a single valid address') }]);
    const row = await app.store.db.selectFrom('users').select(['email', 'email_key', 'email_verified']).where('id', '=', 901).executeTakeFirstOrThrow();
    expect(row).toEqual({ email: 'x<imp-victim@corp.test>', email_key: null, email_verified: 0 });
    const forgot = await app.request({ method: 'POST', url: '/v1/auth/password/forgot', payload: { email: 'x<imp-victim@corp.test>' } });
    expect(forgot.statusCode).toBe(400);
    // A password change would mail the account: nothing is queued for an address the rule refuses.
    const login = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'angled', password: 'imported password' } });
    expect(login.statusCode).toBe(200);
    const change = await app.request({ method: 'PUT', url: '/v1/me/password', token: login.json().access_token, payload: { old_password: 'imported password', new_password: testPassword } });
    expect(change.statusCode).toBeLessThan(300);
    expect(await app.store.db.selectFrom('outbox').select('to_addr').where('to_addr', 'like', '%imp-victim%').execute()).toEqual([]);
  });

  it('skips an email-login row whose address the rule refuses', async () => {
    const file = djangoSqlite(emailUserSqlite, 'users_user', [
      { id: 911, email: 'a,imp-b@corp.test', username: null, password: djangoHash.pbkdf2('imported password'), is_superuser: false, is_active: true, is_staff: false, last_login: null },
    ]);
    const summary = await importDjangoUsers(app.core, { from: file, table: 'users_user' });
    expect(summary).toMatchObject({ loginField: 'email', created: 0 });
    expect(summary.skipped).toEqual([{ row: 'id 911 (a,imp-b@corp.test)', reason: expect.stringContaining('not a single valid address') }]);
  });
});

describe.each(backends)('compat profiles use the same rule, on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend, { GATEHOUSE_COMPAT: 'jwt-uuid-refresh' });
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    await app?.close();
  });
  const post = (url: string, payload: unknown) => app.request({ method: 'POST', url, payload });

  it('register refuses a display-name address; the login schema format is the core rule, not ajv-formats', async () => {
    const reg = await post('/api/register/', { email: 'x<victim@corp.test>', password });
    expect(reg.statusCode).toBe(400);
    expect(reg.json()).toEqual({ email: ['Enter a valid email address.'] });
    // ajv-formats takes `a@1.2.3.4`; the core rule does not.
    expect((await post('/api/login/', { email: 'a@1.2.3.4', password })).json()).toEqual({ email: ['Enter a valid email address.'] });
    expect((await post('/api/register/', { email: "o'brien@x.test", password })).statusCode).toBe(201);
    expect((await post('/api/login/', { email: "o'brien@x.test", password })).statusCode).toBe(200);
  });
});
