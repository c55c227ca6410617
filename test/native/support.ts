import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { TestApp } from '../support/app.js';
import { newUserRow } from '../support/rows.js';
import { testPassword } from '../support/passwords.js';

export const password = testPassword;

/** Logs in through the native API; throws unless it answers 200. */
export async function logIn(app: TestApp, login: string, pw = password, remoteAddress?: string) {
  const res = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login, password: pw }, remoteAddress });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return res.json() as { access_token: string; refresh_token: string; expires_in: number; session_id?: string; user: any };
}

export function claims(token: string) {
  return { header: decodeProtectedHeader(token), payload: decodeJwt(token) };
}

/** Audit rows of one kind (newest last), with their detail parsed. */
export async function auditRows(app: TestApp, kind: string, userId?: number) {
  let q = app.core.db.selectFrom('audit_events').selectAll().where('kind', '=', kind);
  if (userId !== undefined) q = q.where('user_id', '=', userId);
  const rows = await q.orderBy('id', 'asc').execute();
  return rows.map((r) => ({ ...r, user_id: r.user_id === null ? null : Number(r.user_id), detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

/** Django's pbkdf2_sha256 encoding, computed here as Django computes it. */
export function djangoPbkdf2(pw: string, iterations = 20_000, salt = randomBytes(9).toString('base64url')): string {
  const hash = pbkdf2Sync(pw, salt, iterations, 32, 'sha256').toString('base64');
  return `pbkdf2_sha256$${iterations}$${salt}$${hash}`;
}

/** Inserts a user row directly (as `gatehouse import-django` would), returning its id. */
export async function insertUserRow(app: TestApp, fields: { username: string; email: string; password_hash: string }): Promise<number> {
  const now = app.clock.now();
  const row = await app.core.db
    .insertInto('users')
    .values(newUserRow({
      username: fields.username,
      username_key: fields.username.toLowerCase(),
      email: fields.email,
      email_key: fields.email.toLowerCase(),
      password_hash: fields.password_hash,
      date_joined: now,
      password_changed_at: now,
      updated_at: now,
    }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function userRow(app: TestApp, id: number) {
  return app.core.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countRows(app: TestApp, table: 'users' | 'sessions' | 'refresh_tokens' | 'api_tokens' | 'audit_events' | 'outbox' | 'avatars'): Promise<number> {
  const row = await app.core.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
