import { expect } from 'vitest';
import type { TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';

/** The newest outbox mail of `kind` to `to`, with the code and link token it carries. */
export async function lastMail(app: TestApp, to: string, kind = 'password_reset') {
  const row = await app.store.db
    .selectFrom('outbox')
    .selectAll()
    .where('to_addr', '=', to)
    .where('kind', '=', kind)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!row) throw new Error(`no ${kind} mail to ${to}`);
  return { row, ...codeAndToken(row.text_body) };
}

/** The code and the link's token in a rendered mail body. */
export function codeAndToken(text: string): { code: string; token: string } {
  const code = /Your code: (\d+)/.exec(text)?.[1];
  const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(text)?.[1];
  if (!code || !token) throw new Error(`no code or link in mail:\n${text}`);
  return { code, token };
}

export async function mailCount(app: TestApp, kind?: string): Promise<number> {
  let q = app.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n'));
  if (kind) q = q.where('kind', '=', kind);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export async function auditKinds(app: TestApp, userId: number): Promise<string[]> {
  const rows = await app.store.db.selectFrom('audit_events').select('kind').where('user_id', '=', userId).orderBy('id').execute();
  return rows.map((r) => r.kind);
}

/** A code that is not `code` (same length). */
export function wrongCode(code: string): string {
  return code.split('').map((d) => String((Number(d) + 1) % 10)).join('');
}

export const password = testPassword;
export const newPassword = 'another sturdy phrase 77';

export async function post(app: TestApp, url: string, payload: unknown, token?: string) {
  return app.request({ method: 'POST', url, payload, token });
}

export async function login(app: TestApp, login: string, pw: string) {
  return post(app, '/v1/auth/login', { login, password: pw });
}

export function expectProblem(res: { statusCode: number; json(): any }, status: number, code: string): void {
  expect({ status: res.statusCode, code: res.json().code }).toEqual({ status, code });
}
