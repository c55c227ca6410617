import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { strip } from './python-text.js';

const LIST_PATH = join('data', 'common-passwords.txt.gz');

/** Walks up from this module to the folder holding data/, so src/ (vitest) and dist/src/ (tsc) both find it. */
export function locateCommonPasswords(start = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, LIST_PATH);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${LIST_PATH} not found above ${start}`);
  }
}

let passwords: ReadonlySet<string> | undefined;

/** Django's ≈20,000 common passwords, read once (10–40 ms): call it at start-up to keep that off a request. */
export function commonPasswords(): ReadonlySet<string> {
  passwords ??= new Set(
    gunzipSync(readFileSync(locateCommonPasswords()))
      .toString('utf8')
      .split('\n')
      .map((line) => strip(line))
      // A trailing newline must not put the empty password on the list.
      .filter((line) => line !== ''),
  );
  return passwords;
}
