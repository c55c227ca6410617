import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../../src/config.js';

/** A test config with its own data dir; `env` entries win. */
export function testConfig(env: Record<string, string> = {}): Config {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-mail-'));
  return loadConfig({
    GATEHOUSE_ENV: 'test',
    GATEHOUSE_DATA_DIR: dataDir,
    GATEHOUSE_PRODUCT_NAME: 'Acme ID',
    GATEHOUSE_PUBLIC_URL: 'https://id.acme.test',
    MAIL_FROM: 'Acme ID <no-reply@acme.test>',
    ...env,
  });
}

