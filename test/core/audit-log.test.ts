import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/core/admin/audit-query.js';
import { recordAudit } from '../../src/core/audit.js';
import { backends } from '../support/backends.js';
import { testCore, type TestCore } from '../support/core.js';

describe.each(backends)('the audit log on %s (no HTTP)', (backend) => {
  let t: TestCore;
  let start: number;
  beforeAll(async () => {
    t = await testCore(backend);
    start = t.clock.now();
    const kinds = ['login.failed', 'admin.user_updated', 'login.succeeded', 'admin.setting_changed', 'logout'] as const;
    for (const [i, kind] of kinds.entries()) {
      await recordAudit(t.core.db, { kind, at: t.clock.now(), ip: `10.0.0.${i}`, userAgent: 'x'.repeat(600), detail: { n: i } });
      t.clock.advance(1);
    }
  });
  afterAll(() => t?.close());

  it('records an event and reads it back, newest first, with its detail and a bounded user agent', async () => {
    const page = await listAudit(t.core, {});
    expect(page.items.map((e) => e.kind)).toEqual(['logout', 'admin.setting_changed', 'login.succeeded', 'admin.user_updated', 'login.failed']);
    const newest = page.items[0]!;
    expect(newest).toMatchObject({ at: start + 4000, ip: '10.0.0.4', detail: { n: 4 }, user_id: null, user_label: null, actor_id: null });
    expect(newest.user_agent).toHaveLength(512);
    expect(page.next_cursor).toBeNull();
  });

  it('filters by exact kind, by family and by time', async () => {
    expect((await listAudit(t.core, { kind: 'login.failed' })).items.map((e) => e.detail.n)).toEqual([0]);
    expect((await listAudit(t.core, { kind: 'admin.' })).items.map((e) => e.kind)).toEqual(['admin.setting_changed', 'admin.user_updated']);
    expect((await listAudit(t.core, { kind: 'login.' })).items.map((e) => e.kind)).toEqual(['login.succeeded', 'login.failed']);
    expect((await listAudit(t.core, { from: start + 1000, to: start + 3000 })).items.map((e) => e.detail.n)).toEqual([2, 1]);
  });

  it('pages with a cursor: every event once, in order', async () => {
    const first = await listAudit(t.core, { limit: 2 });
    expect(first.items.map((e) => e.detail.n)).toEqual([4, 3]);
    expect(first.next_cursor).not.toBeNull();
    const second = await listAudit(t.core, { limit: 2, cursor: first.next_cursor! });
    const third = await listAudit(t.core, { limit: 2, cursor: second.next_cursor! });
    expect([...second.items, ...third.items].map((e) => e.detail.n)).toEqual([2, 1, 0]);
    expect(third.next_cursor).toBeNull();
  });
});
