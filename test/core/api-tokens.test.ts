import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, deleteApiTokens, listApiTokens } from '../../src/core/api-tokens.js';
import type { RequestMeta } from '../../src/core/audit.js';
import { issueLoginKey } from '../../src/core/login-keys.js';
import { tokenDigest } from '../../src/core/secrets.js';
import { findApiTokenByDigest } from '../../src/store/api-tokens-repo.js';
import { backends } from '../support/backends.js';
import { testCore, type TestCore } from '../support/core.js';
import { account } from './support.js';

const meta: RequestMeta = { ip: '10.8.0.1', userAgent: 'api-tokens.test' };

describe.each(backends)('API tokens and login keys on %s (no HTTP)', (backend) => {
  let t: TestCore;
  beforeAll(async () => {
    t = await testCore(backend);
  });
  afterAll(() => t?.close());

  it('creates a token whose key resolves to its account and is stored only as a digest', async () => {
    const user = await account(t);
    const { token, key } = await createApiToken(t.core, user.id, { name: ' ci ', expires_in_days: 2 }, meta);
    expect(key).toMatch(/^gh_/);
    expect(token).toMatchObject({ name: 'ci', prefix: key.slice(0, 7), created_at: t.clock.now(), last_used_at: null, expires_at: t.clock.now() + 2 * 86_400_000 });
    expect(await t.core.apiTokens.resolve(key)).toEqual({ userId: user.id, tokenId: token.id });
    expect(await findApiTokenByDigest(t.core.db, tokenDigest(key))).toMatchObject({ id: token.id, userId: user.id });
    expect(await listApiTokens(t.core, user.id)).toEqual([expect.objectContaining({ id: token.id, name: 'ci' })]);
    expect(JSON.stringify(await listApiTokens(t.core, user.id))).not.toContain(key);
  });

  it('refuses an unknown key and an expired one', async () => {
    const user = await account(t);
    await expect(t.core.apiTokens.resolve('gh_not-a-token')).rejects.toMatchObject({ code: 'invalid_token' });
    const { key } = await createApiToken(t.core, user.id, { name: 'short', expires_in_days: 1 }, meta);
    await t.core.apiTokens.resolve(key);
    t.clock.advance(86_400);
    await expect(t.core.apiTokens.resolve(key)).rejects.toMatchObject({ code: 'token_expired' });
  });

  it('rejects a bad name or lifetime with field errors and writes nothing', async () => {
    const user = await account(t);
    await expect(createApiToken(t.core, user.id, { name: '', expires_in_days: 0 }, meta)).rejects.toMatchObject({ code: 'validation_failed', fields: { name: expect.any(Array), expires_in_days: expect.any(Array) } });
    expect(await listApiTokens(t.core, user.id)).toEqual([]);
  });

  it('deletes one token by id, then the rest; deleted keys stop resolving at once (even from the cache)', async () => {
    const user = await account(t);
    const a = await createApiToken(t.core, user.id, { name: 'a' }, meta);
    const b = await createApiToken(t.core, user.id, { name: 'b' }, meta);
    const c = await createApiToken(t.core, user.id, { name: 'c' }, meta);
    await t.core.apiTokens.resolve(a.key);
    expect(await deleteApiTokens(t.core, user.id, a.token.id, meta)).toBe(1);
    await expect(t.core.apiTokens.resolve(a.key)).rejects.toMatchObject({ code: 'invalid_token' });
    expect(await t.core.apiTokens.resolve(b.key)).toMatchObject({ tokenId: b.token.id });
    await expect(deleteApiTokens(t.core, user.id, a.token.id, meta)).rejects.toMatchObject({ code: 'not_found' });
    expect(await deleteApiTokens(t.core, user.id, undefined, meta)).toBe(2);
    await expect(t.core.apiTokens.resolve(b.key)).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(t.core.apiTokens.resolve(c.key)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('a login key is a 40-hex DRF key that resolves to its account; past `keep`, the least recently used go', async () => {
    const user = await account(t);
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      keys.push(await issueLoginKey(t.core, user.id, 'drf login', meta, 2));
      t.clock.advance(1);
    }
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{40}$/);
    expect(await t.core.apiTokens.resolve(keys[2]!)).toMatchObject({ userId: user.id });
    expect(await t.core.apiTokens.resolve(keys[1]!)).toMatchObject({ userId: user.id });
    await expect(t.core.apiTokens.resolve(keys[0]!)).rejects.toMatchObject({ code: 'invalid_token' });
    expect((await listApiTokens(t.core, user.id)).map((k) => k.name)).toEqual(['drf login', 'drf login']);
  });
});
