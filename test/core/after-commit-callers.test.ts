import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// DESIGN: effects of a transaction run only after it commits, registered inside it (core/transaction.ts);
// no call site publishes by hand. A call made by hand after a commit is easy to forget on one path and
// runs even when the caller's own transaction later rolls back, so every one goes through afterCommit.
const effects = /\.(users\.invalidate|revocations\.publish|apiTokens\.forget)\(/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('after-commit effects', () => {
  it('every cache invalidation, revocation publish and token forget in src/ is registered with afterCommit', () => {
    const byHand: string[] = [];
    for (const file of sources('src')) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!effects.test(line) || line.includes('afterCommit(')) return;
        // end-access.ts announces through one function that is itself registered with afterCommit.
        if (file.endsWith('end-access.ts') && /afterCommit\(core, trx, \(\) => announceEndedAccess/.test(lines.join('\n'))) return;
        byHand.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(byHand).toEqual([]);
  });
});
