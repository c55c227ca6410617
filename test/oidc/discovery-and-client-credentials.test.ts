import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { revokeOidcClientById } from '../../src/core/oidc-clients.js';
import { backends } from '../support/backends.js';
import { eventually } from '../revocation-feed/support.js';
import { basic, form, listeningApp, machineClient, registerClient, rpConfig, type Listening } from './provider-support.js';

describe.each(backends)('OpenID provider: discovery, client credentials, introspection, revocation on %s', (backend) => {
  let l: Listening;
  let machine: { clientId: string; secret: string };

  beforeAll(async () => {
    l = await listeningApp(backend);
    machine = await registerClient(l.app, machineClient);
  });
  afterAll(async () => {
    await l?.close();
  });

  const token = (body: Record<string, string>, headers: Record<string, string> = {}) =>
    l.app.request({ method: 'POST', url: '/oidc/token', payload: form(body), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

  it('publishes OpenID and RFC 8414 metadata naming every endpoint, S256 only, RS256 ID tokens, and the key ring as its JWKS', async () => {
    const res = await l.app.request({ method: 'GET', url: '/.well-known/openid-configuration' });
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d.issuer).toBe(l.url);
    for (const [field, path] of Object.entries({ authorization_endpoint: '/oidc/auth', token_endpoint: '/oidc/token', userinfo_endpoint: '/oidc/userinfo', jwks_uri: '/oidc/jwks', introspection_endpoint: '/oidc/token/introspection', revocation_endpoint: '/oidc/token/revocation', end_session_endpoint: '/oidc/session/end' })) {
      expect(d[field], field).toBe(`${l.url}${path}`);
    }
    expect(d.code_challenge_methods_supported).toEqual(['S256']);
    expect(d.response_types_supported).toEqual(['code']);
    expect(d.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
    expect(d.grant_types_supported).not.toContain('implicit');
    expect(d.id_token_signing_alg_values_supported).toContain('RS256');
    expect(d.id_token_signing_alg_values_supported.some((a: string) => a.startsWith('HS'))).toBe(false);
    expect(d.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'offline_access']));
    expect(d.claims_parameter_supported).toBe(false);
    expect(d.backchannel_logout_supported).toBe(true);
    expect(d.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'none']);
    expect(d.registration_endpoint).toBeUndefined();

    const rfc8414 = await l.app.request({ method: 'GET', url: '/.well-known/oauth-authorization-server' });
    expect(rfc8414.statusCode).toBe(200);
    expect(rfc8414.json()).toEqual(d);

    const providerJwks = await l.app.request({ method: 'GET', url: '/oidc/jwks' });
    const gatehouseJwks = await l.app.request({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(providerJwks.json()).toEqual(gatehouseJwks.json());
    const algs = providerJwks.json().keys.map((k: { alg: string }) => k.alg);
    expect(algs).toEqual(expect.arrayContaining(['RS256', 'EdDSA']));
    expect(JSON.stringify(providerJwks.json())).not.toMatch(/"(d|p|q|dp|dq|qi)":/);
  });

  it('URLs in metadata come from the issuer, not from a forged Host or X-Forwarded-Host', async () => {
    const res = await l.app.request({ method: 'GET', url: '/.well-known/openid-configuration', headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('evil.example');
    expect(res.json().token_endpoint).toBe(`${l.url}/oidc/token`);
  });

  it('openid-client gets a client-credentials token (Basic and form secrets), introspects it and revokes it', async () => {
    for (const auth of ['basic', 'post'] as const) {
      const client = auth === 'basic' ? machine : await registerClient(l.app, { ...machineClient, auth_method: 'client_secret_post' });
      const config = await rpConfig(l.url, client.clientId, client.secret, auth);
      const issued = await oidc.clientCredentialsGrant(config, { scope: 'invoices:read' });
      expect(issued.token_type.toLowerCase()).toBe('bearer');
      expect(issued.scope).toBe('invoices:read');
      expect(issued.expires_in).toBe(l.app.core.settings.get('access_token_ttl'));
      const seen = await oidc.tokenIntrospection(config, issued.access_token);
      expect(seen).toMatchObject({ active: true, client_id: client.clientId, scope: 'invoices:read', aud: 'urn:gatehouse:api', iss: l.url });
      await oidc.tokenRevocation(config, issued.access_token);
      expect((await oidc.tokenIntrospection(config, issued.access_token)).active).toBe(false);
    }
  });

  it('every grant is audited with its client', async () => {
    const config = await rpConfig(l.url, machine.clientId, machine.secret);
    await oidc.clientCredentialsGrant(config, { scope: 'invoices:write' });
    await eventually('grant audited', async () => {
      const rows = await l.app.core.db.selectFrom('audit_events').select(['detail']).where('kind', '=', 'oidc.grant').execute();
      return rows.some((r) => r.detail.includes(machine.clientId) && r.detail.includes('client_credentials'));
    });
  });

  it('a wrong secret, an unknown client and the stored digest presented as the secret all get the same 401 invalid_client, audited', async () => {
    const digest = (await l.app.core.db.selectFrom('oidc_clients').select('secret_hash').where('client_id', '=', machine.clientId).executeTakeFirstOrThrow()).secret_hash!;
    const answers = [];
    for (const [id, secret] of [[machine.clientId, `${machine.secret}x`], [machine.clientId, digest], ['gc_nosuchclient000', machine.secret], [machine.clientId, machine.secret.toUpperCase()]] as const) {
      const res = await token({ grant_type: 'client_credentials' }, { authorization: basic(id, secret) });
      expect(res.statusCode, `${id}:${secret.slice(0, 8)}`).toBe(401);
      answers.push(res.json());
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
    await eventually('failure audited', async () => {
      const rows = await l.app.core.db.selectFrom('audit_events').select(['detail']).where('kind', '=', 'oidc.grant_failed').execute();
      return rows.some((r) => r.detail.includes('invalid_client'));
    });
  });

  it('a scope the client was not given is invalid_scope; openid and offline_access are not for machines', async () => {
    for (const scope of ['admin', 'invoices:read admin', 'openid', 'offline_access', 'INVOICES:READ']) {
      const res = await token({ grant_type: 'client_credentials', scope }, { authorization: basic(machine.clientId, machine.secret) });
      expect(res.statusCode, scope).toBe(400);
      expect(res.json().error, scope).toBe('invalid_scope');
    }
    // No scope asked: a token with none (the client names what it needs).
    const none = await token({ grant_type: 'client_credentials' }, { authorization: basic(machine.clientId, machine.secret) });
    expect(none.statusCode).toBe(200);
    expect(none.json().scope).toBeUndefined();
  });

  it('bad token requests get OAuth errors, never a 500', async () => {
    const auth = { authorization: basic(machine.clientId, machine.secret) };
    const cases: [Record<string, string>, Record<string, string>, number, string][] = [
      [{}, auth, 400, 'invalid_request'],
      [{ grant_type: 'password', username: 'a', password: 'b' }, auth, 400, 'unsupported_grant_type'],
      [{ grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://a.example/cb', code_verifier: 'x'.repeat(43) }, auth, 400, 'invalid_request'],
      [{ grant_type: 'client_credentials', resource: 'https://other.example' }, auth, 400, 'invalid_target'],
      [{ grant_type: 'client_credentials' }, {}, 400, 'invalid_request'],
      [{ grant_type: 'client_credentials', scope: '\u0000\uD800' }, auth, 400, 'invalid_scope'],
    ];
    for (const [body, headers, status, error] of cases) {
      const res = await token(body, headers);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error, `${JSON.stringify(body)} ${res.body}`).toBe(error);
    }
    const json = await l.app.request({ method: 'POST', url: '/oidc/token', payload: '{"grant_type":"client_credentials"}', headers: { 'content-type': 'application/json', ...auth } });
    expect(json.statusCode).toBe(400);
    const huge = await token({ grant_type: 'client_credentials', scope: 'a'.repeat(200_000) }, auth);
    expect(huge.statusCode).toBeGreaterThanOrEqual(400);
    expect(huge.statusCode).toBeLessThan(500);
    const malformedBasic = await token({ grant_type: 'client_credentials' }, { authorization: 'Basic %%%' });
    expect(malformedBasic.statusCode).toBe(400);
  });

  it('introspection needs an authenticated client; a public client may not read another client\'s token', async () => {
    const config = await rpConfig(l.url, machine.clientId, machine.secret);
    const issued = await oidc.clientCredentialsGrant(config, {});
    const anonymous = await l.app.request({ method: 'POST', url: '/oidc/token/introspection', payload: form({ token: issued.access_token }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(anonymous.statusCode).toBe(400);
    const spa = await registerClient(l.app, { name: 'SPA', grant_types: ['authorization_code'], public: true, redirect_uris: ['http://localhost:5173/cb'] });
    const peek = await l.app.request({ method: 'POST', url: '/oidc/token/introspection', payload: form({ token: issued.access_token, client_id: spa.clientId }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(peek.statusCode).toBe(200);
    expect(peek.json()).toEqual({ active: false });
    const junk = await oidc.tokenIntrospection(config, 'not-a-token');
    expect(junk.active).toBe(false);
  });

  it('a revoked client can no longer get tokens, and the tokens it holds stop introspecting as active', async () => {
    const doomed = await registerClient(l.app, machineClient);
    const config = await rpConfig(l.url, doomed.clientId, doomed.secret);
    const issued = await oidc.clientCredentialsGrant(config, {});
    await revokeOidcClientById(l.app.core, doomed.clientId);
    const refused = await token({ grant_type: 'client_credentials' }, { authorization: basic(doomed.clientId, doomed.secret) });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toBe('invalid_client');
    const reader = await rpConfig(l.url, machine.clientId, machine.secret);
    expect((await oidc.tokenIntrospection(reader, issued.access_token)).active).toBe(false);
  });
});
