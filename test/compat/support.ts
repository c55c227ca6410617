import { expect } from 'vitest';
import type { BackendName } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';

/** A password the default policy accepts. */
export const strong = testPassword;

/** An app with one compatibility profile enabled (and rate limits out of the way of a suite). */
export async function compatApp(backend: BackendName, profile: string, env: Record<string, string> = {}): Promise<TestApp> {
  const app = await testApp(backend, { GATEHOUSE_COMPAT: profile, ...env });
  await relaxRateLimits(app);
  return app;
}

/** The seeds' READMEs use passwords like "123": the policy is configurable down to accepting them. */
export async function acceptWeakPasswords(app: TestApp): Promise<void> {
  await app.core.settings.update({ password_min_length: 1, password_check_common: false, password_check_numeric: false, password_check_similarity: false }, null);
}

export async function restoreDefaultPolicy(app: TestApp): Promise<void> {
  await app.core.settings.update({ password_min_length: 8, password_check_common: true, password_check_numeric: true, password_check_similarity: true }, null);
}

/** What an administrator's activation does to the row (the console is another part's). */
export async function approve(app: TestApp, userId: number): Promise<void> {
  await app.core.db.updateTable('users').set({ approved: 1 }).where('id', '=', userId).execute();
  await app.core.users.invalidate(userId);
}

export async function userRow(app: TestApp, id: number) {
  return app.core.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function countUsers(app: TestApp): Promise<number> {
  const row = await app.core.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A response is JSON (DRF's renderer), never problem+json. */
export function expectDrfJson(res: { headers: Record<string, unknown> }): void {
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
}

/** A body that never carries a password hash or the password itself. */
export function expectNoSecrets(body: string, password?: string): void {
  expect(body).not.toMatch(/pbkdf2|argon2|bcrypt|"password"/);
  // No value is the password. (A substring test flaked: a random 40-hex key contains "123" about 1% of the time.)
  if (password) expect(stringValues(JSON.parse(body))).not.toContain(password);
}

function stringValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringValues);
  return [];
}

/** One bad request body: what it is, and how to send it. */
export interface BadBody {
  name: string;
  payload: string | Buffer;
  headers: Record<string, string>;
  /** Harmless once parsed (dangerous keys are dropped): a route with no required field may answer 2xx. */
  mayPass?: boolean;
}

/** Bad inputs every route with a body must answer with a 4xx (never a 5xx). */
export function badBodies(url: string): BadBody[] {
  const json = { 'content-type': 'application/json' };
  const list: (Omit<BadBody, 'name'> & { label: string })[] = [
    { label: 'malformed JSON', payload: '{"username": ', headers: json },
    { label: 'a JSON array', payload: '[1,2]', headers: json },
    { label: 'a JSON string', payload: '"x"', headers: json },
    { label: 'wrong types', payload: JSON.stringify({ username: 5, email: ['x'], password: { a: 1 }, refresh: 7, refresh_token: 7, token: 1, otp: 2, text: 3, old_password: 1, new_password: 2, phoneNumber: 1 }), headers: json },
    { label: 'NUL bytes and odd Unicode', payload: JSON.stringify({ username: 'a\u0000b', email: 'x\u0000@example.com', password: '\u0000\uffff\ud800', first_name: '\u202e', refresh: '\u0000', refresh_token: '\u0000', token: '\u0000', otp: '\u0000', text: '\u0000', old_password: '\u0000', gender: '\u0000' }), headers: json },
    { label: 'a 1 MB+ body', payload: JSON.stringify({ username: 'x'.repeat(1_100_000) }), headers: json },
    { label: 'text/plain', payload: 'username=a', headers: { 'content-type': 'text/plain' } },
    { label: 'prototype pollution', payload: '{"__proto__": {"is_staff": true}, "constructor": {"prototype": {"x": 1}}}', headers: json, mayPass: true },
  ];
  return list.map(({ label, ...rest }) => ({ name: `${label} on ${url}`, ...rest }));
}

/** Sends every bad body to `url` and checks the answers: a DRF-style 4xx, never a 5xx. */
export async function expectBadBodiesRefused(app: TestApp, method: 'POST' | 'PUT' | 'PATCH', url: string, headers: Record<string, string> = {}): Promise<void> {
  for (const bad of badBodies(url)) {
    const res = await app.request({ method, url, payload: bad.payload, headers: { ...bad.headers, ...headers } });
    expect(res.statusCode, `${bad.name}: ${res.body}`).toBeLessThan(500);
    if (!bad.mayPass) expect(res.statusCode, `${bad.name}: ${res.body}`).toBeGreaterThanOrEqual(400);
    expectDrfJson(res);
    expect(res.body, bad.name).not.toContain('is_staff');
  }
}
