import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { consoleLogin, form, formHeaders, person } from './support.js';

describe.each(backends)('console settings in human durations on %s', (backend) => {
  let app: TestApp;
  let session: { cookie: string; csrf: string };

  /** The whole form as the page would post it, with `changes` typed in. */
  const submit = async (changes: Record<string, string>) => {
    const page = (await app.request({ method: 'GET', url: '/admin/settings', headers: { cookie: session.cookie } })).body;
    const fields: Record<string, string> = { _csrf: session.csrf };
    for (const m of page.matchAll(/<input id="s-[a-z_]+" name="([a-z_]+)" type="(text|number)"[^>]* value="([^"]*)"/g)) fields[m[1]!] = m[3]!;
    for (const m of page.matchAll(/<input id="s-[a-z_]+" name="([a-z_]+)" type="checkbox"[^>]* checked/g)) fields[m[1]!] = 'on';
    for (const m of page.matchAll(/<select id="s-[a-z_]+" name="([a-z_]+)"[\s\S]*?<option value="([^"]*)" selected/g)) fields[m[1]!] = m[2]!;
    return app.request({ method: 'POST', url: '/admin/settings', headers: formHeaders(session.cookie), payload: form({ ...fields, ...changes }) });
  };

  beforeAll(async () => {
    app = await testApp(backend);
    const su = await person(app, 'superuser');
    session = await consoleLogin(app, su.username);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows durations, defaults and ranges in human form, and saving the page unchanged changes nothing', async () => {
    await app.core.settings.update({ lockout_seconds: 86399 }, null);
    const page = (await app.request({ method: 'GET', url: '/admin/settings', headers: { cookie: session.cookie } })).body;
    expect(page).toContain('<label for="s-access_token_ttl">Access-token lifetime</label>');
    expect(page).toMatch(/name="access_token_ttl" type="text"[^>]* value="5 min"/);
    expect(page).toMatch(/name="lockout_seconds" type="text"[^>]* value="23 h 59 min 59 s"/);
    expect(page).toMatch(/name="audit_retention_days" type="text"[^>]* value="400 days"/);
    expect(page).toContain('From 10 s to 1 day;');
    expect(page).toContain('From 1 day to 36500 days;');
    expect(page).toContain('Default: <code>10 min</code>'); // otp_ttl
    expect(page).not.toMatch(/name="access_token_ttl" type="number"/);
    const before = app.core.settings.all();
    const res = await submit({});
    expect(res.headers.location).toBe('/admin/settings?notice=settings_unchanged');
    expect(app.core.settings.all()).toEqual(before);
  });

  it('accepts "15 min", "1 h 30 min", "30d", "2 weeks" and plain seconds', async () => {
    const cases: [string, string, number][] = [
      ['access_token_ttl', '15 min', 900], ['access_token_ttl', '1 h 30 min', 5400], ['access_token_ttl', '90', 90], ['access_token_ttl', '90s', 90],
      ['refresh_token_ttl', '30d', 30 * 86400], ['outbox_retention_days', '2 weeks', 14], ['outbox_retention_days', '45', 45],
    ];
    for (const [key, text, stored] of cases) {
      const res = await submit({ [key]: text });
      expect(res.statusCode, `${key}=${text}: ${res.body.slice(0, 200)}`).toBe(303);
      expect(app.core.settings.get(key as 'access_token_ttl')).toBe(stored);
    }
  });

  it('refuses what is outside the range or not a duration, with the range in the same words, and saves none', async () => {
    const before = app.core.settings.all();
    const res = await submit({ access_token_ttl: '30d', otp_ttl: 'soon', audit_retention_days: '36 h', otp_length: '99' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Expected a duration from 10 s to 1 day.');
    expect(res.body).toContain('Expected a duration such as 90 s, 15 min, 1 h 30 min or a number of seconds.');
    expect(res.body).toContain('Expected whole days, such as 30 days.');
    expect(res.body).toContain('Expected a number from 4 to 10.');
    expect(res.body).toMatch(/name="access_token_ttl" type="text"[^>]* value="30d"/);
    expect(app.core.settings.all()).toEqual(before);
  });
});
