import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { createServiceKey } from '../../src/core/service-keys.js';
import { countLiveServiceKeys } from '../../src/store/service-keys-repo.js';

/** The cap of 100 live service keys holds when creations race (each request counts, then inserts). */
describe.each(backends)('the service-key cap under parallel creates on %s', (backend) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await testApp(backend);
  });
  afterAll(() => app?.close());

  it('attack: 30 parallel creates at 95 live keys leave exactly 100', async () => {
    for (let i = 0; i < 95; i++) await createServiceKey(app.core, { name: `seed ${i}` });
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => createServiceKey(app.core, { name: `racer ${i}` })));
    const created = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as { code?: string });
    expect(await countLiveServiceKeys(app.core.db)).toBe(100);
    expect(created).toBe(5);
    expect(refused.every((e) => e.code === 'validation_failed')).toBe(true);
    // Audit rows only for the keys that exist: nothing half-written.
    const audited = await app.core.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'admin.service_key_created').executeTakeFirstOrThrow();
    expect(Number(audited.n)).toBe(100);
  });
});
