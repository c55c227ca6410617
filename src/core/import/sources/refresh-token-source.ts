import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import type { SourceRow } from './source.js';
import { authtokenModel } from './authtoken-source.js';
import { type BlacklistSource, databaseBlacklist, dumpdataBlacklist } from './blacklist-source.js';
import { openTokenSource, q, tokenTables } from './token-source.js';

/** The dumpdata label of seed 004's refresh-token model (users.RefreshToken: user, token UUID, created_at, expires_at). */
export const refreshTokenModel = 'users.refreshtoken';

/** A seed 004 refresh-token row as the source holds it, not yet checked: `token`, `user`, `created_at`, `expires_at`. */
export type RawRefreshToken = SourceRow;

/** Seed 004's refresh tokens in a dumpdata file or the Django database (a used or logged-out token is a deleted row). */
export interface RefreshTokenSource {
  label: string;
  pages(size: number): AsyncIterable<RawRefreshToken[]>;
  close(): Promise<void>;
}

/** What `--tokens SOURCE` holds: DRF keys, seed 004's refresh tokens, SimpleJWT's blacklist, or several. */
export interface DjangoTokenKinds {
  authtoken: boolean;
  /** Undefined when the source has no users.RefreshToken objects or table. */
  refresh: RefreshTokenSource | undefined;
  /** Undefined when the source has no token_blacklist blacklisted tokens (objects, or both tables). */
  blacklist: BlacklistSource | undefined;
}

function isSqlite(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    return buf.subarray(0, readSync(fd, buf, 0, 16, 0)).toString('latin1') === 'SQLite format 3\u0000';
  } finally {
    closeSync(fd);
  }
}

/** `manage.py dumpdata users.refreshtoken` (or a dump holding it): `fields.token`, `fields.user` (the user's pk), the two dates. */
function dumpdataKinds(file: string): DjangoTokenKinds {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // Not JSON: openAuthTokenSource says so.
    return { authtoken: true, refresh: undefined, blacklist: undefined };
  }
  if (!Array.isArray(parsed)) return { authtoken: true, refresh: undefined, blacklist: undefined };
  let authtoken = false;
  const rows: RawRefreshToken[] = [];
  for (const entry of parsed as unknown[]) {
    const model = entry && typeof entry === 'object' && typeof (entry as { model?: unknown }).model === 'string' ? (entry as { model: string }).model.toLowerCase() : undefined;
    if (model === authtokenModel) authtoken = true;
    if (model !== refreshTokenModel) continue;
    const { fields } = entry as { fields?: unknown };
    const values = fields && typeof fields === 'object' && !Array.isArray(fields) ? (fields as SourceRow) : {};
    const row: RawRefreshToken = {};
    for (const name of ['token', 'user', 'created_at', 'expires_at']) if (name in values) row[name] = values[name];
    rows.push(row);
  }
  const blacklist = dumpdataBlacklist(parsed as unknown[], file);
  if (rows.length === 0 && !blacklist) return { authtoken: true, refresh: undefined, blacklist: undefined };
  return {
    authtoken,
    blacklist,
    refresh: rows.length === 0 ? undefined : {
      label: `${refreshTokenModel} objects in ${file}`,
      async *pages(size) {
        for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
      },
      async close() {},
    },
  };
}

/** The Django database: `users_refreshtoken` in id order, keyset-paged by the token source. */
async function databaseKinds(from: string): Promise<DjangoTokenKinds> {
  const source = await openTokenSource(from);
  if (!source.has.refresh) {
    const blacklist = await databaseBlacklist(source);
    if (blacklist) return { authtoken: source.has.authtoken, refresh: undefined, blacklist };
    await source.close();
    return { authtoken: true, refresh: undefined, blacklist: undefined };
  }
  // Each kind reads on a connection of its own, closed with it.
  const blacklist = source.has.blacklisted && source.has.outstanding ? await databaseBlacklist(await openTokenSource(from)) : undefined;
  const t = q(tokenTables.refresh);
  const select = ({ after, limit }: { after: string | null; limit: string }) =>
    `select ${q('id')} as "id", ${q('token')} as "token", ${q('user_id')} as "user", ${q('created_at')} as "created_at", ${q('expires_at')} as "expires_at" from ${t}${after ? ` where ${q('id')} > ${after}` : ''} order by ${q('id')} limit ${limit}`;
  return {
    authtoken: source.has.authtoken,
    blacklist,
    refresh: { label: `${tokenTables.refresh} in ${source.label}`, pages: (size) => source.pages(select, 'id', size), close: () => source.close() },
  };
}

/**
 * What `from` (as --tokens takes it) holds. A source without seed 004's refresh tokens or SimpleJWT's blacklist reports
 * `authtoken: true` so the authtoken reader gives its own answer (or its error) as before.
 */
export async function probeDjangoTokens(from: string): Promise<DjangoTokenKinds> {
  if (/^postgres(ql)?:\/\//.test(from)) return databaseKinds(from);
  const file = from.startsWith('sqlite:') ? from.slice('sqlite:'.length) : from;
  if (!existsSync(file)) return { authtoken: true, refresh: undefined, blacklist: undefined };
  return isSqlite(file) ? databaseKinds(file) : dumpdataKinds(file);
}
