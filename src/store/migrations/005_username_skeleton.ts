import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';
import { usernameSkeleton } from '../user-keys.js';

/**
 * Login names learn their confusable skeleton (core/users/skeleton.ts), indexed so "is a look-alike
 * of this name taken" is one index probe. Not unique: accounts that already look alike keep their names.
 */
export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('users').addColumn('username_skeleton', 'text').execute();
  await db.schema.createIndex('users_username_skeleton').on('users').column('username_skeleton').execute();
  // Existing login names, a batch at a time (keyset on id), so a large table never sits in memory.
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('users').select(['id', 'username']).where('username_key', 'is not', null).where('id', '>', after).orderBy('id').limit(1000).execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      await db.updateTable('users').set({ username_skeleton: usernameSkeleton(String(row.username)) }).where('id', '=', row.id).execute();
    }
    after = Number(rows[rows.length - 1].id);
  }
}
