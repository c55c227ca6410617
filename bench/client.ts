/** Plain HTTP calls the bench makes to set scenarios up (not measured). */
import { benchPassword, loginName } from './database.js';

export interface Session {
  access: string;
  refresh: string;
}

async function call(url: string, init: RequestInit & { json?: unknown } = {}): Promise<unknown> {
  const res = await fetch(url, {
    ...init,
    headers: { ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string>) },
    body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

export async function logIn(base: string, user: number): Promise<Session> {
  const body = (await call(`${base}/v1/auth/login`, { method: 'POST', json: { login: loginName(user), password: benchPassword } })) as {
    access_token: string;
    refresh_token: string;
  };
  return { access: body.access_token, refresh: body.refresh_token };
}

/** Logs in as each user, a few at a time (each login is one argon2id verify). */
export async function logInMany(base: string, users: number[]): Promise<Session[]> {
  const out: Session[] = new Array(users.length);
  let next = 0;
  const lane = async () => {
    while (next < users.length) {
      const i = next++;
      out[i] = await logIn(base, users[i]!);
    }
  };
  await Promise.all(Array.from({ length: 4 }, lane));
  return out;
}

export async function createApiKey(base: string, access: string): Promise<string> {
  const body = (await call(`${base}/v1/me/api-tokens`, { method: 'POST', headers: { authorization: `Bearer ${access}` }, json: { name: 'bench', current_password: benchPassword } })) as { key: string };
  return body.key;
}

export async function fetchMe(base: string, access: string): Promise<string> {
  const res = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${access}` } });
  if (!res.ok) throw new Error(`GET /v1/me: ${res.status}`);
  return res.text();
}

/** `count` user numbers spread evenly over 1..`total`. */
export function spreadUsers(count: number, total: number): number[] {
  return Array.from({ length: count }, (_, i) => 1 + Math.floor((i * total) / count));
}
