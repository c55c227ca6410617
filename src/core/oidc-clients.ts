import { recordAudit } from './audit.js';
import type { Core } from './core.js';
import type { AdminActor } from './admin/permissions.js';
import { AuthError, FieldErrorBag } from './errors.js';
import { randomToken, tokenDigest } from './secrets.js';
import { afterCommit, inTransaction } from './transaction.js';
import { isStorableText } from './users/normalize.js';
import { countLiveOidcClients, deleteOidcClientState, findOidcClient, insertOidcClient, listOidcClients, revokeOidcClient, type OidcClientListed } from '../store/oidc-repo.js';

/**
 * Relying parties of the OpenID provider (src/oidc). A client's secret is returned once and
 * stored as a digest; the provider compares the digest of what a client presents (oidc/provider.ts).
 * Revoking a client deletes its grants and tokens: nothing it was issued works afterwards.
 */
export const oidcGrantTypes = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export type OidcGrantType = (typeof oidcGrantTypes)[number];
export const oidcScopes = ['openid', 'profile', 'email', 'offline_access'] as const;
export const oidcAuthMethods = ['client_secret_basic', 'client_secret_post', 'none'] as const;
export const oidcClientIdPattern = '^gc_[A-Za-z0-9_-]{1,64}$';
const clientIdRe = new RegExp(oidcClientIdPattern);
const apiScopeRe = /^[A-Za-z0-9][A-Za-z0-9:._/-]{0,63}$/;
const maxLiveClients = 500;
/** Pub/sub channel: a client id whose registration changed (the provider's client cache drops it on every instance). */
export const oidcClientChannel = 'oidc-clients';
const maxUris = 10;

export interface OidcClientView {
  client_id: string;
  name: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: OidcGrantType[];
  scopes: string[];
  api_scopes: string[];
  auth_method: string;
  public: boolean;
  first_party: boolean;
  access_token_ttl: number | null;
  refresh_token_ttl: number | null;
  backchannel_logout_uri: string | null;
  created_at: number;
  created_by: number | null;
  revoked_at: number | null;
}

export interface OidcClientInput {
  name?: unknown;
  redirect_uris?: unknown;
  post_logout_redirect_uris?: unknown;
  grant_types?: unknown;
  scopes?: unknown;
  api_scopes?: unknown;
  public?: unknown;
  first_party?: unknown;
  auth_method?: unknown;
  access_token_ttl?: unknown;
  refresh_token_ttl?: unknown;
  backchannel_logout_uri?: unknown;
}

const words = (s: string) => (s === '' ? [] : s.split(' '));

export function oidcClientView(row: OidcClientListed): OidcClientView {
  return {
    client_id: row.client_id,
    name: row.name,
    redirect_uris: JSON.parse(row.redirect_uris) as string[],
    post_logout_redirect_uris: JSON.parse(row.post_logout_redirect_uris) as string[],
    grant_types: JSON.parse(row.grant_types) as OidcGrantType[],
    scopes: words(row.scopes),
    api_scopes: words(row.api_scopes),
    auth_method: row.auth_method,
    public: row.auth_method === 'none',
    first_party: row.first_party === 1,
    access_token_ttl: row.access_token_ttl,
    refresh_token_ttl: row.refresh_token_ttl,
    backchannel_logout_uri: row.backchannel_logout_uri,
    created_at: row.created_at,
    created_by: row.created_by,
    revoked_at: row.revoked_at,
  };
}

/** An exact redirect target: absolute, no fragment, https — or http only to a loopback address (RFC 8252). */
function uriProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000 || !isStorableText(value)) return 'Enter an absolute URL of at most 2000 characters.';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter an absolute URL.';
  }
  if (url.hash !== '' || value.includes('#')) return 'A redirect URL has no fragment.';
  if (url.username || url.password) return 'A redirect URL carries no credentials.';
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && !loopback) return 'Use https (http only to localhost or 127.0.0.1).';
  if (url.protocol !== 'https:' && url.protocol !== 'http:' && !/^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol)) return 'Use https, or a reverse-domain custom scheme for native apps.';
  return undefined;
}

function uriList(errors: FieldErrorBag, field: string, value: unknown, required: boolean): string[] {
  if (value === undefined || value === null) {
    if (required) errors.add(field, 'This field is required.');
    return [];
  }
  if (!Array.isArray(value) || value.length > maxUris || (required && value.length === 0)) {
    errors.add(field, `Enter ${required ? '1' : '0'} to ${maxUris} URLs.`);
    return [];
  }
  for (const v of value) {
    const problem = uriProblem(v);
    if (problem) errors.add(field, problem);
  }
  return [...new Set(value as string[])];
}

function ttl(errors: FieldErrorBag, field: string, value: unknown, min: number, max: number): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    errors.add(field, `Enter a whole number of seconds from ${min} to ${max}.`);
    return null;
  }
  return value;
}

function flag(errors: FieldErrorBag, field: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') errors.add(field, 'Must be a valid boolean.');
  return value === true;
}

/** A client's registration checked as a whole; every problem is named at once. */
function checkInput(input: OidcClientInput) {
  const errors = new FieldErrorBag();
  const name = input.name;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) errors.add('name', 'Enter a name of 1 to 100 characters.');
  else if (!isStorableText(name)) errors.add('name', 'Control characters and invalid Unicode are not allowed.');

  let grants: OidcGrantType[] = [];
  const g = input.grant_types;
  if (!Array.isArray(g) || g.length === 0 || g.length > oidcGrantTypes.length || !g.every((x) => (oidcGrantTypes as readonly unknown[]).includes(x))) {
    errors.add('grant_types', `Choose from ${oidcGrantTypes.join(', ')}.`);
  } else grants = [...new Set(g as OidcGrantType[])];
  const code = grants.includes('authorization_code');
  const isPublic = flag(errors, 'public', input.public);
  const firstParty = flag(errors, 'first_party', input.first_party);
  if (grants.includes('refresh_token') && !code) errors.add('grant_types', 'refresh_token comes with authorization_code.');
  if (isPublic && grants.includes('client_credentials')) errors.add('grant_types', 'A public client cannot use client_credentials: it has no secret.');

  let authMethod: string = isPublic ? 'none' : 'client_secret_basic';
  if (input.auth_method !== undefined && input.auth_method !== null) {
    if (!(oidcAuthMethods as readonly unknown[]).includes(input.auth_method)) errors.add('auth_method', `Choose from ${oidcAuthMethods.join(', ')}.`);
    else if ((input.auth_method === 'none') !== isPublic) errors.add('auth_method', isPublic ? 'A public client authenticates with none.' : 'A confidential client authenticates with its secret.');
    else authMethod = input.auth_method as string;
  }

  const redirectUris = uriList(errors, 'redirect_uris', input.redirect_uris, code);
  if (!code && redirectUris.length) errors.add('redirect_uris', 'Only authorization_code clients have redirect URLs.');
  const postLogout = uriList(errors, 'post_logout_redirect_uris', input.post_logout_redirect_uris, false);

  let scopes: string[] = code ? ['openid', 'profile', 'email', ...(grants.includes('refresh_token') ? ['offline_access'] : [])] : [];
  if (input.scopes !== undefined && input.scopes !== null) {
    const s = input.scopes;
    if (!Array.isArray(s) || s.length > oidcScopes.length || !s.every((x) => (oidcScopes as readonly unknown[]).includes(x))) errors.add('scopes', `Choose from ${oidcScopes.join(', ')}.`);
    else if (!code && s.length) errors.add('scopes', 'OpenID scopes come with authorization_code.');
    else scopes = [...new Set(s as string[])];
  }
  if (code && !scopes.includes('openid')) errors.add('scopes', 'An authorization_code client has the openid scope.');

  let apiScopes: string[] = [];
  if (input.api_scopes !== undefined && input.api_scopes !== null) {
    const s = input.api_scopes;
    if (!Array.isArray(s) || s.length > 20 || !s.every((x) => typeof x === 'string' && apiScopeRe.test(x) && !(oidcScopes as readonly string[]).includes(x))) {
      errors.add('api_scopes', 'Enter up to 20 scopes of letters, digits and : . _ / - (not the OpenID ones).');
    } else if (!grants.includes('client_credentials') && s.length) errors.add('api_scopes', 'API scopes come with client_credentials.');
    else apiScopes = [...new Set(s as string[])];
  }

  const accessTtl = ttl(errors, 'access_token_ttl', input.access_token_ttl, 60, 86_400);
  const refreshTtl = ttl(errors, 'refresh_token_ttl', input.refresh_token_ttl, 300, 365 * 86_400);
  let backchannel: string | null = null;
  if (input.backchannel_logout_uri !== undefined && input.backchannel_logout_uri !== null) {
    const problem = uriProblem(input.backchannel_logout_uri);
    if (problem) errors.add('backchannel_logout_uri', problem);
    else if (!code) errors.add('backchannel_logout_uri', 'Only authorization_code clients sign users in.');
    else backchannel = input.backchannel_logout_uri as string;
  }
  errors.throwIfAny();
  return { name: (name as string).trim(), grants, isPublic, firstParty, authMethod, redirectUris, postLogout, scopes, apiScopes, accessTtl, refreshTtl, backchannel };
}

/** Registers a client; a confidential client's secret is returned this once. `actor` is absent from the CLI. */
export async function createOidcClient(core: Core, input: OidcClientInput, actor?: AdminActor): Promise<{ client: OidcClientView; clientSecret: string | null }> {
  const c = checkInput(input);
  const now = core.clock.now();
  const clientId = `gc_${randomToken(12)}`;
  const clientSecret = c.isPublic ? null : `gcs_${randomToken(32)}`;
  const row = {
    client_id: clientId,
    name: c.name,
    secret_hash: clientSecret === null ? null : tokenDigest(clientSecret),
    redirect_uris: JSON.stringify(c.redirectUris),
    post_logout_redirect_uris: JSON.stringify(c.postLogout),
    grant_types: JSON.stringify(c.grants),
    scopes: c.scopes.join(' '),
    api_scopes: c.apiScopes.join(' '),
    auth_method: c.authMethod,
    first_party: c.firstParty ? 1 : 0,
    access_token_ttl: c.accessTtl,
    refresh_token_ttl: c.refreshTtl,
    backchannel_logout_uri: c.backchannel,
    created_at: now,
    created_by: actor?.user.id ?? null,
    revoked_at: null,
  };
  await inTransaction(core, async (trx) => {
    if ((await countLiveOidcClients(trx)) >= maxLiveClients) {
      throw new AuthError('validation_failed', 'Too many clients.', { non_field_errors: [`Revoke a client before registering another (${maxLiveClients} at most).`] });
    }
    await insertOidcClient(trx, row);
    await recordAudit(trx, { kind: 'admin.oidc_client_created', at: now, actorId: actor?.user.id ?? null, ip: actor?.meta.ip ?? 'cli', userAgent: actor?.meta.userAgent, detail: { client_id: clientId, name: c.name, grant_types: c.grants } });
  });
  const { secret_hash: _digest, ...listed } = row;
  return { client: oidcClientView(listed), clientSecret };
}

export async function listAllOidcClients(core: Core): Promise<OidcClientView[]> {
  return (await listOidcClients(core.db, 500)).map(oidcClientView);
}

export async function getOidcClient(core: Core, clientId: string): Promise<OidcClientView> {
  const row = clientIdRe.test(clientId) ? await findOidcClient(core.db, clientId) : undefined;
  if (!row) throw new AuthError('not_found', 'No such client.');
  return oidcClientView(row);
}

/** Revokes a client: it can no longer authenticate or use the tokens it holds, on any instance. */
export async function revokeOidcClientById(core: Core, clientId: string, actor?: AdminActor): Promise<OidcClientView> {
  if (!clientIdRe.test(clientId)) throw new AuthError('not_found', 'No such client.');
  const revoked = await inTransaction(core, async (trx) => {
    const row = await revokeOidcClient(trx, clientId, core.clock.now());
    if (!row) return undefined;
    const deleted = await deleteOidcClientState(trx, clientId);
    await afterCommit(core, trx, () => core.cache.publish(oidcClientChannel, clientId).catch((err) => core.log.warn({ err }, 'oidc client revocation not broadcast')));
    await recordAudit(trx, { kind: 'admin.oidc_client_revoked', at: row.revoked_at!, actorId: actor?.user.id ?? null, ip: actor?.meta.ip ?? 'cli', userAgent: actor?.meta.userAgent, detail: { client_id: clientId, name: row.name, grants_and_tokens_deleted: deleted } });
    return row;
  });
  if (revoked) return oidcClientView(revoked);
  const existing = await findOidcClient(core.db, clientId);
  if (existing) throw new AuthError('conflict', 'This client is already revoked.');
  throw new AuthError('not_found', 'No such client.');
}
