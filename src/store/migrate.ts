import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Store } from './db.js';
import * as initial from './migrations/001_initial.js';
import * as resetGrants from './migrations/002_reset_grants.js';
import * as resetDecoys from './migrations/004_reset_decoys.js';
import * as usernameSkeletons from './migrations/005_username_skeleton.js';

/** Migrations in order; each takes the dialect so one file creates both schemas. */
const migrations = { '001_initial': initial, '002_reset_grants': resetGrants, '004_reset_decoys': resetDecoys, '005_username_skeleton': usernameSkeletons };

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
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
