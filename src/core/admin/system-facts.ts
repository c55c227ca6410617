import { outboxStats, type OutboxStatus } from '../../store/outbox-repo.js';
import { schemaLevel } from '../../store/migrate.js';
import { maskDatabaseUrl } from '../../store/schema-level.js';
import { loadSigningKeys } from '../../store/signing-keys-repo.js';
import { databaseDialect, instancesSeenSince, lastCleanupRun } from '../../store/system-facts-repo.js';
import type { Core } from '../core.js';

/** "Seen lately" for instances: their readiness probes run every few seconds. */
export const instanceWindowSeconds = 60;

export interface SystemFacts {
  checked_at: number;
  database: {
    dialect: string;
    /** The URL with any password masked. */
    url: string;
    schema: string | null;
    /** Newest applied migration and this build's newest; `current` when the database has exactly this build's. */
    migration: { at: number; needs: number; current: boolean; missing: string[]; unknown: string[] };
  };
  redis: { configured: boolean; healthy: boolean | null };
  outbox: { counts: Record<OutboxStatus, number>; capped: OutboxStatus[]; backlog: number; oldest_due_at: number | null; oldest_due_seconds: number | null };
  signing: { alg: string; keys: { kid: string; alg: string; state: 'signing' | 'retired'; created_at: number; age_seconds: number; retired_at: number | null; expires_at: number | null }[] };
  instances: { window_seconds: number; seen: { instance: string; seen_at: number; age_seconds: number }[] };
  cleanup: { last_run_at: number | null; age_seconds: number | null };
}

const secondsSince = (now: number, at: number) => Math.max(0, Math.floor((now - at) / 1000));

/** The system's health in one read-only pass, for the console's System page and GET /v1/admin/system. */
export async function systemFacts(core: Core): Promise<SystemFacts> {
  const now = core.clock.now();
  const [level, outbox, keys, seen, cleanupAt] = await Promise.all([
    schemaLevel(core),
    outboxStats(core.db, now),
    core.keys.alg === 'HS256' ? Promise.resolve([]) : loadSigningKeys(core.db, core.keys.alg),
    instancesSeenSince(core.db, now - instanceWindowSeconds * 1000),
    lastCleanupRun(core.db),
  ]);
  return {
    checked_at: now,
    database: {
      dialect: databaseDialect(core.db),
      url: maskDatabaseUrl(core.config.databaseUrl),
      schema: core.config.databaseSchema ?? null,
      migration: { at: level.at, needs: level.needs, current: !level.empty && !level.missing.length && !level.unknown.length, missing: level.missing, unknown: level.unknown },
    },
    redis: { configured: core.cache.kind === 'redis', healthy: core.cache.kind === 'redis' ? core.cache.healthy() : null },
    outbox: {
      ...outbox,
      backlog: outbox.counts.pending + outbox.counts.retry,
      oldest_due_seconds: outbox.oldest_due_at === null ? null : secondsSince(now, outbox.oldest_due_at),
    },
    signing: {
      alg: core.keys.alg,
      // Only what is still published, and no key material: id, state and times.
      keys: keys.filter((k) => k.expires_at === null || Number(k.expires_at) > now).map((k) => ({
        kid: k.kid,
        alg: k.alg,
        state: k.retired_at === null ? 'signing' : 'retired',
        created_at: Number(k.created_at),
        age_seconds: secondsSince(now, Number(k.created_at)),
        retired_at: k.retired_at === null ? null : Number(k.retired_at),
        expires_at: k.expires_at === null ? null : Number(k.expires_at),
      })),
    },
    instances: { window_seconds: instanceWindowSeconds, seen: seen.map((s) => ({ ...s, age_seconds: secondsSince(now, s.seen_at) })) },
    cleanup: { last_run_at: cleanupAt, age_seconds: cleanupAt === null ? null : secondsSince(now, cleanupAt) },
  };
}
