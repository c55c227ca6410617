import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userExportBatches } from '../../src/core/admin/user-export.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { consoleLogin, person, type Person } from './support.js';

/** A small RFC 4180 reader: enough to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endCell();
    else if (c === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += c;
  }
  return rows;
}

describe.each(backends)('user export (CSV and JSON, streamed) on %s', (backend) => {
  let app: TestApp;
  let staff: Person;
  let plain: Person;
  let sneaky: Person;

  const exportAs = (who: Person, query: string) => app.request({ method: 'GET', url: `/v1/admin/users/export?${query}`, token: who.token });

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    staff = await person(app, 'staff');
    plain = await person(app, 'user');
    sneaky = await person(app, 'user', { first_name: '=HYPERLINK("http://evil.example")', last_name: '@SUM(1,2), "quoted"' });
    for (let i = 0; i < 4; i++) await person(app, 'user', { first_name: i % 2 ? '-5' : '+cmd' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('exports every user as CSV with a header row, formula cells defused and quoting right', async () => {
    const res = await exportAs(staff, 'format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="users-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = parseCsv(res.body);
    expect(rows[0]).toEqual(['id', 'username', 'email', 'first_name', 'last_name', 'phone_number', 'is_active', 'approved', 'email_verified', 'is_staff', 'is_superuser', 'date_joined', 'last_login']);
    const body = rows.slice(1);
    expect(body).toHaveLength(7);
    expect(body.map((r) => Number(r[0]))).toEqual([...body.map((r) => Number(r[0]))].sort((a, b) => a - b));
    const row = body.find((r) => r[0] === String(sneaky.id))!;
    expect(row[3]).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(row[4]).toBe(`'@SUM(1,2), "quoted"`);
    for (const r of body) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@]/);
    expect(body.filter((r) => r[3] === "'+cmd" || r[3] === "'-5")).toHaveLength(4);
    expect(res.body).not.toMatch(/password|argon2|pbkdf2/);
  });

  it('exports JSON with the admin API user shape, and the list filters', async () => {
    const all = await exportAs(staff, 'format=json');
    expect(all.headers['content-type']).toBe('application/json; charset=utf-8');
    const users = all.json();
    expect(users).toHaveLength(7);
    expect(users.find((u: { id: number }) => u.id === sneaky.id)).toMatchObject({ username: sneaky.username, first_name: '=HYPERLINK("http://evil.example")', approved: true });
    expect(users[0]).not.toHaveProperty('password');
    const staffOnly = (await exportAs(staff, 'format=json&staff=true')).json();
    expect(staffOnly.map((u: { id: number }) => u.id)).toEqual([staff.id]);
    const searched = (await exportAs(staff, `format=json&q=${encodeURIComponent(sneaky.username)}`)).json();
    expect(searched.map((u: { id: number }) => u.id)).toEqual([sneaky.id]);
    expect((await exportAs(staff, 'format=json&active=false')).body.trim()).toBe('[\n]');
  });

  it('reads users in bounded keyset batches, each once, in id order', async () => {
    const seen: number[] = [];
    const sizes: number[] = [];
    for await (const batch of userExportBatches(app.core, {}, 2)) {
      sizes.push(batch.length);
      seen.push(...batch.map((u) => u.id));
    }
    expect(sizes).toEqual([2, 2, 2, 1]);
    expect(seen).toEqual([...new Set(seen)].sort((a, b) => a - b));
    expect(seen).toHaveLength(7);
  });

  it('refuses non-staff and bad filters before any byte of a download', async () => {
    expect((await exportAs(plain, 'format=csv')).statusCode).toBe(403);
    expect((await app.request({ method: 'GET', url: '/v1/admin/users/export' })).statusCode).toBe(401);
    expect((await exportAs(staff, 'format=xml')).statusCode).toBe(400);
    expect((await exportAs(staff, 'joined_from=yesterday-ish')).statusCode).toBe(400);
  });

  it('offers the export on the console users page, with the current filters', async () => {
    const { cookie } = await consoleLogin(app, staff.username);
    const page = await app.request({ method: 'GET', url: '/admin/users?staff=true&sort=email', headers: { cookie } });
    expect(page.body).toContain('href="/v1/admin/users/export?staff=true&amp;format=csv"');
    const download = await app.request({ method: 'GET', url: '/v1/admin/users/export?staff=true&format=csv', headers: { cookie } });
    expect(download.statusCode).toBe(200);
    expect(parseCsv(download.body)).toHaveLength(2);
  });
});
