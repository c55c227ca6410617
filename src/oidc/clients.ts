import type { AdapterPayload } from 'oidc-provider';
import type { OidcClientRow } from '../store/oidc-repo.js';

/** Client metadata Gatehouse adds to the provider's (see `extraClientMetadata` in provider.ts). */
export const extraClientProperties = ['first_party', 'gatehouse_api_scopes', 'gatehouse_access_token_ttl', 'gatehouse_refresh_token_ttl'] as const;

/**
 * A registered client as oidc-provider's metadata. `client_secret` is the stored digest: the
 * provider compares the digest of the presented secret with it (provider.ts), and no algorithm
 * that would use the secret as a key (HS256, client_secret_jwt) is enabled.
 */
export function clientMetadata(row: OidcClientRow): AdapterPayload {
  const grants = JSON.parse(row.grant_types) as string[];
  const code = grants.includes('authorization_code');
  return {
    client_id: row.client_id,
    client_name: row.name,
    ...(row.secret_hash ? { client_secret: row.secret_hash } : {}),
    client_id_issued_at: Math.floor(row.created_at / 1000),
    grant_types: grants,
    response_types: code ? ['code'] : [],
    redirect_uris: JSON.parse(row.redirect_uris) as string[],
    post_logout_redirect_uris: JSON.parse(row.post_logout_redirect_uris) as string[],
    token_endpoint_auth_method: row.auth_method as AdapterPayload['token_endpoint_auth_method'],
    id_token_signed_response_alg: 'RS256',
    ...(row.scopes ? { scope: row.scopes } : {}),
    ...(row.backchannel_logout_uri ? { backchannel_logout_uri: row.backchannel_logout_uri, backchannel_logout_session_required: true } : {}),
    first_party: row.first_party === 1,
    gatehouse_api_scopes: row.api_scopes,
    gatehouse_access_token_ttl: row.access_token_ttl ?? undefined,
    gatehouse_refresh_token_ttl: row.refresh_token_ttl ?? undefined,
  };
}
