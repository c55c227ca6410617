import type { Core } from '../core.js';

/** What a token import needs: the store, a clock, and a log for after-commit effects. */
export type TokenImportCtx = Pick<Core, 'db' | 'log' | 'clock' | 'config'>;

/** The file or table has rows that cannot be read as DRF keys; nothing was written. */
export class TokenImportError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    const shown = problems.slice(0, 20);
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
    super(`--tokens: ${source} has ${problems.length} unreadable row${problems.length === 1 ? '' : 's'}; nothing was imported:\n${shown.map((p) => `  ${p}`).join('\n')}${more}`);
    this.name = 'TokenImportError';
  }
}
