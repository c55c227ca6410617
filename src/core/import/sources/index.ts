import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { dumpdataSource } from './dumpdata.js';
import { postgresSource } from './postgres.js';
import type { SourceOptions, UserSource } from './source.js';
import { sqliteSource } from './sqlite.js';

export type { SourceOptions, SourceRow, UserSource } from './source.js';

function firstBytes(file: string, n: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

/** Reads `from` as a PostgreSQL URL, a dumpdata JSON file or a SQLite database file (told apart by its first bytes). */
export async function openUserSource(from: string, options: SourceOptions = {}): Promise<UserSource> {
  if (/^postgres(ql)?:\/\//.test(from)) return postgresSource(from, options);
  const file = from.startsWith('sqlite:') ? from.slice('sqlite:'.length) : from;
  if (!existsSync(file)) throw new Error(`no such file: ${file}`);
  const head = firstBytes(file, 16);
  if (head.toString('latin1') === 'SQLite format 3\u0000') return sqliteSource(file, options);
  if (/^\s*\[/.test(head.toString('utf8'))) return dumpdataSource(file, options);
  throw new Error(`${file} is neither a SQLite database nor dumpdata JSON`);
}
