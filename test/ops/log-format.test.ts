import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { built } from '../support/cli.js';
import { ConfigError, loadConfig } from '../../src/config.js';

const root = resolve(import.meta.dirname, '../..');
const base = { GATEHOUSE_DATA_DIR: '/tmp/gatehouse-log-format-test' };
const production = { ...base, GATEHOUSE_ENV: 'production', GATEHOUSE_SECRET_KEY: 'k'.repeat(40), GATEHOUSE_PUBLIC_URL: 'https://auth.example.com', GATEHOUSE_METRICS_TOKEN: 'm'.repeat(32), GATEHOUSE_MAIL: 'file' };

describe('GATEHOUSE_LOG_FORMAT', () => {
  it('is pretty in development, JSON in production and tests, and either when asked', () => {
    expect(loadConfig({ ...base }).logFormat).toBe('pretty');
    expect(loadConfig({ ...base, GATEHOUSE_ENV: 'test' }).logFormat).toBe('json');
    expect(loadConfig(production).logFormat).toBe('json');
    expect(loadConfig({ ...base, GATEHOUSE_LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(loadConfig({ ...production, GATEHOUSE_LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
  });

  it('refuses anything else, naming the choices', () => {
    expect(() => loadConfig({ ...base, GATEHOUSE_LOG_FORMAT: 'text' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, GATEHOUSE_LOG_FORMAT: 'text' })).toThrow('GATEHOUSE_LOG_FORMAT: expected one of json, pretty, got "text"');
  });

  it('pretty lines go to stdout, readable and still redacted', async () => {
    const script = [
      `import { createLogger } from ${JSON.stringify(pathToFileURL(built('src/logger.ts')).href)};`,
      "const log = createLogger({ logLevel: 'info', logFormat: 'pretty' });",
      "log.info({ password: 'hunter2-secret', req: { method: 'GET', url: '/verify?token=abc123', headers: { cookie: 'sid=1' } } }, 'pretty line');",
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env: { PATH: process.env.PATH ?? '' } });
    expect(stdout).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(\d+\): pretty line$/m);
    expect(() => JSON.parse(stdout.split('\n')[0]!)).toThrow();
    expect(stdout).toContain('[redacted]');
    expect(stdout).not.toContain('hunter2-secret');
    expect(stdout).not.toContain('abc123');
    expect(stdout).not.toContain('sid=1');
  });
});
