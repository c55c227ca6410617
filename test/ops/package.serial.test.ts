import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The package as an operator gets it: `npm pack`, a global install into an empty prefix, then
 * `gatehouse serve` from an empty directory. Never skipped: a file missing from `files` must fail
 * the run, in CI too.
 */
const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
const work = mkdtempSync(join(tmpdir(), 'gatehouse-package-'));
const children: ChildProcess[] = [];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/**
 * Offers the install this repository's own better-sqlite3 binary as a "local prebuild". Its install
 * script is `prebuild-install || node-gyp rebuild --release`; prebuild-install cannot download a
 * binary here (no network but the registry), so without this node-gyp compiles SQLite's C++ for a
 * minute or more. The repository's build is the same better-sqlite3 version for the Node ABI that
 * runs this test, and prebuild-install `require()`s what it unpacks before accepting it.
 * prebuild-install reads `local-prebuilds` through rc, which finds a `.prebuild-installrc` in any
 * directory above the package being installed, so the file in `work` reaches only the install into
 * `work/prefix` (the `npm_config_better_sqlite3_local_prebuilds` variable works too, but npm 11
 * warns that unknown `npm_config_*` variables stop working in its next major). The archive name is
 * the one prebuild-install looks for (node_modules/prebuild-install/util.js); if the install
 * resolves a different better-sqlite3 version, or libc is not glibc, the name does not match and the
 * install compiles as a real operator's would. Nothing in package.json changes.
 */
async function offerLocalBetterSqlite3(): Promise<void> {
  const source = join(root, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { version: string };
  const prebuilds = join(work, 'prebuilds');
  mkdirSync(prebuilds);
  const archive = join(prebuilds, `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`);
  const packed = await run('tar', ['-czf', archive, '-C', source, 'build/Release/better_sqlite3.node'], { cwd: work });
  expect(packed.code, packed.stderr).toBe(0);
  writeFileSync(join(work, '.prebuild-installrc'), JSON.stringify({ 'local-prebuilds': prebuilds }));
}

/** Starts the installed `gatehouse serve` on a free port; resolves with its base URL once it listens. */
function serve(bin: string, cwd: string, env: Record<string, string>): Promise<string> {
  return new Promise((done, fail) => {
    // Only what an operator's shell would have: no repository variables, no NODE_PATH.
    const child = spawn(bin, ['serve'], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', LOG_LEVEL: 'warn', GATEHOUSE_LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    const onData = (d: Buffer) => {
      output += d;
      const url = /Gatehouse listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) done(url);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`gatehouse serve exited (${code}) before listening:\n${output}`)));
  });
}

async function json(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the npm package', () => {
  afterAll(() => {
    for (const child of children) child.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  });

  it('packs, installs globally into an empty prefix, and serves sign-up and login from any directory', { timeout: 600_000 }, async () => {
    // prepack builds dist/ (incrementally), so a clone that never ran `npm run build` packs too.
    const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root });
    expect(packed.code, packed.stderr).toBe(0);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    expect(info!.filename).toBe(`${pkg.name}-${pkg.version}.tgz`);
    const files = info!.files.map((f) => f.path);
    for (const needed of ['package.json', 'README.md', 'dist/src/main.js', 'dist/src/store/migrations/001_initial.js', 'dist/src/mail/templates/password-reset.js', 'src/admin-ui/console.css', 'src/admin-ui/console.js', 'data/common-passwords.txt.gz']) {
      expect(files, needed).toContain(needed);
    }
    // Sources, tests, maps and the build's bookkeeping stay out.
    expect(files.filter((f) => /\.ts$|\.map$|tsbuildinfo|^test\/|^bench\/|^dist\/bench\//.test(f))).toEqual([]);

    await offerLocalBetterSqlite3();
    const prefix = join(work, 'prefix');
    const installed = await run('npm', ['install', '--global', '--prefix', prefix, '--allow-scripts=better-sqlite3', '--prefer-offline', '--no-audit', '--no-fund', join(work, info!.filename)], { cwd: work });
    expect(installed.code, installed.stderr).toBe(0);
    const bin = join(prefix, 'bin', 'gatehouse');
    expect(existsSync(bin), 'bin/gatehouse linked').toBe(true);
    expect(readFileSync(join(prefix, 'lib/node_modules/gatehouse/dist/src/main.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);

    const version = await run(bin, ['--version'], { cwd: work });
    expect(version.stdout.trim()).toBe(pkg.version);

    // Data under ./var of wherever it is started.
    const here = mkdtempSync(join(work, 'site-'));
    const base = await serve(bin, here, {});
    expect(existsSync(join(here, 'var', 'gatehouse.db'))).toBe(true);
    expect(existsSync(join(here, 'var', 'secret_key'))).toBe(true);

    const password = 'a sturdy package passphrase 7';
    const registered = await json(`${base}/v1/auth/register`, { username: 'packaged', email: 'packaged@example.com', password });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const login = await json(`${base}/v1/auth/login`, { login: 'packaged@example.com', password });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const me = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${String(login.body.access_token)}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { username: string }).username).toBe('packaged');

    // The console's assets ship with the package (they are read from src/admin-ui/ at start).
    const page = await fetch(`${base}/admin/login`);
    expect(page.status).toBe(200);
    const css = /\/admin\/assets\/[^"']+\.css/.exec(await page.text())?.[0];
    expect(css, 'the login page links its stylesheet').toBeDefined();
    expect((await fetch(`${base}${css!}`)).status).toBe(200);

    // The common-password list ships too: the policy refuses one of Django's.
    const common = await json(`${base}/v1/auth/register`, { username: 'common', password: 'password123' });
    expect(common.status).toBe(400);

    // GATEHOUSE_DATA_DIR puts the data elsewhere.
    const elsewhere = join(work, 'data-elsewhere');
    const migrated = await run(bin, ['migrate'], { cwd: here, env: { GATEHOUSE_DATA_DIR: elsewhere, LOG_LEVEL: 'warn' } });
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(existsSync(join(elsewhere, 'gatehouse.db'))).toBe(true);
  });
});
