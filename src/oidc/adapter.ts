import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Core } from '../core/core.js';
import { consumeOidcModel, deleteOidcGrant, destroyOidcModel, grantOfOidcModel, findOidcModel, findOidcModelByUid, findOidcModelByUserCode, revokeOidcGrant } from '../store/oidc-repo.js';
import { oidcModelWrites, type OidcModelWrites } from '../store/oidc-model-writes.js';
import type { OidcClientCache } from './client-cache.js';

type AdapterCtx = Pick<Core, 'db' | 'clock'>;

/** A stored row as the provider reads it: its payload, `consumed` (seconds) once used. */
function payloadOf(row: { payload: string; consumed_at: number | null } | undefined): AdapterPayload | undefined {
  if (!row) return undefined;
  const payload = JSON.parse(row.payload) as AdapterPayload;
  return row.consumed_at === null ? payload : { ...payload, consumed: Math.floor(row.consumed_at / 1000) };
}

/**
 * oidc-provider's storage in Gatehouse's database: every model (sessions, interactions, grants,
 * codes, tokens, and any a caller names, such as the session links of backchannel-links.ts) is a
 * row of `oidc_models` keyed (model, id). Nothing is kept in memory, so every instance sharing the
 * database sees the same state. `Client` reads the registered clients (`oidc_clients`) through
 * the client cache, which every instance drops a client from when it is revoked. Saves go through
 * the database's one OidcModelWrites, which commits the saves of one event-loop turn together.
 */
export class DbAdapter implements Adapter {
  private readonly writes: OidcModelWrites;

  constructor(
    private readonly model: string,
    private readonly ctx: AdapterCtx,
    /** The provider's `invalid_grant` error (oidc-provider is imported once, in load.ts). */
    private readonly replayed: (message: string) => Error,
    private readonly clients: OidcClientCache,
  ) {
    this.writes = oidcModelWrites(ctx.db);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    if (this.model === 'Client') throw new Error('clients are registered through Gatehouse, not the provider');
    const now = this.ctx.clock.now();
    await this.writes.write({
      model: this.model,
      id,
      payload: JSON.stringify(payload),
      grant_id: typeof payload.grantId === 'string' ? payload.grantId : null,
      client_id: typeof payload.clientId === 'string' ? payload.clientId : null,
      uid: typeof payload.uid === 'string' ? payload.uid : null,
      user_code: typeof payload.userCode === 'string' ? payload.userCode : null,
      expires_at: typeof expiresIn === 'number' && expiresIn > 0 ? now + expiresIn * 1000 : null,
      consumed_at: typeof payload.consumed === 'number' ? payload.consumed * 1000 : null,
    });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    if (typeof id !== 'string' || id.length === 0 || id.length > 512) return undefined;
    if (this.model === 'Client') return this.clients.find(id);
    return payloadOf(await findOidcModel(this.ctx.db, this.model, id, this.ctx.clock.now()));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return payloadOf(await findOidcModelByUid(this.ctx.db, this.model, uid, this.ctx.clock.now()));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return payloadOf(await findOidcModelByUserCode(this.ctx.db, this.model, userCode, this.ctx.clock.now()));
  }

  /**
   * One use only, even under a race: the provider finds a code or refresh token unused and then
   * consumes it, so two requests in parallel could both pass its check. The conditional update
   * lets one through; the other is a replay: the grant and all it issued are revoked.
   */
  async consume(id: string): Promise<void> {
    if (await consumeOidcModel(this.ctx.db, this.model, id, this.ctx.clock.now())) return;
    const grantId = await grantOfOidcModel(this.ctx.db, this.model, id);
    if (grantId) await deleteOidcGrant(this.ctx.db, grantId);
    throw this.replayed(`${this.model === 'RefreshToken' ? 'refresh token' : 'grant'} already used`);
  }

  async destroy(id: string): Promise<void> {
    await destroyOidcModel(this.ctx.db, this.model, id);
  }

  /** This model's rows the grant issued (the provider asks each model in turn). */
  async revokeByGrantId(grantId: string): Promise<void> {
    await revokeOidcGrant(this.ctx.db, this.model, grantId);
  }
}
