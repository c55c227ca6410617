import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commonPasswords, locateCommonPasswords } from '../../../src/core/passwords/common-passwords.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const listPath = join(repoRoot, 'data', 'common-passwords.txt.gz');

describe("Django's common-password list", () => {
  it('holds the 19,727 entries of Django 3.2.25, all lower-case and stripped', () => {
    const list = commonPasswords();
    expect(list.size).toBe(19_727);
    for (const entry of list) expect(entry).toBe(entry.toLowerCase().trim());
    for (const known of ['password', 'godzilla', '123456', 'iloveyou', 'asdfjkl;']) expect(list.has(known)).toBe(true);
  });

  it('is read once', () => {
    expect(commonPasswords()).toBe(commonPasswords());
  });

  it('is found from src/ (vitest) and from dist/src/ (tsc output) alike', () => {
    expect(existsSync(listPath)).toBe(true);
    expect(locateCommonPasswords()).toBe(listPath);
    expect(locateCommonPasswords(join(repoRoot, 'dist', 'src', 'core', 'passwords'))).toBe(listPath);
  });

  it('says where it looked when the file is missing', () => {
    expect(() => locateCommonPasswords('/')).toThrow(/data\/common-passwords\.txt\.gz not found above \//);
  });
});
