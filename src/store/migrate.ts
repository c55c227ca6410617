import { Migrator, sql, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { sqliteOptimizeAtOpen, type Store } from './db.js';
import * as initial from './migrations/001_initial.js';
import * as resetGrants from './migrations/002_reset_grants.js';
import * as resetDecoys from './migrations/004_reset_decoys.js';
import * as usernameSkeletons from './migrations/005_username_skeleton.js';
import * as deviceTokens from './migrations/006_device_tokens.js';
import * as retentionIndexes from './migrations/007_retention_indexes.js';
import * as requestPathIndexes from './migrations/008_request_path_indexes.js';
import * as userSearch from './migrations/009_user_search.js';

/** Migrations in order; each takes the dialect so one file creates both schemas. */
const migrations = { '001_initial': initial, '002_reset_grants': resetGrants, '004_reset_decoys': resetDecoys, '005_username_skeleton': usernameSkeletons, '006_device_tokens': deviceTokens, '007_retention_indexes': retentionIndexes, '008_request_path_indexes': requestPathIndexes, '009_user_search': userSearch };

class InCodeProvider implements MigrationProvider {
  constructor(private readonly store: Store) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, m] of Object.entries(migrations)) {
      out[name] = { up: (db) => m.up(db, this.store.dialect) };
    }
    return out;
  }
}

export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({
    db: store.db,
    provider: new InCodeProvider(store),
    // Kysely looks for its tables across all schemas unless told which one is ours.
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  // New tables and indexes get planner statistics at once (SQLite has no autovacuum to gather them).
  if (store.dialect === 'sqlite' && result.results?.length) await sql.raw(`pragma optimize=${sqliteOptimizeAtOpen}`).execute(store.db);
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
