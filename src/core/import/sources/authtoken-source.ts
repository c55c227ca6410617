import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import type { SourceRow } from './source.js';
import { openTokenSource, q, tokenTables } from './token-source.js';

/** A DRF authtoken row as the source holds it, not yet checked: `key`, `user`, `created` (absent keys stay absent). */
export type RawAuthToken = SourceRow;

/** Where `import-django --tokens` reads DRF keys from: a dumpdata file or the Django database. */
export interface AuthTokenSource {
  label: string;
  /** Credentials the source holds that this import does not copy (for the report). */
  notCopied: string[];
  /** Every row, `size` at a time, in a stable order; may be read more than once (a check pass, then a write pass). */
  pages(size: number): AsyncIterable<RawAuthToken[]>;
  close(): Promise<void>;
}

/** The dumpdata label of DRF's token model. */
export const authtokenModel = 'authtoken.token';

/** Other Django credential models and tables, named in the report when present (not copied yet). */
const otherCredentials: Record<string, string> = {
  'users.refreshtoken': "seed 004's refresh tokens (users.RefreshToken)",
  'token_blacklist.outstandingtoken': "SimpleJWT's outstanding tokens",
  'token_blacklist.blacklistedtoken': "SimpleJWT's blacklist",
};
const otherTables: Record<string, string> = {
  [tokenTables.refresh]: otherCredentials['users.refreshtoken']!,
  [tokenTables.outstanding]: otherCredentials['token_blacklist.outstandingtoken']!,
  [tokenTables.blacklisted]: otherCredentials['token_blacklist.blacklistedtoken']!,
};

function head(file: string, n: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * `manage.py dumpdata authtoken.token` (or a dump holding it among other models): `pk` is the key,
 * `fields.user` the user's pk. Read whole, as the user import reads its dumpdata.
 */
function dumpdataTokens(file: string): AuthTokenSource {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`--tokens ${file} is not dumpdata JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`--tokens ${file} is not dumpdata JSON: expected a list of objects`);
  const models = new Set<string>();
  const rows: RawAuthToken[] = [];
  for (const [i, entry] of (parsed as unknown[]).entries()) {
    const model = entry && typeof entry === 'object' && typeof (entry as { model?: unknown }).model === 'string' ? (entry as { model: string }).model.toLowerCase() : undefined;
    if (model === undefined) throw new Error(`--tokens ${file} is not dumpdata JSON: object ${i + 1} has no "model"`);
    models.add(model);
    if (model !== authtokenModel) continue;
    const { pk, fields } = entry as { pk?: unknown; fields?: unknown };
    const values = fields && typeof fields === 'object' && !Array.isArray(fields) ? (fields as SourceRow) : {};
    const row: RawAuthToken = {};
    if (pk !== undefined) row.key = pk;
    if ('user' in values) row.user = values.user;
    if ('created' in values) row.created = values.created;
    rows.push(row);
  }
  // An empty dump (`[]`) is a project without tokens; objects of other models only are the wrong file.
  if (rows.length === 0 && models.size > 0) {
    throw new Error(`no "${authtokenModel}" objects in ${file} (models present: ${[...models].join(', ') || 'none'}); dump them with: manage.py dumpdata ${authtokenModel}`);
  }
  return {
    label: `${authtokenModel} objects in ${file}`,
    notCopied: [...models].filter((m) => otherCredentials[m]).map((m) => otherCredentials[m]!),
    async *pages(size) {
      for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
    },
    async close() {},
  };
}

/** The Django database itself: `authtoken_token` read in key order with keyset paging. */
async function databaseTokens(from: string): Promise<AuthTokenSource> {
  const source = await openTokenSource(from);
  if (!source.has.authtoken) {
    await source.close();
    throw new Error(`no ${tokenTables.authtoken} table in ${source.label} (the project does not use rest_framework.authtoken)`);
  }
  const t = q(tokenTables.authtoken);
  const select = ({ after, limit }: { after: string | null; limit: string }) =>
    `select ${q('key')} as "key", ${q('user_id')} as "user", ${q('created')} as "created" from ${t}${after ? ` where ${q('key')} > ${after}` : ''} order by ${q('key')} limit ${limit}`;
  const present = Object.entries(source.has).filter(([, has]) => has).map(([name]) => tokenTables[name as keyof typeof tokenTables]);
  return {
    label: `${tokenTables.authtoken} in ${source.label}`,
    notCopied: present.filter((table) => otherTables[table]).map((table) => otherTables[table]!),
    pages: (size) => source.pages(select, 'key', size),
    close: () => source.close(),
  };
}

/** Reads `from` as a dumpdata JSON file, a SQLite database file or a postgres:// URL (as --from does). */
export async function openAuthTokenSource(from: string): Promise<AuthTokenSource> {
  if (/^postgres(ql)?:\/\//.test(from)) return databaseTokens(from);
  const file = from.startsWith('sqlite:') ? from.slice('sqlite:'.length) : from;
  if (!existsSync(file)) throw new Error(`--tokens: no such file: ${file}`);
  const start = head(file, 16);
  if (start.toString('latin1') === 'SQLite format 3\u0000') return databaseTokens(file);
  if (/^\s*[[{]/.test(start.toString('utf8'))) return dumpdataTokens(file);
  throw new Error(`--tokens ${file} is neither dumpdata JSON (manage.py dumpdata ${authtokenModel}) nor a SQLite database`);
}
