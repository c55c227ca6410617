import { defineConfig } from 'vitest/config';

/** Suites that restart shared services (PostgreSQL): one file at a time, after the main pass. */
export default defineConfig({
  test: {
    include: ['test/**/*.serial.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
