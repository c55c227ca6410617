import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { backends } from '../support/backends.js';
import { eventually } from '../revocation-feed/support.js';
import { basic, callbackUrl, form, listeningApp, mintCode, registerClient, rpConfig, webClient, webRedirect, type Listening } from './provider-support.js';

describe.each(backends)('OpenID provider: authorization code, PKCE, refresh rotation on %s', (backend) => {
  let l: Listening;
  let web: { clientId: string; secret: string };
  let config: oidc.Configuration;
  let userId: number;

  beforeAll(async () => {
    l = await listeningApp(backend);
    web = await registerClient(l.app, webClient);
    config = await rpConfig(l.url, web.clientId, web.secret);
    userId = (await l.app.signUp({ username: 'ada', email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace' })).user.id;
  });
  afterAll(async () => {
    await l?.close();
  });

  const auth = (params: Record<string, string>) => l.app.request({ method: 'GET', url: `/oidc/auth?${new URLSearchParams(params)}` });
  const token = (body: Record<string, string>) =>
    l.app.request({ method: 'POST', url: '/oidc/token', payload: form(body), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(web.clientId, web.secret) } });
  const active = async (t: string) => (await oidc.tokenIntrospection(config, t)).active;

  async function exchange(scope: string, nonce?: string) {
    const verifier = oidc.randomPKCECodeVerifier();
    const code = await mintCode(l.app, { clientId: web.clientId, accountId: userId, scope, verifier, nonce });
    return { code, verifier, tokens: await oidc.authorizationCodeGrant(config, callbackUrl(l.url, code), { pkceCodeVerifier: verifier, expectedNonce: nonce, idTokenExpected: true }) };
  }

  it('a valid authorization request goes to the hosted interaction; without PKCE, with plain PKCE or a foreign redirect it does not', async () => {
    const challenge = await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier());
    const good = { client_id: web.clientId, response_type: 'code', redirect_uri: webRedirect, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256', state: 's1' };
    const ok = await auth(good);
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toMatch(/^\/oidc\/interaction\/[A-Za-z0-9_-]+$/);

    const errorAt = (location: string | undefined) => Object.fromEntries(new URL(location ?? 'x:').searchParams);
    const noPkce = await auth({ ...good, code_challenge: '', code_challenge_method: '' });
    expect(noPkce.statusCode).toBe(303);
    expect(noPkce.headers.location?.startsWith(`${webRedirect}?`)).toBe(true);
    expect(errorAt(noPkce.headers.location)).toMatchObject({ error: 'invalid_request', state: 's1', iss: l.url });
    const plain = await auth({ ...good, code_challenge_method: 'plain' });
    expect(errorAt(plain.headers.location).error).toBe('invalid_request');
    const implicit = await auth({ ...good, response_type: 'token' });
    // Asked for the implicit flow, the error goes back in the fragment, as that response type would have.
    expect(Object.fromEntries(new URLSearchParams(new URL(implicit.headers.location ?? 'x:').hash.slice(1))).error).toBe('unsupported_response_type');

    // Never redirected anywhere not registered exactly: an error page instead.
    for (const redirect_uri of [`${webRedirect}/x`, `${webRedirect}?a=1`, 'https://app.example/Callback', 'https://app.example.evil.test/callback', `${webRedirect}#f`, 'https://APP.example/callback/', '']) {
      const res = await auth({ ...good, redirect_uri });
      expect(res.statusCode, redirect_uri).toBe(400);
      expect(res.headers.location, redirect_uri).toBeUndefined();
      expect(res.headers['content-type']).toMatch(/text\/html/);
    }
    const unknown = await auth({ ...good, client_id: 'gc_nosuchclient000' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers.location).toBeUndefined();
    await eventually('authorization errors audited', async () => {
      const rows = await l.app.core.db.selectFrom('audit_events').select('detail').where('kind', '=', 'oidc.authorization_failed').execute();
      return rows.length >= 4;
    });
  });

  it('a code exchanged with its PKCE verifier gives an RS256 ID token that verifies against the JWKS, with the claims of the scopes', async () => {
    const nonce = oidc.randomNonce();
    const { tokens } = await exchange('openid profile email offline_access', nonce);
    expect(tokens.refresh_token).toBeTruthy();
    const jwks = createRemoteJWKSet(new URL(`${l.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, jwks, { issuer: l.url, audience: web.clientId });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ sub: String(userId), nonce, iss: l.url, aud: web.clientId });
    // With an access token issued too, profile and email claims are at userinfo, not in the ID token (Core 5.4).
    expect(payload.email).toBeUndefined();
    const info = await oidc.fetchUserInfo(config, tokens.access_token, String(userId));
    expect(info).toMatchObject({ sub: String(userId), email: 'ada@example.com', email_verified: false, name: 'Ada Lovelace', given_name: 'Ada', family_name: 'Lovelace', preferred_username: 'ada' });
    expect(typeof info.updated_at).toBe('number');

    const narrow = await exchange('openid');
    const only = await oidc.fetchUserInfo(config, narrow.tokens.access_token, String(userId));
    expect(only).toEqual({ sub: String(userId) });
    expect(narrow.tokens.refresh_token, 'no offline_access: no refresh token').toBeUndefined();
  });

  it('a wrong verifier, a missing one, a wrong redirect URI and a code of another client are invalid_grant', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const code = await mintCode(l.app, { clientId: web.clientId, accountId: userId, scope: 'openid', verifier });
    const other = await registerClient(l.app, { ...webClient, name: 'Other' });
    const cases: Record<string, string>[] = [
      { grant_type: 'authorization_code', code, redirect_uri: webRedirect, code_verifier: oidc.randomPKCECodeVerifier() },
      { grant_type: 'authorization_code', code, redirect_uri: `${webRedirect}/x`, code_verifier: verifier },
      { grant_type: 'authorization_code', code, code_verifier: verifier },
      { grant_type: 'authorization_code', code: 'x'.repeat(43), redirect_uri: webRedirect, code_verifier: verifier },
    ];
    for (const body of cases) {
      const res = await token(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(['invalid_grant', 'invalid_request']).toContain(res.json().error);
    }
    const missing = await token({ grant_type: 'authorization_code', code, redirect_uri: webRedirect });
    expect(missing.json().error).toBe('invalid_grant');
    const foreign = await l.app.request({ method: 'POST', url: '/oidc/token', payload: form({ grant_type: 'authorization_code', code, redirect_uri: webRedirect, code_verifier: verifier }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(other.clientId, other.secret) } });
    expect(foreign.json().error).toBe('invalid_grant');
  });

  it('replay: a code used twice is refused and revokes the tokens its first use issued', async () => {
    const { code, verifier, tokens } = await exchange('openid offline_access');
    expect(await active(tokens.access_token)).toBe(true);
    const again = await token({ grant_type: 'authorization_code', code, redirect_uri: webRedirect, code_verifier: verifier });
    expect(again.statusCode).toBe(400);
    expect(again.json().error).toBe('invalid_grant');
    expect(await active(tokens.access_token)).toBe(false);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toThrow();
  });

  it('race: one code exchanged by 8 requests at once succeeds at most once, and then nothing it issued works', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const code = await mintCode(l.app, { clientId: web.clientId, accountId: userId, scope: 'openid offline_access', verifier });
    const answers = await Promise.all(Array.from({ length: 8 }, () => token({ grant_type: 'authorization_code', code, redirect_uri: webRedirect, code_verifier: verifier })));
    const won = answers.filter((a) => a.statusCode === 200);
    expect(won.length).toBeLessThanOrEqual(1);
    expect(answers.every((a) => a.statusCode === 200 || a.json().error === 'invalid_grant')).toBe(true);
    for (const w of won) expect(await active(w.json().access_token)).toBe(false);
  });

  it('an expired code is invalid_grant', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const code = await mintCode(l.app, { clientId: web.clientId, accountId: userId, scope: 'openid', verifier });
    l.app.clock.advance(61);
    const res = await token({ grant_type: 'authorization_code', code, redirect_uri: webRedirect, code_verifier: verifier });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_grant');
  });

  it('refresh tokens rotate; replaying a rotated one revokes the whole grant, audited', async () => {
    const { tokens } = await exchange('openid offline_access');
    const first = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(first.refresh_token).toBeTruthy();
    expect(first.refresh_token).not.toBe(tokens.refresh_token);
    const second = await oidc.refreshTokenGrant(config, first.refresh_token!);
    expect(await active(second.access_token)).toBe(true);

    const replay = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error).toBe('invalid_grant');
    expect(await active(second.access_token)).toBe(false);
    const after = await token({ grant_type: 'refresh_token', refresh_token: second.refresh_token! });
    expect(after.json().error).toBe('invalid_grant');
    await eventually('reuse audited', async () => {
      const rows = await l.app.core.db.selectFrom('audit_events').select(['detail', 'user_id']).where('kind', '=', 'oidc.refresh_reuse').execute();
      return rows.some((r) => r.user_id === userId && r.detail.includes(web.clientId));
    });
  });

  it('race: one refresh token presented 8 times at once rotates at most once', async () => {
    const { tokens } = await exchange('openid offline_access');
    const answers = await Promise.all(Array.from({ length: 8 }, () => token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! })));
    const won = answers.filter((a) => a.statusCode === 200);
    expect(won.length).toBeLessThanOrEqual(1);
    expect(answers.every((a) => a.statusCode === 200 || a.json().error === 'invalid_grant')).toBe(true);
  });

  it('a deactivated account\'s refresh token stops working', async () => {
    const other = (await l.app.signUp({ username: 'grace', email: 'grace@example.com' })).user.id;
    const verifier = oidc.randomPKCECodeVerifier();
    const code = await mintCode(l.app, { clientId: web.clientId, accountId: other, scope: 'openid offline_access', verifier });
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl(l.url, code), { pkceCodeVerifier: verifier });
    await l.app.core.db.updateTable('users').set({ is_active: 0 }).where('id', '=', other).execute();
    await l.app.core.users.invalidate(other);
    const res = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_grant');
  });
});
