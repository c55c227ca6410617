import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { MemoryCache } from '../../src/cache/memory.js';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { basic, form, machineClient, registerClient } from './provider-support.js';

describe.each(backends)('OpenID provider: grant audit rows, written in batches, none lost on a graceful stop, on %s', (backend) => {
  let a: TestApp;

  beforeAll(async () => {
    a = await testApp(backend);
  });
  afterAll(async () => {
    await a?.close();
  });

  it('every grant and refused grant answered before the app closes has its row once it has closed', async () => {
    // A second instance over the same database, closed while its rows may still wait in its buffer.
    const b = await createApp(a.config, { store: a.store, clock: a.clock, cache: new MemoryCache({ clock: a.clock }), mailWorker: false, cleanup: false, log: a.core.log });
    const machine = await registerClient(a, machineClient);
    const grant = (secret: string) =>
      b.http.inject({ method: 'POST', url: '/oidc/token', payload: form({ grant_type: 'client_credentials', scope: 'invoices:read' }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(machine.clientId, secret) } });
    const answers = await Promise.all([...Array.from({ length: 20 }, () => grant(machine.secret)), grant(`${machine.secret}x`), grant('gcs_wrong')]);
    expect(answers.map((r) => r.statusCode)).toEqual([...Array(20).fill(200), 401, 401]);
    await b.close();
    const rows = await a.store.db.selectFrom('audit_events').select(['kind', 'detail']).where('kind', 'in', ['oidc.grant', 'oidc.grant_failed']).execute();
    expect(rows.filter((r) => r.kind === 'oidc.grant' && r.detail.includes(machine.clientId))).toHaveLength(20);
    // A client that failed to authenticate is not named (Basic credentials are not params); this database has no other refusals.
    expect(rows.filter((r) => r.kind === 'oidc.grant_failed' && r.detail.includes('invalid_client'))).toHaveLength(2);
  });
});
