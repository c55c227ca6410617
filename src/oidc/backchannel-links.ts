import type Provider from 'oidc-provider';

/** Which provider session (SSO cookie) a Gatehouse session signed in, kept with the provider's own storage. */
export interface SessionLink {
  /** The provider session's uid (stable for its life; its cookie id rotates). */
  sessionUid: string;
  accountId: string;
}

interface LinkAdapter {
  upsert(id: string, payload: Record<string, unknown>, expiresIn: number): Promise<unknown>;
  find(id: string): Promise<Record<string, unknown> | undefined | void>;
  destroy(id: string): Promise<unknown>;
}

/**
 * Both directions of the link between a Gatehouse session and the provider session it opened:
 * `s:<gatehouse session id>` → the provider session, for back-channel logout when the Gatehouse
 * session ends; `u:<provider session uid>` → the Gatehouse session that signed it in last, so a
 * session superseded by a later sign-in in the same browser does not end it. Stored through the
 * provider's adapter (model `GatehouseSessionLink`), so every instance sees the same links.
 */
export class SessionLinks {
  private readonly adapter: LinkAdapter;

  constructor(provider: Provider, private readonly ttlSeconds: number) {
    // A model class only names the adapter: the provider builds one adapter per model name.
    class GatehouseSessionLink extends provider.Session {}
    this.adapter = GatehouseSessionLink.adapter as unknown as LinkAdapter;
  }

  async link(gatehouseSessionId: string, link: SessionLink): Promise<void> {
    await this.adapter.upsert(`s:${gatehouseSessionId}`, { ...link }, this.ttlSeconds);
    await this.adapter.upsert(`u:${link.sessionUid}`, { sessionId: gatehouseSessionId, accountId: link.accountId }, this.ttlSeconds);
  }

  async providerSessionOf(gatehouseSessionId: string): Promise<SessionLink | undefined> {
    const found = await this.adapter.find(`s:${gatehouseSessionId}`);
    return found && typeof found.sessionUid === 'string' && typeof found.accountId === 'string' ? { sessionUid: found.sessionUid, accountId: found.accountId } : undefined;
  }

  async gatehouseSessionOf(sessionUid: string): Promise<string | undefined> {
    const found = await this.adapter.find(`u:${sessionUid}`);
    return found && typeof found.sessionId === 'string' ? found.sessionId : undefined;
  }

  async forget(gatehouseSessionId: string, sessionUid?: string): Promise<void> {
    await this.adapter.destroy(`s:${gatehouseSessionId}`);
    if (sessionUid && (await this.gatehouseSessionOf(sessionUid)) === gatehouseSessionId) await this.adapter.destroy(`u:${sessionUid}`);
  }
}
