import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AccountAsset {
  body: Buffer;
  contentType: string;
  etag: string;
  /** The URL with a content hash, so it may be cached for good. */
  url: string;
}

/** Served at /account/assets/<name>: the page's own files (src/account-ui) and the WebAuthn browser library. */
const ownFiles: Record<string, string> = {
  'account.css': 'text/css; charset=utf-8',
  'account.js': 'text/javascript; charset=utf-8',
  'passkeys.js': 'text/javascript; charset=utf-8',
  'passkey-step.js': 'text/javascript; charset=utf-8',
};

/** src/account-ui, found by walking up from this module, so it works from src/ (tests) and dist/ alike. */
function uiDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'src', 'account-ui');
    if (existsSync(join(candidate, 'passkeys.js'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('account page assets not found: expected src/account-ui/ in the Gatehouse directory');
}

/** @simplewebauthn/browser's UMD bundle (it defines `window.SimpleWebAuthnBrowser`), from the installed package. */
function webauthnBundle(): Buffer {
  const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  let dir = dirname(entry);
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'dist', 'bundle', 'index.umd.min.js');
    if (existsSync(candidate)) return readFileSync(candidate);
    dir = dirname(dir);
  }
  throw new Error('@simplewebauthn/browser: dist/bundle/index.umd.min.js not found');
}

function asset(name: string, body: Buffer, contentType: string): AccountAsset {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
  return { body, contentType, etag: `"${hash}"`, url: `/account/assets/${name}?v=${hash}` };
}

let loaded: Map<string, AccountAsset> | undefined;

export function accountAssets(): Map<string, AccountAsset> {
  if (loaded) return loaded;
  const dir = uiDir();
  const map = new Map<string, AccountAsset>();
  for (const [name, type] of Object.entries(ownFiles)) map.set(name, asset(name, readFileSync(join(dir, name)), type));
  map.set('simplewebauthn-browser.js', asset('simplewebauthn-browser.js', webauthnBundle(), 'text/javascript; charset=utf-8'));
  loaded = map;
  return map;
}

/**
 * The scripts a page loads (in this order) to run passkey ceremonies against the /v1 API:
 * the WebAuthn library, then `passkeys.js` (window.GatehousePasskeys). The OIDC sign-in pages use them too.
 */
export function passkeyScriptUrls(): string[] {
  const assets = accountAssets();
  return [assets.get('simplewebauthn-browser.js')!.url, assets.get('passkeys.js')!.url];
}

/** The scripts of a second-factor page's "Use a passkey" form (`passkey-step.js`, its markup described there). */
export function passkeyStepScriptUrls(): string[] {
  return [...passkeyScriptUrls(), accountAssets().get('passkey-step.js')!.url];
}

export function accountAssetUrl(name: string): string {
  return accountAssets().get(name)!.url;
}
