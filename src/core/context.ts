import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db, RootDb } from '../store/dialect/index.js';
import type { Clock } from './clock.js';

export type { Db, RootDb, Trx } from '../store/dialect/index.js';

/**
 * What may be lost or must be shared fast across instances. Memory in one process,
 * Redis when REDIS_URL is set.
 */
export interface Cache {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
  /** Adds 1 to a counter that expires `windowSeconds` after its first increment; returns the new count and seconds left. */
  hit(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }>;
  publish(channel: string, message: string): Promise<void>;
  /** Handler runs for every message published on the channel by any instance (this one included). */
  subscribe(channel: string, handler: (message: string) => void): Promise<void>;
  /** True while the backing service answers (always true for memory). */
  healthy(): boolean;
  close(): Promise<void>;
}

/** Mail the core asks for; written to the outbox inside the caller's transaction. */
export interface MailRequest {
  kind: MailKind;
  to: string;
  /** Template variables: name, code, link, … */
  data: Record<string, string>;
  /** The recipient's language (a user's stored `locale`); absent or unknown: GATEHOUSE_DEFAULT_LOCALE. */
  locale?: string | null;
}

export type MailKind =
  | 'password_reset'
  | 'password_changed'
  | 'email_verification'
  | 'email_change_notice'
  | 'account_activated'
  | 'sign_in_method_changed'
  | 'invitation';

export interface Mailer {
  enqueue(db: Db, mail: MailRequest): Promise<void>;
}

export interface Ctx {
  config: Config;
  db: RootDb;
  cache: Cache;
  clock: Clock;
  mailer: Mailer;
  log: Logger;
}
