import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { postgresUrl, withPostgres } from '../support/backends.js';

import { hs256Secret } from '../../src/core/secrets.js';
import { runCli } from '../support/cli.js';
import { testPassword } from '../support/passwords.js';

/** Runs the real CLI (the build in dist/) with only the environment given. */
const gatehouse = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env });

const tempDataDir = () => mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));

// Each run starts Node and loads the whole CLI (seconds on a busy machine): few runs, in parallel, generous timeouts.
describe('gatehouse CLI', { timeout: 180_000 }, () => {
  it.concurrent('--help lists every command; <cmd> --help explains one', async () => {
    const [top, create] = await Promise.all([gatehouse(['--help']), gatehouse(['createsuperuser', '-h'])]);
    expect(top.code).toBe(0);
    for (const cmd of ['serve', 'migrate', 'createsuperuser', 'keys rotate', 'check']) expect(top.stdout).toContain(`gatehouse ${cmd}`);
    expect(create.code).toBe(0);
    expect(create.stdout).toMatch(/--username NAME --email ADDR --password PW/);
    expect(create.stdout).toContain('--no-input');
  });

  it.concurrent('an unknown command or bad configuration exits 1 with a message naming the problem', async () => {
    const [unknown, badPort] = await Promise.all([
      gatehouse(['frobnicate'], { GATEHOUSE_DATA_DIR: tempDataDir() }),
      gatehouse(['check'], { GATEHOUSE_DATA_DIR: tempDataDir(), PORT: 'abc' }),
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toMatch(/^configuration error: PORT: expected a whole number/);
  });

  it.concurrent('createsuperuser --no-input creates a staff superuser in a fresh SQLite data dir', async () => {
    const dataDir = tempDataDir();
    const env = { GATEHOUSE_DATA_DIR: dataDir };
    const made = await gatehouse(['createsuperuser', '--no-input', '--username', 'root', '--email', 'Root@Example.COM', '--password', testPassword], env);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/^Superuser created: id 1 root/);
    const store = openStore(`sqlite:${join(dataDir, 'gatehouse.db')}`);
    try {
      const row = await store.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({ username: 'root', email: 'Root@example.com', is_staff: 1, is_superuser: 1, is_active: 1, email_verified: 1 });
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
    } finally {
      await store.close();
    }
    const [again, noPassword] = await Promise.all([
      gatehouse(['createsuperuser', '--no-input', '--username', 'ROOT', '--password', testPassword], env),
      gatehouse(['createsuperuser', '--no-input', '--username', 'other'], env),
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('username: A user with that username already exists.');
    expect(noPassword.code).toBe(1);
    expect(noPassword.stderr).toMatch(/password is required/);
  });

  it.concurrent('createsuperuser reads GATEHOUSE_SUPERUSER_* with --no-input', async () => {
    const made = await gatehouse(['createsuperuser', '--no-input'], {
      GATEHOUSE_DATA_DIR: tempDataDir(), GATEHOUSE_SUPERUSER_EMAIL: 'ops@example.com', GATEHOUSE_SUPERUSER_PASSWORD: testPassword,
    });
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('ops@example.com');
  });

  it.concurrent('keys hs256-secret prints the HS256 secret, which is not the master secret', async () => {
    const master = 'm'.repeat(40);
    const [derived, own] = await Promise.all([
      gatehouse(['keys', 'hs256-secret'], { GATEHOUSE_DATA_DIR: tempDataDir(), GATEHOUSE_SECRET_KEY: master }),
      gatehouse(['keys', 'hs256-secret'], { GATEHOUSE_DATA_DIR: tempDataDir(), GATEHOUSE_SECRET_KEY: master, GATEHOUSE_JWT_SECRET: 's'.repeat(40) }),
    ]);
    expect(derived.code).toBe(0);
    expect(derived.stdout.trim()).toBe(hs256Secret(undefined, master));
    expect(derived.stdout).not.toContain(master);
    expect(own.stdout.trim()).toBe('s'.repeat(40));
  });

  it.concurrent('check, migrate and keys rotate on SQLite', async () => {
    const env = { GATEHOUSE_DATA_DIR: tempDataDir() };
    const migrated = await gatehouse(['migrate'], env);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/^applied: 001_initial/);
    const [again, check] = await Promise.all([gatehouse(['migrate'], env), gatehouse(['check'], env)]);
    expect(again.stdout).toContain('database is up to date');
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/configuration ok \(development\); database reachable \(sqlite\)/);
    const rotated = await gatehouse(['keys', 'rotate'], env);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/^new signing key \S+/);
    const store = openStore(`sqlite:${join(env.GATEHOUSE_DATA_DIR, 'gatehouse.db')}`);
    try {
      // The access-token keys (EdDSA); the OpenID provider's RS256 ID-token key rotates alongside them.
      const keys = await store.db.selectFrom('signing_keys').select(['kid', 'retired_at', 'expires_at']).where('alg', '=', 'EdDSA').execute();
      expect(keys.length).toBeGreaterThanOrEqual(2);
      expect(keys.filter((k) => k.retired_at === null)).toHaveLength(1);
      expect(keys.filter((k) => k.retired_at !== null).every((k) => k.expires_at! > k.retired_at!)).toBe(true);
    } finally {
      await store.close();
    }
  });

  describe('on PostgreSQL', () => {
    const database = `gh_cli_${randomBytes(5).toString('hex')}`;
    const url = new URL(postgresUrl);
    url.pathname = `/${database}`;
    afterAll(async () => {
      await withPostgres((c) => c.query(`drop database if exists ${database} with (force)`), 'postgres');
    });

    it('migrate creates the schema once, even beside another schema holding Kysely migration tables', async () => {
      await withPostgres((c) => c.query(`create database ${database}`), 'postgres');
      await withPostgres(async (c) => {
        await c.query('create schema other_app');
        await c.query('create table other_app.kysely_migration (name varchar(255) primary key, timestamp varchar(255) not null)');
        await c.query('create table other_app.kysely_migration_lock (id varchar(255) primary key, is_locked integer not null default 0)');
      }, database);
      const env = { GATEHOUSE_DATA_DIR: tempDataDir(), DATABASE_URL: url.toString() };
      const migrated = await gatehouse(['migrate'], env);
      expect(migrated.stderr, migrated.stderr).toBe('');
      expect(migrated.stdout).toMatch(/^applied: 001_initial/);
      const again = await gatehouse(['migrate'], env);
      expect(again.stdout).toContain('database is up to date');
      const tables = await withPostgres((c) => c.query(`select table_name from information_schema.tables where table_schema = 'public' order by 1`), database);
      expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['users', 'sessions', 'refresh_tokens', 'kysely_migration']));
      const made = await gatehouse(['createsuperuser', '--no-input', '--username', 'pgroot', '--password', testPassword], env);
      expect(made.code).toBe(0);
    });
  });
});
