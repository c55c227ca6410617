import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type BackendName } from '../support/backends.js';
import type { TestApp } from '../support/app.js';
import { multipartBody } from '../support/multipart.js';
import { tinyPng } from '../support/png.js';
import { compatApp, strong } from './support.js';

/** Makes the database refuse every avatar write, as a full disk or a broken constraint would. */
async function refuseAvatarWrites(app: TestApp, backend: BackendName): Promise<void> {
  if (backend === 'sqlite') {
    await sql`create trigger refuse_avatars before insert on avatars begin select raise(abort, 'avatars refused'); end`.execute(app.core.db);
    return;
  }
  await sql`create function refuse_avatars() returns trigger language plpgsql as $$ begin raise exception 'avatars refused'; end $$`.execute(app.core.db);
  await sql`create trigger refuse_avatars before insert on avatars for each row execute function refuse_avatars()`.execute(app.core.db);
}

describe.each(backends)('jwt-otp registration with an image on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await compatApp(backend, 'jwt-otp');
    await refuseAvatarWrites(app, backend);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('an avatar that fails to store leaves no account', async () => {
    const body = multipartBody({ email: 'atomic@example.com', password: strong, image: { filename: 'me.png', contentType: 'image/png', data: tinyPng() } });
    const res = await app.request({ method: 'POST', url: '/api/register/', ...body });
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(500);
    const rows = await app.core.db.selectFrom('users').select('id').where('email', '=', 'atomic@example.com').execute();
    expect(rows).toEqual([]);
    // The address is still free: the client was told the account was not created, and may retry.
    const retry = await app.request({ method: 'POST', url: '/api/register/', payload: { email: 'atomic@example.com', password: strong } });
    expect(retry.statusCode, retry.body).toBe(201);
  });
});
