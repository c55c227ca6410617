import { afterEach, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { post, restartable, type Restartable } from '../support/restarts.js';
import { codeAndToken } from './support.js';
import { testPassword } from '../support/passwords.js';

describe.each(backends)('reset state survives a restart on %s', (backend) => {
  let r: Restartable | undefined;
  afterEach(async () => {
    await r?.close();
  });

  it('a request made before a restart (cache lost) verifies and resets after it, with its attempts kept', async () => {
    r = await restartable(backend);
    const { store, start } = r;
    const inject = post;

    const first = await start();
    const email = 'restart@example.com';
    expect((await inject(first, '/v1/auth/register', { username: 'restart', email, password: testPassword })).statusCode).toBe(201);
    const { request_id } = (await inject(first, '/v1/auth/password/forgot', { email })).json();
    const mail = await store.db.selectFrom('outbox').select('text_body').where('kind', '=', 'password_reset').executeTakeFirstOrThrow();
    const { code } = codeAndToken(mail.text_body);
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await inject(first, '/v1/auth/password/verify', { request_id, otp: wrong })).json().code).toBe('otp_invalid');
    await first.close();

    const second = await start();
    const row = await store.db.selectFrom('one_time_codes').select('attempts').executeTakeFirstOrThrow();
    expect(row.attempts).toBe(1);
    const verified = await inject(second, '/v1/auth/password/verify', { request_id, otp: code });
    expect(verified.statusCode).toBe(200);
    await second.close();

    const third = await start();
    expect((await inject(third, '/v1/auth/password/reset', { grant: verified.json().grant, new_password: 'a brand new phrase 17' })).statusCode).toBe(204);
    expect((await inject(third, '/v1/auth/login', { login: email, password: 'a brand new phrase 17' })).statusCode).toBe(200);
  });
});
