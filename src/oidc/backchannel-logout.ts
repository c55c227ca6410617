import type Provider from 'oidc-provider';
import type { Core } from '../core/core.js';
import type { SessionLinks } from './backchannel-links.js';

type Client = NonNullable<Awaited<ReturnType<Provider['Client']['find']>>>;

/** How long one delivery attempt may take, and the pauses before the retries. */
const attemptTimeoutMs = 2000;
const retryDelaysMs = [250, 1000, 4000];

const logoutEvent = 'http://schemas.openid.net/event/backchannel-logout';

/**
 * OpenID Back-Channel Logout 1.0 for sessions Gatehouse ends: when a revocation this instance
 * committed (logout, logout-all, password reset, deactivation — everything through revokeSessions
 * or endAccess) names a Gatehouse session that signed a provider session in, every relying party
 * of that provider session with a back-channel logout URI gets a signed logout token, its grant
 * and tokens are revoked, and the provider session ends. Only the committing instance hears
 * `onPublish`, so with many instances each token is sent once.
 */
export class BackchannelLogout {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly provider: Provider,
    private readonly core: Pick<Core, 'log' | 'revocations'>,
    private readonly links: SessionLinks,
  ) {}

  start(): void {
    this.core.revocations.onPublish((message) => {
      for (const session of message.sessions ?? []) this.track(this.sessionEnded(session.id));
    });
  }

  /** Resolves once every logout under way has been delivered or given up (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private track(work: Promise<void>): void {
    const done = work.catch((err: unknown) => this.core.log.error({ err }, 'oidc back-channel logout failed')).finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  async sessionEnded(gatehouseSessionId: string): Promise<void> {
    const link = await this.links.providerSessionOf(gatehouseSessionId);
    if (!link) return;
    // A later sign-in in the same browser took the provider session over: it lives on with that one.
    const current = await this.links.gatehouseSessionOf(link.sessionUid);
    await this.links.forget(gatehouseSessionId, link.sessionUid);
    if (current !== undefined && current !== gatehouseSessionId) return;
    const session = await this.provider.Session.findByUid(link.sessionUid);
    if (!session) return;
    const accountId = session.accountId ?? link.accountId;
    const notify: { client: Client; sid: string | undefined }[] = [];
    // Grants and tokens go first, so a relying party that reacts to the logout token finds them dead.
    for (const [clientId, authorization] of Object.entries(session.authorizations ?? {})) {
      if (authorization.grantId) await this.revokeGrant(authorization.grantId);
      const client = await this.provider.Client.find(clientId).catch(() => undefined);
      if (client?.backchannelLogoutUri) notify.push({ client, sid: authorization.sid });
    }
    await session.destroy();
    await Promise.all(notify.map((n) => this.deliver(n.client, accountId, n.sid)));
  }

  private async revokeGrant(grantId: string): Promise<void> {
    const p = this.provider;
    await Promise.all([p.AccessToken, p.RefreshToken, p.AuthorizationCode, p.DeviceCode, p.BackchannelAuthenticationRequest].map((model) => model.revokeByGrantId(grantId)));
    await p.Grant.adapter.destroy(grantId);
  }

  /** One logout token per relying party session, with both sub and sid; retried on failure. */
  private async deliver(client: Client, sub: string, sid: string | undefined): Promise<void> {
    const token = new this.provider.IdToken({ sub }, { client });
    // As the provider's own back-channel logout does: only sub from the account claims (pairwise where configured).
    (token as unknown as { mask: unknown }).mask = { sub: null };
    token.set('events', { [logoutEvent]: {} });
    token.set('jti', crypto.randomUUID());
    if (sid) token.set('sid', sid);
    const logoutToken = await token.issue({ use: 'logout' });
    const uri = client.backchannelLogoutUri!;
    for (let attempt = 0; ; attempt++) {
      const started = Date.now();
      try {
        const response = await fetch(uri, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ logout_token: logoutToken }),
          signal: AbortSignal.timeout(attemptTimeoutMs),
        });
        await response.body?.cancel();
        if (response.status === 200 || response.status === 204) {
          this.core.log.info({ client: client.clientId, ms: Date.now() - started, attempt }, 'oidc back-channel logout delivered');
          return;
        }
        throw new Error(`back-channel logout answered ${response.status}`);
      } catch (err) {
        const delay = retryDelaysMs[attempt];
        if (delay === undefined) {
          this.core.log.warn({ err, client: client.clientId }, 'oidc back-channel logout not delivered; giving up');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  }
}
