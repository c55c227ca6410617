import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { formatSummary, parseImportArgs, progressBar } from '../../src/cli/import-django.js';
import { openStore } from '../../src/store/db.js';
import { authUserSqlite, djangoHash, djangoSqlite } from './django-fixtures.js';

const gatehouse = (args: string[], env: Record<string, string>) => runCli(args, { ...process.env, GATEHOUSE_ENV: 'test', LOG_LEVEL: 'warn', ...env });

describe('gatehouse import-django (CLI)', () => {
  it('imports a Django SQLite file and prints a summary with every skipped row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
    const source = djangoSqlite(authUserSqlite, 'auth_user', [
      { id: 1, username: 'alice', password: djangoHash.pbkdf2('alice pw'), email: 'alice@example.com', first_name: '', last_name: '', is_superuser: 0, is_staff: 0, is_active: 1, date_joined: '2024-01-01 00:00:00', last_login: null },
      { id: 2, username: 'Bob', password: djangoHash.md5('bob pw'), email: '', first_name: '', last_name: '', is_superuser: 0, is_staff: 0, is_active: 1, date_joined: '2024-01-01 00:00:00', last_login: null },
      { id: 3, username: 'ALICE2', password: djangoHash.pbkdf2('x'), email: 'ALICE@example.com', first_name: '', last_name: '', is_superuser: 0, is_staff: 0, is_active: 1, date_joined: 'yesterday', last_login: null },
    ]);
    const env = { DATABASE_URL: `sqlite:${join(dir, 'gatehouse.db')}`, GATEHOUSE_DATA_DIR: dir };
    const run = await gatehouse(['import-django', '--from', source, '--batch-size', '2'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`auth_user in ${source}`);
    expect(run.stdout).toMatch(/login field: username/);
    expect(run.stdout).toMatch(/created\s+3/);
    expect(run.stdout).toContain('id 2 (Bob): imported without a usable password: md5 hashes are not accepted');
    expect(run.stdout).toContain('id 3 (ALICE2): email shared with user 1');
    expect(run.stdout).toContain('id 3 (ALICE2): date_joined unreadable');
    expect(run.stderr, 'no progress bar without a terminal').not.toContain('[#');
    const store = openStore(env.DATABASE_URL);
    try {
      const rows = await store.db.selectFrom('users').select(['id', 'username', 'email_key']).orderBy('id').execute();
      expect(rows).toEqual([{ id: 1, username: 'alice', email_key: 'alice@example.com' }, { id: 2, username: 'Bob', email_key: null }, { id: 3, username: 'ALICE2', email_key: null }]);
    } finally {
      await store.close();
    }
    const help = await gatehouse(['import-django', '--help'], env);
    expect(help.stdout).toContain('--map FIELD=COLUMN');
  });

  it('parses its options strictly', () => {
    expect(parseImportArgs(['--from', 'x.sqlite3', '--map', 'email=mail', '--map', 'bio=', '--login-field', 'email', '--dry-run'])).toMatchObject({
      from: 'x.sqlite3', map: ['email=mail', 'bio='], loginField: 'email', dryRun: true, emailsVerified: true,
    });
    expect(() => parseImportArgs([])).toThrow(/needs --from/);
    expect(() => parseImportArgs(['--from', 'x', '--bogus'])).toThrow(/unknown option '--bogus'/);
    expect(() => parseImportArgs(['--from', 'x', '--batch-size', 'many'])).toThrow(/--batch-size/);
  });

  it('draws a progress bar and a summary', () => {
    expect(progressBar({ done: 250, total: 1000 }, 20)).toBe('[#####...............] 250/1000  25%');
    expect(progressBar({ done: 0, total: 0 }, 4)).toBe('[####] 0/0 100%');
    const text = formatSummary({ source: 's', loginField: 'email', loginFieldReason: 'r', mapping: { id: 'id', email: 'email_address' }, read: 2, created: 1, updated: 0, unchanged: 0, skipped: [{ row: 'id 2', reason: 'why' }], notes: [], dryRun: true }, 1.25);
    expect(text).toContain('dry run (nothing written): s');
    expect(text).toContain('columns: id, email←email_address');
    expect(text).toContain('skipped rows:\n  id 2: why');
  });
});
