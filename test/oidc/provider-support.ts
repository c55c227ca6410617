import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { createOidcClient, type OidcClientInput } from '../../src/core/oidc-clients.js';
import { oidcProviderOf } from '../../src/oidc/provider.js';
import { testApp, type TestApp } from '../support/app.js';
import type { BackendName } from '../support/backends.js';

/** A Gatehouse listening on a real port, its issuer that URL (openid-client talks real HTTP to it). */
export interface Listening {
  app: TestApp;
  url: string;
  close(): Promise<void>;
}

export async function listeningApp(backend: BackendName, env: Record<string, string> = {}, options: Parameters<typeof testApp>[2] = {}, port = 0): Promise<Listening> {
  // The issuer must be known before the app is built: take a free port first.
  const url = port ? `http://127.0.0.1:${port}` : await freePortUrl();
  const app = await testApp(backend, { GATEHOUSE_PUBLIC_URL: url, ...env }, options);
  await app.http.listen({ port: Number(new URL(url).port), host: '127.0.0.1' });
  return { app, url, close: () => app.close() };
}

export async function freePortUrl(): Promise<string> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

export async function registerClient(app: TestApp, input: OidcClientInput): Promise<{ clientId: string; secret: string }> {
  const { client, clientSecret } = await createOidcClient(app.core, input);
  return { clientId: client.client_id, secret: clientSecret ?? '' };
}

export const machineClient: OidcClientInput = { name: 'Billing worker', grant_types: ['client_credentials'], api_scopes: ['invoices:read', 'invoices:write'] };

export async function rpConfig(url: string, clientId: string, secret: string, auth: 'basic' | 'post' = 'basic'): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(url), clientId, undefined, auth === 'basic' ? oidc.ClientSecretBasic(secret) : oidc.ClientSecretPost(secret), { execute: [oidc.allowInsecureRequests] });
}

export function providerOf(app: TestApp) {
  const provider = oidcProviderOf(app.http);
  if (!provider) throw new Error('no OpenID provider mounted');
  return provider;
}

/** A form POST to a provider endpoint through inject (no client library: for bad input). */
export function form(values: Record<string, string>): string {
  return new URLSearchParams(values).toString();
}

export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

export const webRedirect = 'https://app.example/callback';
export const webClient: OidcClientInput = { name: 'Team wiki', grant_types: ['authorization_code', 'refresh_token'], redirect_uris: [webRedirect] };

/**
 * An authorization code as the provider issues one after a sign-in and consent, made through the
 * provider's own models (no browser: the hosted pages are tested with Chromium elsewhere).
 */
export async function mintCode(app: TestApp, o: { clientId: string; accountId: number; scope: string; verifier: string; redirectUri?: string; nonce?: string }): Promise<string> {
  const provider = providerOf(app);
  const client = await provider.Client.find(o.clientId);
  if (!client) throw new Error('no such client');
  const grant = new provider.Grant({ accountId: String(o.accountId), clientId: o.clientId });
  grant.addOIDCScope(o.scope);
  const grantId = await grant.save();
  const code = new provider.AuthorizationCode({
    accountId: String(o.accountId),
    client,
    grantId,
    scope: o.scope,
    redirectUri: o.redirectUri ?? webRedirect,
    codeChallenge: await oidc.calculatePKCECodeChallenge(o.verifier),
    codeChallengeMethod: 'S256',
    gty: 'authorization_code',
    authTime: Math.floor(Date.now() / 1000),
    ...(o.nonce ? { nonce: o.nonce } : {}),
  });
  return code.save();
}

/** The redirect back to the client with `code`, as openid-client reads it. */
export const callbackUrl = (issuer: string, code: string, redirectUri = webRedirect) => new URL(`${redirectUri}?code=${encodeURIComponent(code)}&iss=${encodeURIComponent(issuer)}`);
