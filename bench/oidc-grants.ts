/**
 * What the token-endpoint bench needs for user grants: authorization codes (as the provider issues
 * them after a sign-in, made through its own models in this process over the bench database, as
 * test/oidc/provider-support.ts mints them) and the refresh tokens their exchange returns.
 */
import { createHash } from 'node:crypto';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createOidcClient } from '../src/core/oidc-clients.js';
import { oidcProviderOf } from '../src/oidc/provider.js';

export const benchRedirectUri = 'https://rp.bench.example/callback';
/** One PKCE verifier for every code: the bench measures the exchange, not the client. */
export const benchVerifier = 'bench-verifier-'.padEnd(64, 'v');

export interface CodeClient {
  clientId: string;
  secret: string;
}

/** A first-party web client (code + refresh) and `count` codes for user `accountId`, scope `openid offline_access`. */
export async function mintCodes(env: Record<string, string>, accountId: number, count: number, client?: CodeClient): Promise<{ client: CodeClient; codes: string[] }> {
  const app = await createApp(loadConfig({ ...process.env, ...env }), { mailWorker: false, webhookWorker: false, cleanup: false });
  try {
    if (!client) {
      const made = await createOidcClient(app.core, { name: 'bench web', grant_types: ['authorization_code', 'refresh_token'], redirect_uris: [benchRedirectUri], first_party: true });
      client = { clientId: made.client.client_id, secret: made.clientSecret ?? '' };
    }
    const provider = oidcProviderOf(app.http);
    const found = await provider?.Client.find(client.clientId);
    if (!provider || !found) throw new Error('no provider or client to mint codes for');
    const challenge = createHash('sha256').update(benchVerifier).digest('base64url');
    const codes: string[] = [];
    for (let i = 0; i < count; i++) {
      const grant = new provider.Grant({ accountId: String(accountId), clientId: client.clientId });
      grant.addOIDCScope('openid offline_access');
      const grantId = await grant.save();
      const code = new provider.AuthorizationCode({
        accountId: String(accountId),
        client: found,
        grantId,
        scope: 'openid offline_access',
        redirectUri: benchRedirectUri,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        gty: 'authorization_code',
        authTime: Math.floor(Date.now() / 1000),
      });
      codes.push(await code.save());
    }
    return { client, codes };
  } finally {
    await app.close();
  }
}

export const codeExchangeBody = (code: string) => `grant_type=authorization_code&code=${encodeURIComponent(code)}&redirect_uri=${encodeURIComponent(benchRedirectUri)}&code_verifier=${benchVerifier}`;
export const refreshBody = (token: string) => `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}`;
