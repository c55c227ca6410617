import { createSuperuser } from '../../src/core/superuser.js';
import type { TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';

export const password = testPassword;

export interface Person {
  id: number;
  username: string;
  email: string;
  token: string;
}

let n = 0;

async function loginToken(app: TestApp, login: string): Promise<string> {
  const res = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return res.json().access_token;
}

/** A user of each role, signed in with a Bearer token. */
export async function person(app: TestApp, role: 'user' | 'staff' | 'superuser', fields: Record<string, unknown> = {}): Promise<Person> {
  const tag = `${role}${++n}_${process.pid}`;
  const username = (fields.username as string | undefined) ?? tag;
  const email = (fields.email as string | undefined) ?? `${tag}@example.com`;
  let id: number;
  if (role === 'superuser') id = (await createSuperuser(app.core, { username, email, password })).id;
  else {
    id = (await app.signUp({ username, email, password, ...fields })).user.id;
    if (role === 'staff') {
      await app.core.db.updateTable('users').set({ is_staff: 1 }).where('id', '=', id).execute();
      await app.core.users.invalidate(id);
    }
  }
  return { id, username, email, token: await loginToken(app, username) };
}

/** An ordinary account with one session (its registration's), cheaper than `person` when no token is needed. */
export async function plainUser(app: TestApp): Promise<number> {
  return (await app.signUp({ password })).user.id;
}

/** Signs in to the console; returns the cookie header and the CSRF token from the page. */
export async function consoleLogin(app: TestApp, login: string): Promise<{ cookie: string; csrf: string }> {
  const res = await app.request({ method: 'POST', url: '/admin/login', payload: `login=${encodeURIComponent(login)}&password=${encodeURIComponent(password)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  if (res.statusCode !== 303) throw new Error(`console sign-in failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
  const setCookie = String(res.headers['set-cookie']);
  const cookie = setCookie.split(';')[0]!;
  const page = await app.request({ method: 'GET', url: '/admin', headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!csrf) throw new Error('no CSRF token on the overview page');
  return { cookie, csrf };
}

export const form = (fields: Record<string, string | string[]>) =>
  Object.entries(fields)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`))
    .join('&');

export const formHeaders = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' });
