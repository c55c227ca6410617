import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testCore, type TestCore } from '../support/core.js';

describe.each(backends)('testCore on %s', (backend) => {
  let t: TestCore;
  beforeAll(async () => {
    t = await testCore(backend);
  });
  afterAll(() => t.close());
  it('builds a core over a migrated database with a manual clock', async () => {
    expect(t.core.clock.now()).toBe(Date.UTC(2026, 0, 1));
    expect(t.core.settings.get('access_token_ttl')).toBeGreaterThan(0);
  });
});
