import type { AdapterPayload } from 'oidc-provider';
import type { LRUCache } from 'lru-cache';
import { reconnecting } from '../core/cache-resync.js';
import type { Core } from '../core/core.js';
import { boundedLru } from '../core/lru.js';
import { oidcClientChannel } from '../core/oidc-clients.js';
import { findLiveOidcClient, type OidcClientRow } from '../store/oidc-repo.js';
import { clientMetadata } from './clients.js';

/**
 * A short life even without a message: a lost pub/sub message (Redis down) leaves a revoked
 * client usable on another instance for at most this long.
 */
const ttlMs = 5_000;

/**
 * Registered clients as the provider reads them, so a token request costs no client query: every
 * token, introspection and revocation request looks its client up (issue 15's bench: one of the
 * three statements of a client-credentials grant). Every instance drops an entry when any
 * instance revokes that client (pub/sub on `oidcClientChannel`), and entries expire regardless.
 * Only live clients are kept: an unknown id is asked of the database each time, so a client
 * registered on another instance works at once. At most GATEHOUSE_CACHE_MAX_ENTRIES clients.
 */
export class OidcClientCache {
  private readonly entries: LRUCache<string, OidcClientRow>;

  constructor(private readonly core: Pick<Core, 'db' | 'clock' | 'cache' | 'config'>) {
    this.entries = boundedLru(core.clock, core.config.cacheMaxEntries, ttlMs);
  }

  async init(): Promise<void> {
    await this.core.cache.subscribe(oidcClientChannel, (clientId) => {
      if (clientId === '*') this.entries.clear();
      else this.entries.delete(clientId);
    });
    // Revocations published while Redis was away never arrive: start afresh when it is back, as
    // CacheResync does for the user and API-token caches (core/cache-resync.ts).
    // Like the subscription above, it lasts as long as the cache.
    if (reconnecting(this.core.cache)) this.core.cache.onReconnect(() => this.entries.clear());
  }

  /** The client's metadata, a new object each time (the provider may keep and change what it is given). */
  async find(clientId: string): Promise<AdapterPayload | undefined> {
    // While pub/sub is down no revocation can reach this instance: read the database every time.
    if (!this.core.cache.healthy()) {
      this.entries.clear();
      const row = await findLiveOidcClient(this.core.db, clientId);
      return row ? clientMetadata(row) : undefined;
    }
    let row = this.entries.get(clientId);
    if (!row) {
      row = await findLiveOidcClient(this.core.db, clientId);
      if (!row) return undefined;
      this.entries.set(clientId, row);
    }
    return clientMetadata(row);
  }
}
