import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSettings } from '../../src/core/admin/settings-view.js';
import { AuthError } from '../../src/core/errors.js';
import { RuntimeSettings } from '../../src/core/settings.js';
import { backends } from '../support/backends.js';
import { testCore, type TestCore } from '../support/core.js';

describe.each(backends)('runtime settings on %s (no HTTP)', (backend) => {
  let t: TestCore;
  beforeAll(async () => {
    t = await testCore(backend);
  });
  afterAll(() => t?.close());

  it('saves a change that another instance reads on reload, with who changed it and when', async () => {
    const other = new RuntimeSettings(t.core);
    await other.reload();
    const before = other.get('access_token_ttl');
    t.clock.advance(5);
    await t.core.settings.update({ access_token_ttl: before + 60, password_check_common: false }, null);
    expect(t.core.settings.get('access_token_ttl')).toBe(before + 60);
    expect(other.get('access_token_ttl')).toBe(before);
    await other.reload();
    expect(other.get('access_token_ttl')).toBe(before + 60);
    expect(other.get('password_check_common')).toBe(false);
    const view = (await listSettings(t.core)).find((s) => s.key === 'access_token_ttl')!;
    expect(view).toMatchObject({ value: before + 60, default: before, updated_at: t.clock.now(), updated_by: null });
  });

  it('changes nothing when one value is invalid', async () => {
    const ttl = t.core.settings.get('access_token_ttl');
    await expect(t.core.settings.update({ access_token_ttl: ttl + 1, otp_length: 99 }, null)).rejects.toBeInstanceOf(AuthError);
    const fresh = new RuntimeSettings(t.core);
    await fresh.reload();
    expect(fresh.get('access_token_ttl')).toBe(ttl);
  });
});
