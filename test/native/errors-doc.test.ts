import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCatalog } from '../../src/core/errors.js';

const doc = readFileSync(resolve(import.meta.dirname, '../../docs/errors.md'), 'utf8');

/** Rows of the catalog table: `| \`code\` | status | meaning | when |`. */
const rows = new Map(
  [...doc.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => [m[1]!, { status: Number(m[2]), meaning: m[3]!.trim(), when: m[4]!.trim() }]),
);

describe('docs/errors.md', () => {
  it.each(Object.entries(errorCatalog))('documents %s with its status and title', (code, entry) => {
    const row = rows.get(code);
    expect(row, `docs/errors.md has no row for ${code}`).toBeDefined();
    expect(row!.status).toBe(entry.status);
    expect(row!.meaning).toBe(entry.title);
    expect(row!.when.length).toBeGreaterThan(20);
  });

  it('documents no code the catalog lacks', () => {
    for (const code of rows.keys()) expect(Object.keys(errorCatalog)).toContain(code);
  });
});
