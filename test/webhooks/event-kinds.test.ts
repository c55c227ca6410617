import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { webhookAuditKinds } from '../../src/core/webhooks/events.js';

/** Every audit kind the source records (`kind: '…'` or `auditKind: '…'` of an audit row). */
function recordedKinds(): Set<string> {
  const kinds = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) for (const m of readFileSync(path, 'utf8').matchAll(/(?:kind|auditKind): '([a-z_]+\.[a-z_]+)'/g)) kinds.add(m[1]!);
    }
  };
  walk(join(import.meta.dirname, '../../src'));
  return kinds;
}

describe('webhook events from audit kinds', () => {
  it('maps only audit kinds the server records (a misspelt kind would silently send nothing)', () => {
    const recorded = recordedKinds();
    expect(recorded.size).toBeGreaterThan(40);
    expect([...webhookAuditKinds].filter((k) => !recorded.has(k))).toEqual([]);
  });
});
