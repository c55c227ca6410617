import type { Core } from '../core.js';
import { AuthError } from '../errors.js';
import { tokenDigest } from '../secrets.js';
import { emailKey } from '../users/normalize.js';
import { requestRowId } from './issue-code.js';

/**
 * A reset asked for an address with no active account gets a decoy handle. Guesses against
 * it are counted and expire exactly like a real request's, so the answers to code checks
 * (invalid… then attempts exceeded, or expired) do not tell a real account from none.
 * Decoys live in the cache: losing one only makes later guesses say `otp_invalid`.
 */
export interface Decoy {
  id: string;
  expiresAt: number;
  /** Stands in for the address in per-account rate limits. */
  accountKey: string;
}

/** Decoys outlive their expiry by a day, as a real row keeps saying "expired". */
const afterlifeSeconds = 86400;

const recordKey = (id: string) => `otp:decoy:${id}`;
const emailIndexKey = (email: string) => `otp:decoy-email:${tokenDigest(emailKey(email))}`;
const attemptsKey = (id: string) => `otp:decoy-attempts:${id}`;

export async function rememberDecoy(core: Core, requestId: string, email: string): Promise<void> {
  const ttl = core.settings.get('otp_ttl');
  const id = requestRowId(requestId);
  const keep = ttl + afterlifeSeconds;
  try {
    await core.cache.set(recordKey(id), JSON.stringify({ expiresAt: core.clock.now() + ttl * 1000, email: emailIndexKey(email) }), keep);
    // The newest decoy for an address supersedes older ones, as a new real request does.
    await core.cache.set(emailIndexKey(email), id, keep);
  } catch (err) {
    core.log.warn({ err }, 'reset decoy not remembered: cache unavailable');
  }
}

export async function findDecoy(core: Core, by: { requestId: string } | { email: string }): Promise<Decoy | undefined> {
  try {
    const id = 'requestId' in by ? requestRowId(by.requestId) : await core.cache.get(emailIndexKey(by.email));
    if (!id) return undefined;
    const raw = await core.cache.get(recordKey(id));
    if (!raw) return undefined;
    const record = JSON.parse(raw) as { expiresAt: number; email: string };
    if ((await core.cache.get(record.email)) !== id) return undefined;
    return { id, expiresAt: record.expiresAt, accountKey: record.email };
  } catch (err) {
    core.log.warn({ err }, 'reset decoy not read: cache unavailable');
    return undefined;
  }
}

/** Answers a guess against a decoy as `spendAttempt` answers a wrong guess against a real code. */
export async function spendDecoyAttempt(core: Core, decoy: Decoy): Promise<never> {
  if (decoy.expiresAt <= core.clock.now()) throw new AuthError('otp_expired');
  const max = core.settings.get('otp_max_attempts');
  let attempt: number;
  try {
    attempt = (await core.cache.hit(attemptsKey(decoy.id), core.settings.get('otp_ttl') + afterlifeSeconds)).count;
  } catch {
    throw new AuthError('otp_invalid');
  }
  throw new AuthError(attempt >= max ? 'otp_attempts_exceeded' : 'otp_invalid');
}
