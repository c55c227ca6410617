import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Suites that disturb shared services run alone afterwards (vitest.serial.config.ts).
    exclude: ['test/**/*.serial.test.ts', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for a page or a worker to catch up: a second (the default) is too short on
    // a loaded 2-core machine, where one argon2id verify beside a browser can take longer.
    expect: { poll: { timeout: 15_000 } },
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
