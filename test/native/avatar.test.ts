import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { multipartBody } from '../support/multipart.js';
import { tinyPng } from '../support/png.js';

const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x1a, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(14)]);

describe.each(backends)('avatars on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend, { GATEHOUSE_AVATAR_MAX_BYTES: '4096' });
  });
  afterAll(async () => {
    await app?.close();
  });

  const upload = (token: string, data: Buffer, contentType = 'image/png', field = 'avatar') =>
    app.request({ method: 'PUT', url: '/v1/me/avatar', token, ...multipartBody({ [field]: { filename: 'pic', contentType, data } }) });

  it('stores the image in the database, sniffs its type, and serves it at a stable URL with an ETag', async () => {
    const { access_token, user } = await app.signUp();
    const png = tinyPng(3, 3);
    const res = await upload(access_token, png, 'application/octet-stream');
    expect(res.statusCode, res.body).toBe(200);
    const url = `/v1/users/${user.id}/avatar`;
    expect(res.json().avatar_url).toBe(`${app.config.publicUrl}${url}`);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: access_token })).json().avatar_url).toBe(`${app.config.publicUrl}${url}`);
    const row = await app.core.db.selectFrom('avatars').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(Buffer.from(row.data).equals(png)).toBe(true);
    const got = await app.request({ method: 'GET', url });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.rawPayload.equals(png)).toBe(true);
    const etag = got.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const cached = await app.request({ method: 'GET', url, headers: { 'if-none-match': header } });
      expect(cached.statusCode, header).toBe(304);
      expect(cached.headers.etag).toBe(etag);
    }
    expect((await app.request({ method: 'GET', url, headers: { 'if-none-match': '"stale"' } })).statusCode).toBe(200);
  });

  it('changes the ETag when the image changes, and serves JPEG, GIF and WebP by their bytes', async () => {
    const { access_token, user } = await app.signUp();
    const url = `/v1/users/${user.id}/avatar`;
    await upload(access_token, tinyPng(1, 1));
    const first = (await app.request({ method: 'GET', url })).headers.etag;
    for (const [data, type] of [[jpeg, 'image/jpeg'], [gif, 'image/gif'], [webp, 'image/webp']] as const) {
      expect((await upload(access_token, data, 'image/png')).statusCode).toBe(200);
      const got = await app.request({ method: 'GET', url });
      expect(got.headers['content-type']).toBe(type);
      expect(got.headers.etag).not.toBe(first);
    }
  });

  it('refuses non-images, empty files, oversized files and non-multipart bodies', async () => {
    const { access_token, user } = await app.signUp();
    const html = await upload(access_token, Buffer.from('<svg onload=alert(1)>'), 'image/png');
    expect(html.statusCode).toBe(400);
    expect(html.json().errors.avatar[0]).toMatch(/valid image/);
    expect((await upload(access_token, Buffer.alloc(0))).statusCode).toBe(400);
    const big = await upload(access_token, Buffer.concat([tinyPng(), Buffer.alloc(5000)]));
    expect(big.statusCode).toBe(413);
    const json = await app.request({ method: 'PUT', url: '/v1/me/avatar', token: access_token, payload: { avatar: 'aGVsbG8=' } });
    expect(json.statusCode).toBe(415);
    const textField = await app.request({ method: 'PUT', url: '/v1/me/avatar', token: access_token, ...multipartBody({ avatar: 'not a file' }) });
    expect(textField.statusCode).toBe(400);
    expect(await app.core.db.selectFrom('avatars').select('user_id').where('user_id', '=', user.id).execute()).toEqual([]);
    expect((await app.request({ method: 'GET', url: `/v1/users/${user.id}/avatar` })).statusCode).toBe(404);
  });

  it('deletes the avatar; a second delete is 404', async () => {
    const { access_token, user } = await app.signUp();
    await upload(access_token, tinyPng());
    expect((await app.request({ method: 'DELETE', url: '/v1/me/avatar', token: access_token })).statusCode).toBe(204);
    expect((await app.request({ method: 'GET', url: `/v1/users/${user.id}/avatar` })).statusCode).toBe(404);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: access_token })).json().avatar_url).toBeNull();
    expect((await app.request({ method: 'DELETE', url: '/v1/me/avatar', token: access_token })).statusCode).toBe(404);
  });

  it('answers 404 for odd avatar URLs, never 5xx', async () => {
    for (const id of ['0', '999999999999999', 'abc', '1e3', '-1', '%00', '9'.repeat(40)]) {
      const res = await app.request({ method: 'GET', url: `/v1/users/${id}/avatar` });
      expect([400, 404], id).toContain(res.statusCode);
    }
  });
});
