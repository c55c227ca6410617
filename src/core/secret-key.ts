import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { randomToken } from './secrets.js';

/**
 * GATEHOUSE_SECRET_KEY, or (outside production) one generated into the data dir on
 * first start and reused after, so tokens survive restarts with no configuration.
 */
export function resolveSecretKey(config: Config): { key: string; generated: boolean; file?: string } {
  if (config.secretKey) return { key: config.secretKey, generated: false };
  if (config.env === 'production') throw new Error('GATEHOUSE_SECRET_KEY is required in production');
  const file = join(config.dataDir, 'secret_key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), generated: true, file };
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomToken(48);
  writeFileSync(file, key + '\n', { mode: 0o600, flag: 'wx' });
  return { key, generated: true, file };
}
