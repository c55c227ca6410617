import type { SourceRow } from './source.js';
import { q, type TokenSource, tokenTables } from './token-source.js';

/** The dumpdata labels of rest_framework_simplejwt.token_blacklist's models. */
export const outstandingModel = 'token_blacklist.outstandingtoken';
export const blacklistedModel = 'token_blacklist.blacklistedtoken';

/**
 * A SimpleJWT blacklist entry as the source holds it, not yet checked: the outstanding token's `jti`,
 * `expires_at` and `user` (null when the token was not issued to a user, or the user is deleted);
 * `outstanding` names the row a dumpdata entry points to when the dump lacks it.
 */
export type RawBlacklisted = SourceRow;

/** SimpleJWT's blacklist (token_blacklist_blacklistedtoken joined to its outstanding token), in pages. */
export interface BlacklistSource {
  label: string;
  /** Every entry, `size` at a time, in a stable order; may be read more than once (a check pass, then a write pass). */
  pages(size: number): AsyncIterable<RawBlacklisted[]>;
  close(): Promise<void>;
}

const fieldsOf = (entry: unknown): SourceRow => {
  const fields = (entry as { fields?: unknown }).fields;
  return fields && typeof fields === 'object' && !Array.isArray(fields) ? (fields as SourceRow) : {};
};

/**
 * `manage.py dumpdata token_blacklist`: blacklistedtoken objects point (`fields.token`) at the pk of an
 * outstandingtoken object holding the jti and expiry. Undefined when the dump has no token_blacklist objects.
 */
export function dumpdataBlacklist(entries: unknown[], file: string): BlacklistSource | undefined {
  const outstanding = new Map<string, SourceRow>();
  const pointers: unknown[] = [];
  let present = false;
  for (const entry of entries) {
    const model = entry && typeof entry === 'object' && typeof (entry as { model?: unknown }).model === 'string' ? (entry as { model: string }).model.toLowerCase() : undefined;
    if (model === outstandingModel || model === blacklistedModel) present = true;
    if (model === outstandingModel) outstanding.set(JSON.stringify((entry as { pk?: unknown }).pk ?? null), fieldsOf(entry));
    else if (model === blacklistedModel) pointers.push(fieldsOf(entry).token);
  }
  if (!present) return undefined;
  const rows: RawBlacklisted[] = pointers.map((pk) => {
    const o = outstanding.get(JSON.stringify(pk ?? null));
    return o ? { jti: o.jti, expires_at: o.expires_at, user: o.user ?? null } : { outstanding: pk ?? null };
  });
  return {
    label: `${blacklistedModel} objects in ${file}`,
    async *pages(size) {
      for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
    },
    async close() {},
  };
}

/** The Django database's blacklist, keyset-paged on the blacklist row's id; undefined without both tables. */
export async function databaseBlacklist(source: TokenSource): Promise<BlacklistSource | undefined> {
  if (!source.has.blacklisted || !source.has.outstanding) return undefined;
  const b = tokenTables.blacklisted;
  const o = tokenTables.outstanding;
  const select = ({ after, limit }: { after: string | null; limit: string }) =>
    `select ${q(b, 'id')} as "id", ${q(o, 'jti')} as "jti", ${q(o, 'expires_at')} as "expires_at", ${q(o, 'user_id')} as "user" from ${q(b)} join ${q(o)} on ${q(o, 'id')} = ${q(b, 'token_id')}${after ? ` where ${q(b, 'id')} > ${after}` : ''} order by ${q(b, 'id')} limit ${limit}`;
  return { label: `${b} in ${source.label}`, pages: (size) => source.pages(select, 'id', size), close: () => source.close() };
}
