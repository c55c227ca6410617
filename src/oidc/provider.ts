import { KeyObject, sign as signData } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Account, Configuration, ExternalSigningKey } from 'oidc-provider';
import type { Core } from '../core/core.js';
import { locales } from '../core/locales.js';
import { idTokenAlg, type SigningKey } from '../core/keys.js';
import { matchesTokenDigest, secretHmac } from '../core/secrets.js';
import { oidcModelWrites } from '../store/oidc-model-writes.js';
import { DbAdapter } from './adapter.js';
import { OidcClientCache } from './client-cache.js';
import { extraClientProperties } from './clients.js';
import { auditProviderEvents } from './events.js';
import { logoutPages, mountInteractions } from './interactions/index.js';
import { loadOidcProvider } from './load.js';

/** Every provider endpoint sits under this prefix (discovery too sits at the root `.well-known`). */
export const oidcPrefix = '/oidc';
/** Paths of the provider's endpoints, as the discovery document lists them. */
export const oidcRoutes = {
  authorization: `${oidcPrefix}/auth`,
  token: `${oidcPrefix}/token`,
  userinfo: `${oidcPrefix}/userinfo`,
  jwks: `${oidcPrefix}/jwks`,
  end_session: `${oidcPrefix}/session/end`,
  revocation: `${oidcPrefix}/token/revocation`,
  introspection: `${oidcPrefix}/token/introspection`,
  pushed_authorization_request: `${oidcPrefix}/request`,
  code_verification: `${oidcPrefix}/device`,
  device_authorization: `${oidcPrefix}/device/auth`,
  registration: `${oidcPrefix}/reg`,
  backchannel_authentication: `${oidcPrefix}/backchannel`,
  challenge: `${oidcPrefix}/challenge`,
} as const;

/** The only resource client-credentials tokens are for: APIs that introspect them at Gatehouse. */
export const apiResource = 'urn:gatehouse:api';

type ClientLike = { clientId: string } & Record<string, unknown>;

/**
 * A key of Gatehouse's key ring handed to the provider: whichever key of `alg` the ring signs
 * with now, so a rotation (`gatehouse keys rotate`, on any instance) reaches the provider at its
 * next background reload without building the provider again.
 */
const ringKeyClass = (Base: typeof ExternalSigningKey) => class RingKey extends Base {
  constructor(
    private readonly current: () => SigningKey,
    private readonly keyAlg: string,
  ) {
    super();
  }

  override get kid(): string {
    return this.current().kid;
  }

  override set kid(_value: string) {
    // The ring names its keys.
  }

  override get alg(): string {
    return this.keyAlg;
  }

  override keyObject(): KeyObject {
    return KeyObject.from(this.current().verifying as CryptoKey);
  }

  override sign(data: Uint8Array): Uint8Array {
    const key = KeyObject.from(this.current().signing as CryptoKey);
    return this.keyAlg === 'EdDSA' ? signData(null, data, key) : signData('sha256', data, key);
  }
};

/** Claims per scope (OpenID Connect Core 5.4); `sub` always, and on ID tokens how and when the sign-in was made (`amr`, RFC 8176; `auth_time`). */
const claims = {
  openid: ['sub', 'amr', 'auth_time'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username', 'updated_at'],
  email: ['email', 'email_verified'],
} as const;

/** The account behind `sub` (the Gatehouse user id), unless it is gone or deactivated. */
async function findAccount(core: Core, id: string): Promise<Account | undefined> {
  if (!/^[1-9]\d{0,15}$/.test(id)) return undefined;
  const user = await core.users.get(Number(id));
  if (!user || !user.is_active) return undefined;
  return {
    accountId: id,
    claims: (_use: string, scope: string) => {
      const scopes = new Set(scope.split(' '));
      const name = `${user.first_name} ${user.last_name}`.trim();
      return {
        sub: id,
        ...(scopes.has('email') ? { email: user.email, email_verified: user.email_verified } : {}),
        ...(scopes.has('profile')
          ? {
              ...(name ? { name } : {}),
              ...(user.first_name ? { given_name: user.first_name } : {}),
              ...(user.last_name ? { family_name: user.last_name } : {}),
              ...(user.username ? { preferred_username: user.username } : {}),
              updated_at: Math.floor(user.updated_at / 1000),
            }
          : {}),
      };
    },
  };
}

const words = (value: unknown) => (typeof value === 'string' && value !== '' ? value.split(' ') : []);

export interface OidcProviderOptions {
  /** The issuer (default GATEHOUSE_PUBLIC_URL): discovery, tokens and every endpoint URL are built from it. */
  issuer?: string;
}

/**
 * The OAuth 2.1 / OpenID Connect provider (panva's oidc-provider) over Gatehouse's database, keys
 * and accounts. Authorization code with PKCE (required for every client), refresh tokens rotated
 * on use, client credentials, introspection, revocation, userinfo, RP-initiated and back-channel
 * logout. Nothing lives in memory that another instance would miss: state is in `oidc_models`,
 * cookie keys derive from GATEHOUSE_SECRET_KEY, signing keys come from the key ring.
 */
export async function createOidcProvider(core: Core, options: OidcProviderOptions = {}): Promise<Provider> {
  const { default: ProviderClass, ExternalSigningKey: Base, errors } = await loadOidcProvider(core.log);
  const RingKey = ringKeyClass(Base);
  await core.keys.ensureIdTokenKey();
  const clients = new OidcClientCache(core);
  await clients.init();
  const issuer = (options.issuer ?? core.config.publicUrl).replace(/\/+$/, '');
  const accessTtl = (client: ClientLike | undefined) => (typeof client?.gatehouse_access_token_ttl === 'number' ? client.gatehouse_access_token_ttl : core.settings.get('access_token_ttl'));
  const refreshTtl = (client: ClientLike | undefined) => (typeof client?.gatehouse_refresh_token_ttl === 'number' ? client.gatehouse_refresh_token_ttl : core.settings.get('refresh_token_ttl'));
  const keys = [new RingKey(() => core.keys.idTokenKey(), idTokenAlg), ...(core.keys.alg === 'EdDSA' ? [new RingKey(() => core.keys.signingKey(), 'EdDSA')] : [])];

  const configuration: Configuration = {
    adapter: (name: string) => new DbAdapter(name, core, (message) => new errors.InvalidGrant(message), clients),
    clients: [],
    findAccount: (_ctx, id) => findAccount(core, id),
    claims: claims as unknown as Configuration['claims'],
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    jwks: { keys },
    cookies: { keys: [secretHmac(core.secretKey, 'oidc-cookies', 'v1').toString('base64url')] },
    routes: oidcRoutes,
    interactions: { url: (_ctx, interaction) => `${oidcPrefix}/interaction/${interaction.uid}` },
    responseTypes: ['code'],
    // The languages the hosted pages speak (`ui_locales`, interactions/hosted-context.ts).
    discovery: { claim_types_supported: ['normal'], ui_locales_supported: [...locales] },
    pkce: { required: () => true },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'EdDSA'],
      userinfoSigningAlgValues: ['RS256', 'EdDSA'],
      introspectionSigningAlgValues: ['RS256', 'EdDSA'],
      authorizationSigningAlgValues: ['RS256', 'EdDSA'],
      requestObjectSigningAlgValues: ['RS256', 'EdDSA'],
      clientAuthSigningAlgValues: ['RS256', 'EdDSA'],
    },
    allowOmittingSingleRegisteredRedirectUri: false,
    extraClientMetadata: { properties: [...extraClientProperties] },
    clientDefaults: { grant_types: ['authorization_code'], id_token_signed_response_alg: 'RS256', response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' },
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    ttl: {
      AccessToken: (_ctx, _token, client) => accessTtl(client as unknown as ClientLike),
      ClientCredentials: (_ctx, _token, client) => accessTtl(client as unknown as ClientLike),
      RefreshToken: (_ctx, _token, client) => refreshTtl(client as unknown as ClientLike),
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: core.config.sessionMaxSeconds,
      Grant: (ctx) => Math.max(refreshTtl(ctx?.oidc?.client as unknown as ClientLike | undefined), 3600),
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      // Confidential clients (resource servers) may introspect any token; a public client only its own.
      introspection: { enabled: true, allowedPolicy: async (ctx, client, token) => client.clientAuthMethod !== 'none' || token.clientId === ctx.oidc.client?.clientId },
      // A client revokes only its own tokens; another's is refused as the RFC 7009 "unsupported" case.
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      clientCredentials: { enabled: true },
      claimsParameter: { enabled: false },
      registration: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true, ...logoutPages(core) },
      externalSigningSupport: { enabled: true, ack: 'experimental-01' },
      resourceIndicators: {
        enabled: true,
        // Client credentials are for Gatehouse-introspected APIs; user tokens stay for userinfo.
        defaultResource: (ctx, _client, oneOf) => oneOf ?? (ctx.oidc.params?.grant_type === 'client_credentials' ? apiResource : undefined),
        useGrantedResource: async () => false,
        getResourceServerInfo: (ctx, resource, client) => {
          if (resource !== apiResource) throw new errors.InvalidTarget();
          const allowed = new Set(words((client as unknown as ClientLike).gatehouse_api_scopes));
          const asked = words(ctx.oidc.params?.scope);
          const refused = asked.find((s) => !allowed.has(s));
          if (refused !== undefined) throw new errors.InvalidScope('requested scope is not allowed', refused);
          return { scope: [...allowed].join(' '), audience: apiResource, accessTokenFormat: 'opaque', accessTokenTTL: accessTtl(client as unknown as ClientLike) };
        },
      },
    },
    renderError: (ctx, out) => {
      ctx.type = 'text/html; charset=utf-8';
      ctx.set('cache-control', 'no-store');
      const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
      ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head><body><h1>${esc(out.error)}</h1><p>${esc(out.error_description ?? '')}</p></body></html>`;
    },
  };
  const provider = new ProviderClass(issuer, configuration);
  // URLs come from the issuer, not from whatever Host or X-Forwarded-* a request carries (see mountOidc).
  provider.proxy = true;

  // The stored secret is a digest: compare the presented secret's digest with it.
  const clientProto = provider.Client.prototype as unknown as { compareClientSecret(actual: string): boolean; clientSecret?: string };
  clientProto.compareClientSecret = function (this: { clientSecret?: string }, actual: string) {
    return typeof this.clientSecret === 'string' && typeof actual === 'string' && matchesTokenDigest(actual, this.clientSecret);
  };
  return provider;
}

const mounted = new WeakMap<FastifyInstance, Provider>();

/** The provider `mountOidc` put into `app` (tests, OIDC-B's hosted pages). */
export function oidcProviderOf(app: FastifyInstance): Provider | undefined {
  return mounted.get(app);
}

/**
 * Mounts the provider into the Fastify app: the hosted interaction pages (mountInteractions), then
 * every `/oidc/*` request and the two discovery documents handed to the provider's own handler
 * (the raw request; Fastify does not read the body). `/oidc/jwks` answers with the key ring's JWKS,
 * the same document as `/.well-known/jwks.json`. The provider's events become audit rows
 * (events.ts), the last of them written when the app closes.
 */
export async function mountOidc(app: FastifyInstance, core: Core, options: OidcProviderOptions = {}): Promise<Provider> {
  const provider = await createOidcProvider(core, options);
  const audit = auditProviderEvents(provider, core);
  // After the server has stopped taking requests (so every grant's event is in), before the store closes (app.ts).
  app.addHook('onClose', () => audit.close());
  // Token saves still waiting for their statement (oidc-model-writes.ts), before the store closes too.
  app.addHook('onClose', () => oidcModelWrites(core.db).flush());
  const origin = new URL(provider.issuer);
  mountInteractions(app, provider, core);
  const handler = provider.callback();
  const hand = (request: FastifyRequest, reply: FastifyReply, url?: string) => {
    const raw = request.raw;
    // The provider trusts these (provider.proxy): they are set here from the issuer and from the
    // client address Fastify resolved under GATEHOUSE_TRUST_PROXY, whatever the request said.
    raw.headers['x-forwarded-host'] = origin.host;
    raw.headers['x-forwarded-proto'] = origin.protocol.slice(0, -1);
    raw.headers['x-forwarded-for'] = request.ip;
    if (url) raw.url = url;
    reply.hijack();
    void handler(raw, reply.raw);
  };
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // The provider reads bodies itself (and refuses what it does not take).
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    scope.get(oidcRoutes.jwks, { schema: { hide: true } }, async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300').type('application/jwk-set+json');
      return core.keys.jwks();
    });
    scope.all(`${oidcPrefix}/*`, { schema: { hide: true }, bodyLimit: 64 * 1024 }, (request, reply) => hand(request, reply));
    scope.get('/.well-known/openid-configuration', { schema: { hide: true } }, (request, reply) => hand(request, reply));
    // RFC 8414 metadata: the same document.
    scope.get('/.well-known/oauth-authorization-server', { schema: { hide: true } }, (request, reply) => hand(request, reply, '/.well-known/openid-configuration'));
  });
  mounted.set(app, provider);
  return provider;
}
