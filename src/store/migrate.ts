import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Store } from './db.js';
import { dialectOf } from './dialect/index.js';
import * as initial from './migrations/001_initial.js';
import * as resetGrants from './migrations/002_reset_grants.js';
import * as resetDecoys from './migrations/004_reset_decoys.js';
import * as usernameSkeletons from './migrations/005_username_skeleton.js';
import * as deviceTokens from './migrations/006_device_tokens.js';
import * as retentionIndexes from './migrations/007_retention_indexes.js';
import * as requestPathIndexes from './migrations/008_request_path_indexes.js';
import * as userSearch from './migrations/009_user_search.js';
import * as adminListIndexes from './migrations/010_admin_list_indexes.js';
import * as heartbeat from './migrations/011_heartbeat.js';
import * as serviceKeys from './migrations/012_service_keys.js';
import * as userLocale from './migrations/019_user_locale.js';
import * as mfa from './migrations/013_mfa.js';
import * as passkeys from './migrations/014_passkeys.js';
import * as oidc from './migrations/015_oidc.js';
import * as djangoTokenUses from './migrations/018_django_token_uses.js';
import * as mfaRequirement from './migrations/017_mfa_requirement.js';
import * as webhooks from './migrations/016_webhooks.js';

/** Migrations in order; each takes the dialect so one file creates both schemas. */
const migrations = { '001_initial': initial, '002_reset_grants': resetGrants, '004_reset_decoys': resetDecoys, '005_username_skeleton': usernameSkeletons, '006_device_tokens': deviceTokens, '007_retention_indexes': retentionIndexes, '008_request_path_indexes': requestPathIndexes, '009_user_search': userSearch, '010_admin_list_indexes': adminListIndexes, '011_heartbeat': heartbeat, '012_service_keys': serviceKeys, '013_mfa': mfa, '019_user_locale': userLocale, '014_passkeys': passkeys, '015_oidc': oidc, '018_django_token_uses': djangoTokenUses, '017_mfa_requirement': mfaRequirement, '016_webhooks': webhooks };

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
  if (result.results?.length) await dialectOf(store.db).gatherStatistics(store.db);
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Where a database stands against this build's migrations. */
export interface SchemaLevel {
  /** No migration was ever applied: not a Gatehouse database (yet). */
  empty: boolean;
  /** Applied migrations this build does not know (the database is ahead of the build). */
  unknown: string[];
  /** This build's migrations the database lacks. */
  missing: string[];
  /** The numbers of the newest applied migration and of this build's newest (`009_user_search` is 9). */
  at: number;
  needs: number;
}

const migrationNumber = (name: string | undefined): number => Number(/^(\d+)/.exec(name ?? '')?.[1] ?? 0);

/** Compares the migrations recorded in the database with this build's, without changing anything. */
export async function schemaLevel(store: Pick<Store, 'db'>): Promise<SchemaLevel> {
  // Sorted as the migrator runs them, whatever order the object lists them in.
  const known = Object.keys(migrations).sort();
  const tables = await store.db.introspection.getTables({ withInternalKyselyTables: true });
  const recorded = tables.some((t) => t.name === 'kysely_migration')
    ? (await (store.db as unknown as Kysely<{ kysely_migration: { name: string } }>).selectFrom('kysely_migration').select('name').execute()).map((r) => r.name)
    : [];
  const applied = recorded.sort();
  return {
    empty: applied.length === 0,
    unknown: applied.filter((name) => !known.includes(name)),
    missing: known.filter((name) => !applied.includes(name)),
    at: migrationNumber(applied.at(-1)),
    needs: migrationNumber(known.at(-1)),
  };
}
