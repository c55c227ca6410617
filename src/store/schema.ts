import type { Generated } from 'kysely';

/**
 * Table shapes shared by SQLite and PostgreSQL. Times are epoch milliseconds
 * (INTEGER / BIGINT), flags are 0/1 integers, so both dialects read alike.
 */
export interface UsersTable {
  id: Generated<number>;
  /** Display or login name as given; free text in email-login profiles. */
  username: string;
  /** Lower-cased username when it is a unique login name; null when free-form. */
  username_key: string | null;
  /** Confusable skeleton of a login name (core/users/skeleton.ts); null when free-form. */
  username_skeleton: string | null;
  email: string;
  /** Normalised (lower-cased) email; null when the account has none. */
  email_key: string | null;
  password_hash: string;
  first_name: string;
  last_name: string;
  phone_number: string;
  date_of_birth: string | null;
  gender: string;
  bio: string;
  is_active: number;
  is_staff: number;
  is_superuser: number;
  email_verified: number;
  approved: number;
  date_joined: number;
  last_login: number | null;
  password_changed_at: number;
  updated_at: number;
  failed_logins: number;
  locked_until: number | null;
  /** Email address awaiting verification before it replaces `email`. */
  pending_email: string | null;
  /** ETag of the avatar in `avatars`; null when the user has none. */
  avatar_etag: string | null;
}

export interface AvatarsTable {
  user_id: number;
  content_type: string;
  data: Uint8Array;
  etag: string;
  updated_at: number;
}

export interface SessionsTable {
  id: string;
  user_id: number;
  kind: string;
  created_at: number;
  last_used_at: number;
  expires_at: number;
  ip: string;
  user_agent: string;
  revoked_at: number | null;
  revoke_reason: string | null;
}

export interface RefreshTokensTable {
  token_hash: string;
  session_id: string;
  created_at: number;
  expires_at: number;
  rotated_at: number | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: number;
  name: string;
  prefix: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  private_enc: string;
  created_at: number;
  /** No longer signs after this; stays published until `expires_at`. */
  retired_at: number | null;
  expires_at: number | null;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: number;
  kind: string;
  user_id: number | null;
  actor_id: number | null;
  ip: string;
  user_agent: string;
  detail: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
  updated_by: number | null;
}

export interface OneTimeCodesTable {
  id: string;
  /** `password_reset`, `email_verification` (the account's address), `email_change` (a pending new address). */
  purpose: string;
  user_id: number;
  /** Address the code was sent to (for email changes, the new address). */
  email: string;
  code_hash: string;
  token_hash: string;
  attempts: number;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
  /** When the code of a reset request was verified (the request then works as a grant). */
  verified_at: number | null;
  /** Hash of the grant issued when the code was verified. */
  grant_hash: string | null;
  /** Lower-cased `email`, for lookups by address. */
  email_key: string | null;
}

export interface OutboxTable {
  id: Generated<number>;
  kind: string;
  to_addr: string;
  subject: string;
  text_body: string;
  html_body: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  claimed_until: number | null;
  claimed_by: string | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface ConsoleSessionsTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: number;
  last_used_at: number;
  expires_at: number;
  ip: string;
  user_agent: string;
}

/** A reset request for an address with no active account: counted and expired like a real one (decoy-requests.ts). */
export interface ResetDecoysTable {
  id: string;
  email_key: string;
  attempts: number;
  created_at: number;
  expires_at: number;
}

/** A client that logged in to this account before (core/device-tokens.ts); the token is stored as its digest. */
export interface DeviceTokensTable {
  id: string;
  token_hash: string;
  user_id: number;
  /** Wrong passwords sent with this token; at the lockout threshold the token is deleted. */
  failures: number;
  created_at: number;
  last_used_at: number;
  expires_at: number;
}

/** One row per instance, rewritten by each readiness probe (migration 011). */
export interface HeartbeatsTable {
  instance: string;
  seen_at: number;
}

export interface Database {
  users: UsersTable;
  avatars: AvatarsTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  api_tokens: ApiTokensTable;
  signing_keys: SigningKeysTable;
  audit_events: AuditEventsTable;
  settings: SettingsTable;
  one_time_codes: OneTimeCodesTable;
  reset_decoys: ResetDecoysTable;
  device_tokens: DeviceTokensTable;
  outbox: OutboxTable;
  console_sessions: ConsoleSessionsTable;
  heartbeats: HeartbeatsTable;
  service_keys: ServiceKeysTable;
}

/** Credentials of resource servers that read the revocation feed (migration 012); the key is stored only as a digest. */
export interface ServiceKeysTable {
  id: string;
  name: string;
  /** The key's first characters, shown so an operator can tell keys apart. */
  prefix: string;
  key_hash: string;
  created_at: number;
  /** Kept to the minute: at most one write per key per minute. */
  last_used_at: number | null;
  revoked_at: number | null;
  created_by: number | null;
}
