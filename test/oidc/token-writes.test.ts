import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { MemoryCache } from '../../src/cache/memory.js';
import { OidcModelWrites, oidcModelWrites } from '../../src/store/oidc-model-writes.js';
import type { OidcModelRow } from '../../src/store/oidc-repo.js';
import { backends } from '../support/backends.js';
import { basic, form, listeningApp, machineClient, registerClient, type Listening } from './provider-support.js';

const row = (id: string, payload: string | null = `{"jti":"${id}"}`): OidcModelRow => ({
  model: 'TestModel',
  id,
  payload: payload as string,
  grant_id: null,
  client_id: 'c-writes',
  uid: null,
  user_code: null,
  expires_at: null,
  consumed_at: null,
});

describe.each(backends)('OpenID provider: token saves grouped into one statement, on %s', (backend) => {
  let l: Listening;

  beforeAll(async () => {
    l = await listeningApp(backend);
  });
  afterAll(async () => {
    await l?.close();
  });

  const post = (path: string, body: Record<string, string>, auth: string) =>
    fetch(`${l.url}${path}`, { method: 'POST', body: form(body), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth } });
  // SQL-text statements (the upserts); the grants' audit rows, written by a timer, are built queries.
  const statements = () => l.app.queries.seen.filter((kind) => kind === 'RawNode').length;
  const stored = (id: string) => l.app.store.db.selectFrom('oidc_models').select(['payload', 'client_id']).where('model', '=', 'TestModel').where('id', '=', id).executeTakeFirst();

  it('40 parallel client-credentials grants over HTTP all succeed; every token introspects active and can be revoked', async () => {
    const machine = await registerClient(l.app, machineClient);
    const auth = basic(machine.clientId, machine.secret);
    const answers = await Promise.all(Array.from({ length: 40 }, () => post('/oidc/token', { grant_type: 'client_credentials', scope: 'invoices:read' }, auth)));
    expect(answers.map((r) => r.status)).toEqual(Array(40).fill(200));
    const tokens = await Promise.all(answers.map(async (r) => ((await r.json()) as { access_token: string }).access_token));
    expect(new Set(tokens).size).toBe(40);

    const introspect = async (token: string) => ((await (await post('/oidc/token/introspection', { token }, auth)).json()) as { active: boolean; client_id?: string });
    for (const answer of await Promise.all(tokens.map(introspect))) expect(answer).toMatchObject({ active: true, client_id: machine.clientId });
    const revoked = await Promise.all(tokens.map((token) => post('/oidc/token/revocation', { token }, auth)));
    expect(revoked.map((r) => r.status)).toEqual(Array(40).fill(200));
    for (const answer of await Promise.all(tokens.map(introspect))) expect(answer.active).toBe(false);
  });

  it('saves queued in one turn of the event loop are one statement; each caller settles once it is committed', async () => {
    const writes = oidcModelWrites(l.app.core.db);
    l.app.queries.reset();
    const saved = Promise.all(Array.from({ length: 30 }, (_, i) => writes.write(row(`one-turn-${i}`))));
    expect(writes.pending).toBe(30);
    await saved;
    expect(statements()).toBe(1);
    expect(await stored('one-turn-29')).toMatchObject({ payload: '{"jti":"one-turn-29"}' });
  });

  it('a flush holding the same (model, id) twice writes the last save, and both callers succeed', async () => {
    const writes = oidcModelWrites(l.app.core.db);
    await writes.write(row('dup', '{"v":0}'));
    l.app.queries.reset();
    await Promise.all([writes.write(row('dup', '{"v":1}')), writes.write(row('other-of-dup')), writes.write(row('dup', '{"v":2}'))]);
    expect(statements()).toBe(1);
    expect(await stored('dup')).toMatchObject({ payload: '{"v":2}' });
    expect(await stored('other-of-dup')).toBeDefined();
  });

  it('a row the database refuses fails its own caller only; its neighbours in the batch are written', async () => {
    const writes = oidcModelWrites(l.app.core.db);
    const results = await Promise.allSettled([writes.write(row('good-before')), writes.write(row('bad', null)), writes.write(row('good-after'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/not.null/i);
    expect(await stored('good-before')).toBeDefined();
    expect(await stored('good-after')).toBeDefined();
    expect(await stored('bad')).toBeUndefined();
  });

  it('more saves than a statement holds are written in several statements, all of them', async () => {
    const writes = new OidcModelWrites(l.app.core.db, { maxRows: 7 });
    l.app.queries.reset();
    await Promise.all(Array.from({ length: 20 }, (_, i) => writes.write(row(`bounded-${i}`))));
    expect(statements()).toBe(3);
    const rows = await l.app.store.db.selectFrom('oidc_models').select('id').where('model', '=', 'TestModel').where('id', 'like', 'bounded-%').execute();
    expect(rows).toHaveLength(20);
  });

  it('saves still queued when an app closes are written before it has closed', async () => {
    // A second instance over the same database, closed in the same turn as the saves are queued.
    const b = await createApp(l.app.config, { store: l.app.store, clock: l.app.clock, cache: new MemoryCache({ clock: l.app.clock }), mailWorker: false, cleanup: false, log: l.app.core.log });
    const writes = oidcModelWrites(b.core.db);
    const saved = Array.from({ length: 5 }, (_, i) => writes.write(row(`at-close-${i}`)));
    expect(writes.pending).toBe(5);
    await b.close();
    expect(writes.pending).toBe(0);
    for (let i = 0; i < 5; i++) expect(await stored(`at-close-${i}`)).toBeDefined();
    await Promise.all(saved);
  });
});
