import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliArgs } from '../support/cli.js';
import { commandVariables, superuserVariables } from '../../src/cli/env-help.js';
import { configVariables } from '../../src/config.js';
import { backends, freshStore, type FreshStore } from '../support/backends.js';
import { testPassword } from '../support/passwords.js';

const root = resolve(import.meta.dirname, '../..');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const password = testPassword;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (`npm run build` first; `npm test` does) with only the environment given.
 * stdin is an open pipe that never sends anything: a prompt would wait on it until the kill.
 */
function gatehouse(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, cliArgs(args), {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', GATEHOUSE_DATA_DIR: tempDataDir(), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 60_000,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

const tempDataDir = () => mkdtempSync(join(tmpdir(), 'gatehouse-cli-strict-'));

// Stops the file with a clear message when dist/ is missing or older than src/.
beforeAll(() => void cliArgs([]));

describe('strict CLI: bad arguments stop before anything is done', { timeout: 120_000 }, () => {
  describe.each(backends)('on %s', (backend) => {
    let db: FreshStore;
    let env: Record<string, string>;
    const users = async () => (await db.store.db.selectFrom('users').select(['username', 'email']).execute());
    beforeAll(async () => {
      db = await freshStore(backend);
      // One data dir: the first run generates the secret key that encrypts the signing key it makes.
      env = { GATEHOUSE_DATA_DIR: tempDataDir(), DATABASE_URL: db.url, ...(db.schema ? { DATABASE_SCHEMA: db.schema } : {}) };
    });
    afterAll(async () => {
      await db.store.close();
      await db.drop();
    });

    it('attack: createsuperuser --usernme x is an unknown option, printed with the usage, and creates nobody', async () => {
      const run = await gatehouse(['createsuperuser', '--usernme', 'x', '--email', 'typo@example.com', '--password', password, '--no-input'], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("unknown option '--usernme'");
      expect(run.stderr).toContain('(Did you mean --username?)');
      expect(run.stderr).toContain('Usage: gatehouse createsuperuser');
      expect(run.stdout).toBe('');
      expect(await users()).toEqual([]);
    });

    it('a missing value is an error, also when the next word is another of the command\'s options', async () => {
      const [last, swallowed] = await Promise.all([
        gatehouse(['createsuperuser', '--no-input', '--password', password, '--username'], env),
        gatehouse(['createsuperuser', '--password', password, '--username', '--no-input'], env),
      ]);
      expect(last.code).toBe(1);
      expect(last.stderr).toContain("option '--username <NAME>' argument missing");
      expect(swallowed.code).toBe(1);
      expect(swallowed.stderr).toContain("option '--username <NAME>' argument '--no-input' is invalid. it is an option: the value is missing");
      expect(swallowed.stderr).toContain('Usage: gatehouse createsuperuser');
      expect(await users()).toEqual([]);
    });

    it('with stdin a pipe, a missing password is an error naming the flag and the variable; nothing waits for an answer', async () => {
      const run = await gatehouse(['createsuperuser', '--username', 'piped'], env);
      expect(run.signal, 'the command hung on a prompt').toBeNull();
      expect(run.code).toBe(1);
      expect(run.stdout).not.toContain('Password');
      expect(run.stderr).toContain('a password is required: pass --password or set GATEHOUSE_SUPERUSER_PASSWORD (stdin is not a terminal: nothing is asked)');
      expect(await users()).toEqual([]);
    });

    it('the same arguments spelled right create the superuser (so the runs above reached this database)', async () => {
      const run = await gatehouse(['createsuperuser', '--no-input', '--username', 'rightly', '--password', password], env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect((await users()).map((u) => u.username)).toEqual(['rightly']);
    });

    // A pseudo-terminal needs util-linux's `script`; CI's Debian image always has it, so there it must run.
    it.runIf(existsSync('/usr/bin/script') || process.env.CI === 'true')('at a terminal it asks, hides the password, and creates the superuser', async () => {
      const run = await atTerminal(['createsuperuser'], env, [
        ['Username:', 'termuser'],
        ['Email address:', 'Term@Example.com'],
        ['Password:', password],
        ['Password (again):', password],
      ]);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain('Superuser created:');
      expect(run.output).not.toContain(password);
      expect(await users()).toContainEqual({ username: 'termuser', email: 'Term@example.com' });
    });
  });
});

/**
 * Runs the built CLI in a pseudo-terminal (util-linux `script`), typing each answer once its
 * prompt has appeared since the previous answer.
 */
function atTerminal(args: string[], env: Record<string, string>, dialogue: [prompt: string, answer: string][]): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, ...cliArgs(args)].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  return new Promise((done, fail) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', GATEHOUSE_DATA_DIR: tempDataDir(), TERM: 'dumb', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 60_000,
      killSignal: 'SIGKILL',
    });
    let output = '';
    let seen = 0;
    const steps = [...dialogue];
    child.stdout.on('data', (d) => {
      output += d;
      const next = steps[0];
      if (!next) return;
      const at = output.indexOf(next[0], seen);
      if (at === -1) return;
      seen = at + next[0].length;
      steps.shift();
      child.stdin.write(`${next[1]}\r`);
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

describe('strict CLI: version and help', { timeout: 120_000 }, () => {
  it('--version prints the version in package.json', async () => {
    const [long, short] = await Promise.all([gatehouse(['--version']), gatehouse(['-V'])]);
    expect(long.code).toBe(0);
    expect(long.stdout).toBe(`${version}\n`);
    expect(short.stdout).toBe(`${version}\n`);
  });

  it('serve --help and check --help list every configuration variable; createsuperuser --help its own', async () => {
    const [serve, check, create, migrate] = await Promise.all([
      gatehouse(['serve', '--help']), gatehouse(['check', '--help']), gatehouse(['createsuperuser', '--help']), gatehouse(['migrate', '--help']),
    ]);
    for (const run of [serve, check]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Environment variables:');
      for (const v of configVariables) expect(run.stdout).toMatch(new RegExp(`^  ${v.name} `, 'm'));
    }
    expect(serve.stdout).toContain('--workers N|auto');
    for (const v of superuserVariables) expect(create.stdout).toContain(v.name);
    expect(create.stdout).toContain('DATABASE_URL');
    expect(migrate.stdout).toContain('DATABASE_URL');
    expect(migrate.stdout).not.toContain('GATEHOUSE_SUPERUSER_PASSWORD');
  });

  it('every variable a command\'s help names is one Gatehouse reads', () => {
    const known = new Set([...configVariables, ...superuserVariables].map((v) => v.name));
    for (const names of Object.values(commandVariables)) if (names !== 'all') for (const name of names) expect(known, name).toContain(name);
  });

  it('a bad argument to serve or import-django is an error with the usage, before the configuration is read', async () => {
    const [workers, extra, choice] = await Promise.all([
      gatehouse(['serve', '--workers'], { PORT: 'abc' }),
      gatehouse(['serve', 'now'], { PORT: 'abc' }),
      gatehouse(['import-django', '--from', 'x.sqlite3', '--login-field', 'phone'], { PORT: 'abc' }),
    ]);
    expect(workers.code).toBe(1);
    expect(workers.stderr).toContain("option '--workers <N|auto>' argument missing");
    expect(workers.stderr).toContain('Usage: gatehouse serve');
    expect(extra.code).toBe(1);
    expect(extra.stderr).toContain("too many arguments for 'serve'");
    expect(choice.code).toBe(1);
    expect(choice.stderr).toContain('Allowed choices are email, username');
    for (const run of [workers, extra, choice]) expect(run.stderr).not.toContain('configuration error');
  });

  it('gatehouse alone prints the help and exits 0', async () => {
    const run = await gatehouse([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: gatehouse');
    expect(run.stdout).toContain('gatehouse createsuperuser');
  });
});
