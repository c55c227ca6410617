import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configVariables } from '../../src/config.js';
import { rateLimitSetting } from '../../src/core/rate-limit.js';

const doc = readFileSync(new URL('../../docs/production.md', import.meta.url), 'utf8');

describe('docs/production.md', () => {
  it('documents every configuration variable', () => {
    const missing = configVariables.map((v) => v.name).filter((name) => !doc.includes(`| \`${name}\` |`));
    expect(missing).toEqual([]);
  });

  it('names every rate-limit setting', () => {
    const missing = [...new Set(Object.values(rateLimitSetting))].filter((key) => !doc.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });
});
