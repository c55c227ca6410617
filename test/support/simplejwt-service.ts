import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Debian's interpreter, where `apt-get install python3-djangorestframework-simplejwt` (see .ci/run) puts the package. */
export const python = process.env.GATEHOUSE_TEST_PYTHON ?? '/usr/bin/python3';
const script = fileURLToPath(new URL('./simplejwt_service.py', import.meta.url));

export interface SimpleJwtService {
  url: string;
  /** GET `path` (`/whoami` through SimpleJWT, `/pyjwt` through bare PyJWT) with the token; the status and body. */
  get(path: '/whoami' | '/pyjwt', token: string): Promise<{ status: number; body: any }>;
  stop(): void;
}

/** Fails (never skips) when Python or the package is missing: CI installs them. */
export function requireSimpleJwt(): void {
  const probe = spawnSync(python, ['-c', 'import django, jwt, rest_framework_simplejwt'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(`${python} cannot import SimpleJWT (${probe.error?.message ?? probe.stderr.trim().split('\n').pop()}): apt-get install -y python3-djangorestframework-simplejwt (.ci/run does)`);
  }
}

/** Starts the Django service of simplejwt_service.py, verifying HS256 tokens with `signingKey`. */
export async function startSimpleJwtService(env: { signingKey: string; audience?: string; issuer?: string }): Promise<SimpleJwtService> {
  const child: ChildProcess = spawn(python, [script], {
    env: { PATH: process.env.PATH, SIGNING_KEY: env.signingKey, AUDIENCE: env.audience ?? '', ISSUER: env.issuer ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`SimpleJWT service exited (${code}): ${stderr}`)));
    child.on('error', reject);
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async get(path, token) {
      const res = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text for the assertion message
      }
      return { status: res.status, body };
    },
    stop: () => child.kill(),
  };
}
