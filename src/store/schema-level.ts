import type { Config } from '../config.js';
import { openStore, type Store } from './db.js';
import { migrateToLatest, schemaLevel } from './migrate.js';

/** The database is not at this build's migration level; the message says what to do. */
export class SchemaLevelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaLevelError';
  }
}

/** A database URL fit to print: the password (in the authority or a `password=` parameter) masked. */
export function maskDatabaseUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:@/]*):[^@/]*@/i, '$1:***@').replace(/([?&]password=)[^&]*/gi, '$1***');
}

/** Throws a SchemaLevelError unless the database has exactly this build's migrations. */
export async function requireSchemaLevel(store: Store, config: Pick<Config, 'databaseUrl' | 'databaseSchema'>): Promise<void> {
  const level = await schemaLevel(store);
  const where = `database ${maskDatabaseUrl(config.databaseUrl)}${config.databaseSchema ? ` (schema ${config.databaseSchema})` : ''}`;
  if (level.unknown.length) {
    throw new SchemaLevelError(
      `${where} is at migration ${level.at}, ahead of this build (which knows up to ${level.needs}; unknown: ${level.unknown.join(', ')}): ` +
        'run the Gatehouse version that migrated it, or a newer one',
    );
  }
  if (level.empty) throw new SchemaLevelError(`${where} has no Gatehouse schema: run "gatehouse migrate"`);
  if (level.missing.length) {
    // A gap below the newest applied migration (one skipped by an older build) is named, or "at 11, needs 11" would puzzle.
    const gap = level.at >= level.needs ? ` (missing ${level.missing.join(', ')})` : '';
    throw new SchemaLevelError(`${where} is at migration ${level.at}, this build needs ${level.needs}${gap}: run "gatehouse migrate"`);
  }
}

/**
 * Before `serve` starts: with GATEHOUSE_AUTO_MIGRATE, migrate first (Kysely's migration lock
 * keeps concurrent starts apart); then refuse a database that is not at this build's level.
 */
export async function prepareSchema(config: Config): Promise<void> {
  const store = openStore(config.databaseUrl, { schema: config.databaseSchema, poolSize: 1 });
  try {
    // A database ahead of the build is never "migrated": the check below explains instead.
    if (config.autoMigrate && !(await schemaLevel(store)).unknown.length) await migrateToLatest(store);
    await requireSchemaLevel(store, config);
  } finally {
    await store.close();
  }
}
