import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Written by every `tsc --build` that looked at a changed source, even one whose output did not change. */
const buildInfo = join(root, 'dist/tsconfig.tsbuildinfo');

function newestSource(dir: string, newest = { path: '', mtimeMs: 0 }): { path: string; mtimeMs: number } {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newestSource(path, newest);
    else if (entry.name.endsWith('.ts')) {
      const { mtimeMs } = statSync(path);
      if (mtimeMs > newest.mtimeMs) Object.assign(newest, { path, mtimeMs });
    }
  }
  return newest;
}

let checked = false;

/**
 * Throws unless dist/ holds a build of the current src/ (`npm test` builds first). The build's own
 * stamp is compared, not each .js: tsc leaves a .js untouched when its source was saved unchanged.
 */
function requireFreshBuild(): void {
  if (checked) return;
  if (!existsSync(join(root, 'dist/src/main.js')) || !existsSync(buildInfo)) throw new Error('dist/ has no build of src/: run npm run build first');
  const newest = newestSource(join(root, 'src'));
  if (newest.mtimeMs > statSync(buildInfo).mtimeMs) throw new Error(`dist/ is older than ${relative(root, newest.path)}: run npm run build`);
  checked = true;
}

/** The compiled counterpart of a path under src/ (`src/logger.ts` → the absolute path of dist/src/logger.js; `src` → dist/src). */
export function built(source: string): string {
  requireFreshBuild();
  return join(root, 'dist', source.replace(/\.ts$/, '.js'));
}

/** Arguments for `process.execPath` that run the built `gatehouse` CLI with `args`. */
export function cliArgs(args: string[]): string[] {
  return [built('src/main.ts'), ...args];
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI to its end with exactly the environment given (pass `...process.env` to inherit). */
export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd = root): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs(args), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
