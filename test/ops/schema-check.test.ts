import type { Kysely } from 'kysely';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliArgs } from '../support/cli.js';
import { openStore } from '../../src/store/db.js';
import { migrateToLatest, schemaLevel } from '../../src/store/migrate.js';
import { maskDatabaseUrl } from '../../src/store/schema-level.js';
import { dropSchema, postgresUrl } from '../support/backends.js';

const root = resolve(import.meta.dirname, '../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The server said it was listening (and was then stopped with SIGTERM). */
  listened: boolean;
}

/** Runs the real CLI as cli.test.ts does; a server that gets ready is stopped with SIGTERM. */
function gatehouse(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, cliArgs(args), {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', PORT: '0', GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-schema-')), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let listened = false;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!listened && stdout.includes('Gatehouse listening on')) {
        listened = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr, listened }));
  });
}

// The password is masked in every message (the test server trusts local connections, so any password works).
const withPassword = postgresUrl.replace('postgres://postgres@', 'postgres://postgres:s3cret@');
const masked = withPassword.replace(':s3cret@', ':***@');
const schemas: string[] = [];
const newSchema = () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  return schema;
};

/** A PostgreSQL schema migrated to this build's level, then changed by `alter`. */
async function migratedSchema(alter: (db: ReturnType<typeof openStore>['db']) => Promise<unknown>): Promise<string> {
  const schema = newSchema();
  const store = openStore(postgresUrl, { schema });
  try {
    await migrateToLatest(store);
    await alter(store.db);
  } finally {
    await store.close();
  }
  return schema;
}

describe('the database\'s migration level is checked at start', { timeout: 180_000 }, () => {
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(schema);
  });

  it.concurrent('an empty PostgreSQL database: serve and check stop with the message and exit 1; GATEHOUSE_AUTO_MIGRATE=1 migrates', async () => {
    const schema = newSchema();
    const env = { DATABASE_URL: withPassword, DATABASE_SCHEMA: schema };
    const [served, checked] = await Promise.all([gatehouse(['serve'], env), gatehouse(['check'], env)]);
    const message = `database ${masked} (schema ${schema}) has no Gatehouse schema: run "gatehouse migrate"`;
    for (const run of [served, checked]) {
      expect(run.code).toBe(1);
      expect(run.listened).toBe(false);
      expect(run.stderr.trim()).toBe(message);
      expect(run.stderr + run.stdout).not.toContain('s3cret');
    }

    const auto = await gatehouse(['serve'], { ...env, GATEHOUSE_AUTO_MIGRATE: '1' });
    expect(auto.stderr).toBe('');
    expect(auto.listened).toBe(true);
    const after = await gatehouse(['check'], env);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/database reachable \(postgres\) and at this build's migration level/);
  });

  it.concurrent('a database behind the build names both levels', async () => {
    // The newest migration is the one a build ahead of its database has and the database lacks.
    let newest = '';
    const schema = await migratedSchema(async (db) => {
      const rows = await (db as unknown as Kysely<{ kysely_migration: { name: string } }>).selectFrom('kysely_migration').select('name').execute();
      newest = rows.map((r) => r.name).sort().at(-1)!;
      await db.deleteFrom('kysely_migration' as never).where('name' as never, '=', newest as never).execute();
    });
    const store = openStore(postgresUrl, { schema });
    const level = await schemaLevel(store).finally(() => store.close());
    expect(level.missing).toEqual([newest]);
    const env = { DATABASE_URL: withPassword, DATABASE_SCHEMA: schema };
    const [served, checked] = await Promise.all([gatehouse(['serve'], env), gatehouse(['check'], env)]);
    for (const run of [served, checked]) {
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toBe(`database ${masked} (schema ${schema}) is at migration ${level.at}, this build needs ${level.needs}: run "gatehouse migrate"`);
    }
  });

  it.concurrent('a database ahead of the build stops serve and check, even with GATEHOUSE_AUTO_MIGRATE=1', async () => {
    const schema = await migratedSchema((db) => db.insertInto('kysely_migration' as never).values({ name: '999_from_the_future', timestamp: new Date().toISOString() } as never).execute());
    const env = { DATABASE_URL: withPassword, DATABASE_SCHEMA: schema };
    const [served, auto, checked] = await Promise.all([gatehouse(['serve'], env), gatehouse(['serve'], { ...env, GATEHOUSE_AUTO_MIGRATE: '1' }), gatehouse(['check'], env)]);
    for (const run of [served, auto, checked]) {
      expect(run.code).toBe(1);
      expect(run.listened).toBe(false);
      expect(run.stderr.trim()).toMatch(new RegExp(`^database ${masked.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(schema ${schema}\\) is at migration 999, ahead of this build \\(which knows up to \\d+; unknown: 999_from_the_future\\)`));
    }
  });

  it('masks passwords in printed URLs, in the authority or a password= parameter', () => {
    expect(maskDatabaseUrl('postgres://gh:p%40ss:w@db:5432/gh')).toBe('postgres://gh:***@db:5432/gh');
    expect(maskDatabaseUrl('postgresql://gh@db/gh?sslmode=require&password=hunter2')).toBe('postgresql://gh@db/gh?sslmode=require&password=***');
    expect(maskDatabaseUrl('postgres://db/gh')).toBe('postgres://db/gh');
    expect(maskDatabaseUrl('sqlite:/var/lib/gatehouse/gatehouse.db')).toBe('sqlite:/var/lib/gatehouse/gatehouse.db');
  });

  it.concurrent('SQLite migrates at start by default; GATEHOUSE_AUTO_MIGRATE=0 stops on an empty file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-schema-'));
    const url = `sqlite:${join(dir, 'gatehouse.db')}`;
    const refused = await gatehouse(['serve'], { DATABASE_URL: url, GATEHOUSE_AUTO_MIGRATE: '0' });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(`database ${url} has no Gatehouse schema: run "gatehouse migrate"`);
    const served = await gatehouse(['serve'], { DATABASE_URL: url });
    expect(served.listened).toBe(true);
  });
});
