import { describe, expect, it } from 'vitest';
import { fr } from '../../src/i18n/fr.js';
import { frConsoleOperations } from '../../src/i18n/fr-console-operations.js';
import { frConsoleUsers } from '../../src/i18n/fr-console-users.js';

const catalogues: Record<string, Readonly<Record<string, string>>> = {
  'fr.ts': fr,
  'fr-console-users.ts': frConsoleUsers,
  'fr-console-operations.ts': frConsoleOperations,
};
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('the French catalogues', () => {
  it('hold each msgid once: a text translated in one catalogue is not translated again (and differently) in another', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [file, entries] of Object.entries(catalogues)) {
      for (const msgid of Object.keys(entries)) {
        if (seen.has(msgid)) twice.push(`"${msgid}" in ${seen.get(msgid)} and ${file}`);
        else seen.set(msgid, file);
      }
    }
    expect(twice).toEqual([]);
  });

  it('keep every placeholder of the English text, and translate into something', () => {
    for (const [file, entries] of Object.entries(catalogues)) {
      for (const [msgid, text] of Object.entries(entries)) {
        expect(text.trim(), `${file}: "${msgid}"`).not.toBe('');
        expect(placeholders(text), `${file}: "${msgid}"`).toEqual(placeholders(msgid));
      }
    }
  });
});
