import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const packageDir = join(repoRoot, 'packages/verify');

/** Builds packages/verify when its dist/ is missing or older than a source (CI's `npm run build` has done it already). */
export function ensureVerifyBuilt(): void {
  const stale = readdirSync(join(packageDir, 'src')).some((f) => {
    if (!f.endsWith('.ts')) return false;
    const js = join(packageDir, 'dist', f.replace(/\.ts$/, '.js'));
    return !existsSync(js) || statSync(js).mtimeMs < statSync(join(packageDir, 'src', f)).mtimeMs;
  });
  if (!stale) return;
  const r = spawnSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', join(packageDir, 'tsconfig.json')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building packages/verify failed:\n${r.stdout}${r.stderr}`);
}

export interface ResourceServerEnv {
  ISSUER: string;
  SERVICE_KEY: string;
  JWKS_URL?: string;
  FEED_URL?: string;
  FAIL_CLOSED_MS?: string;
  AUDIENCE?: string;
}

/** test/verify/resource-server.ts as its own process. */
export class ResourceServer {
  readonly output: string[] = [];
  private child: ChildProcess | undefined;
  fastify = '';
  express = '';

  async start(env: ResourceServerEnv): Promise<void> {
    ensureVerifyBuilt();
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/verify/resource-server.ts')], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr!.on('data', (d: Buffer) => this.output.push(...d.toString().split('\n').filter(Boolean)));
    const ports = await new Promise<{ fastify: number; express: number }>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line));
      });
      child.once('exit', (code) => reject(new Error(`resource server exited (${code}):\n${this.output.join('\n')}`)));
    });
    this.fastify = `http://127.0.0.1:${ports.fastify}`;
    this.express = `http://127.0.0.1:${ports.express}`;
  }

  /** GET with the token as a Bearer credential: the status and the problem `code` (or the claims). */
  async call(token: string, base = this.fastify, path = '/whoami'): Promise<{ status: number; code?: string; sid?: string }> {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as { code?: string; sid?: string };
    return { status: res.status, code: body.code, sid: body.sid };
  }

  async status(): Promise<{ feedLive: boolean; feedDownSince: number | null; failingClosed: boolean; revokedSessions: number; jwksFetches: number }> {
    return (await fetch(`${this.fastify}/status`)).json() as never;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  }
}

/** p50/p95/max of a list of ms. */
export function distribution(ms: number[]): { p50: number; p95: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), max: s.at(-1)! };
}
