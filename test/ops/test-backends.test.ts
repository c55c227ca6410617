import { describe, expect, it } from 'vitest';
import { selectedBackends } from '../support/backends.js';

describe('TEST_BACKENDS', () => {
  it('runs both backends when unset or empty', () => {
    expect(selectedBackends(undefined, false)).toEqual(['sqlite', 'postgres']);
    expect(selectedBackends('', true)).toEqual(['sqlite', 'postgres']);
  });

  it('runs the listed backends, in the usual order', () => {
    expect(selectedBackends('sqlite', false)).toEqual(['sqlite']);
    expect(selectedBackends(' postgres , sqlite ', false)).toEqual(['sqlite', 'postgres']);
  });

  it('refuses an unknown name instead of running nothing', () => {
    expect(() => selectedBackends('mysql', false)).toThrow(/expected a comma list of sqlite, postgres/);
    expect(() => selectedBackends(',', false)).toThrow(/expected a comma list/);
  });

  it('fails loudly under CI, which must run every backend', () => {
    expect(() => selectedBackends('sqlite', true)).toThrow(/CI=true/);
  });
});
