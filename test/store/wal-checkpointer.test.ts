import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startWalCheckpointer } from '../../src/store/wal-checkpointer.js';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/app.js';
import { ManualClock } from '../../src/core/clock.js';
import { runCli } from '../support/cli.js';

/** Waits until `check` holds, at most `ms`. */
async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

describe('SQLite WAL checkpoints on their own thread', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  function database() {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-wal-'));
    dirs.push(dir);
    const file = join(dir, 'db.sqlite');
    const db = new SQLite(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('create table blobs (id integer primary key, data blob)');
    return { db, file };
  }
  const autoCheckpoint = (db: SQLite.Database) => db.pragma('wal_autocheckpoint', { simple: true });
  /** Writes ~4 MB in one transaction: its pages land in the WAL, the database file grows only when they are checkpointed. */
  const writeMegabytes = (db: SQLite.Database) => db.transaction(() => {
    const insert = db.prepare('insert into blobs (data) values (?)');
    for (let i = 0; i < 64; i++) insert.run(Buffer.alloc(64 * 1024, i));
  })();

  it('the serving connection stops checkpointing and the thread copies the WAL into the database file', async () => {
    const { db, file } = database();
    const lost: unknown[] = [];
    const checkpointer = startWalCheckpointer(db, file, (err) => lost.push(err), 50);
    expect(autoCheckpoint(db)).toBe(0);
    const before = statSync(file).size;
    writeMegabytes(db);
    // The COMMIT itself copied nothing (without the thread and at the default 1,000 pages it would have).
    expect(statSync(file).size).toBe(before);
    expect(await eventually(() => statSync(file).size >= 4 * 1024 * 1024)).toBe(true);
    await checkpointer.stop();
    expect(autoCheckpoint(db)).toBe(1000);
    expect(lost).toEqual([]);
    db.close();
  });

  it('a thread that dies hands checkpoints back to the serving connection and says so', async () => {
    const { db } = database();
    const lost: unknown[] = [];
    // A file the thread cannot open: it fails at its start.
    startWalCheckpointer(db, join(tmpdir(), 'gatehouse-wal-missing', 'nothing.sqlite'), (err) => lost.push(err), 50);
    expect(await eventually(() => lost.length > 0)).toBe(true);
    expect(autoCheckpoint(db)).toBe(1000);
    db.close();
  });

  it('an app started with it serves and closes (its thread ends with the store)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-wal-app-'));
    dirs.push(dir);
    const config = loadConfig({ GATEHOUSE_DATA_DIR: dir, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'silent', GATEHOUSE_ENV: 'development' });
    const app = await createApp(config, { clock: new ManualClock(Date.now()), mailWorker: false, backgroundCheckpoints: true });
    const res = await app.http.inject({ method: 'POST', url: '/v1/auth/register', payload: { username: 'wal', email: 'wal@example.test', password: 'correct horse battery staple' } });
    expect(res.statusCode).toBe(201);
    await app.close();
  });

  it('a command that fails after opening its app exits 1 with its message (the stopping thread once let it exit 0 mid-close)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-wal-cli-'));
    dirs.push(dir);
    const tokens = join(dir, 'tokens.json');
    writeFileSync(tokens, 'not a token file');
    const env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'gatehouse.db')}`, GATEHOUSE_DATA_DIR: dir, GATEHOUSE_ENV: 'test', LOG_LEVEL: 'warn' };
    // The early exit was a race (about half the runs): five runs in a row must all fail properly.
    for (let i = 0; i < 5; i++) {
      const run = await runCli(['import-django', '--from', join(dir, 'users.json'), '--tokens', tokens], env);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain('is neither dumpdata JSON');
    }
  }, 60_000);
});
