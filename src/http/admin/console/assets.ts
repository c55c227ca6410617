import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ConsoleAsset {
  name: string;
  body: Buffer;
  contentType: string;
  etag: string;
  /** URL with a content hash, so it may be cached for good. */
  url: string;
}

const files: Record<string, string> = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/**
 * src/admin-ui holds the console's stylesheet, script and icon as plain files: nothing to build.
 * Found by walking up from this module, so it works from src/ (tests) and dist/ (npm start) alike.
 */
function uiDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'src', 'admin-ui');
    if (existsSync(join(candidate, 'console.css'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('console assets not found: expected src/admin-ui/ in the Gatehouse directory');
}

let loaded: Map<string, ConsoleAsset> | undefined;

export function consoleAssets(): Map<string, ConsoleAsset> {
  if (loaded) return loaded;
  const dir = uiDir();
  const map = new Map<string, ConsoleAsset>();
  for (const [name, contentType] of Object.entries(files)) {
    const body = readFileSync(join(dir, name));
    const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
    map.set(name, { name, body, contentType, etag: `"${hash}"`, url: `/admin/assets/${name}?v=${hash}` });
  }
  loaded = map;
  return map;
}

export function assetUrl(name: string): string {
  return consoleAssets().get(name)!.url;
}
