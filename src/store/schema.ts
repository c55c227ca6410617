import type { ColumnType, Generated } from 'kysely';

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
  /** The account's language (core/locales.ts); null: the deployment's default. */
  locale: ColumnType<string | null, string | null | undefined, string | null>;
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
  /** The authentication methods the session was opened with, space-separated (migration 013; null before it). */
  amr: ColumnType<string | null, string | null | undefined, string | null>;
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
  passkeys: PasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
  oidc_models: OidcModelsTable;
  oidc_clients: OidcClientsTable;
  django_token_uses: DjangoTokenUsesTable;
  mfa_enrolment_grace: MfaEnrolmentGraceTable;
  mfa_enrolment_tokens: MfaEnrolmentTokensTable;
  totp_factors: TotpFactorsTable;
  recovery_codes: RecoveryCodesTable;
  mfa_tokens: MfaTokensTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

/** Where signed events go (migration 016); `events` is `*` or `,type,type,`; secrets sealed with the secret key. */
export interface WebhookEndpointsTable {
  id: string;
  url: string;
  description: string;
  events: string;
  enabled: number;
  secret_enc: string;
  /** After a rotation the old secret also signs until `previous_secret_until`, so receivers can switch over. */
  previous_secret_enc: string | null;
  previous_secret_until: number | null;
  created_at: number;
  updated_at: number;
  created_by: number | null;
}

/** One event for one endpoint (migration 016): `pending` (retries too) → `delivered` | `failed`, leased like the outbox. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  user_id: number | null;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  claimed_by: string | null;
  claimed_until: number | null;
  last_error: string | null;
  response_status: number | null;
  response_excerpt: string | null;
  created_at: number;
  delivered_at: number | null;
}

/** Old Django credentials taken over or used up (migration 018): a SimpleJWT `jti`, or `authtoken:` / `refresh:` + digest; times in ms. */
export interface DjangoTokenUsesTable {
  token_id: string;
  user_id: number;
  /** The session the credential became; null for a blacklisted SimpleJWT token or a DRF key. */
  session_id: string | null;
  used_at: number;
  /** When the old credential expires; null: never. */
  expires_at: number | null;
}

/** What the OpenID provider stores (migration 015): one row per (model, id), the payload as JSON; times in ms. */
export interface OidcModelsTable {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  client_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: number | null;
  consumed_at: number | null;
}

/** Relying parties of the OpenID provider (migration 015); lists are JSON arrays, the secret only a digest. */
export interface OidcClientsTable {
  client_id: string;
  name: string;
  secret_hash: string | null;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  grant_types: string;
  /** Space-separated OpenID scopes the client may ask for (openid, profile, email, offline_access). */
  scopes: string;
  /** Space-separated API scopes the client may ask for with client credentials. */
  api_scopes: string;
  /** How it authenticates at the token endpoint: client_secret_basic, client_secret_post, or none (public). */
  auth_method: string;
  first_party: number;
  access_token_ttl: number | null;
  refresh_token_ttl: number | null;
  backchannel_logout_uri: string | null;
  created_at: number;
  created_by: number | null;
  revoked_at: number | null;
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

/** A WebAuthn credential of an account (migration 014); ids and the COSE public key are base64url. */
export interface PasskeysTable {
  id: string;
  user_id: number;
  credential_id: string;
  public_key: string;
  /** The authenticator's signature counter at its last use (0: the authenticator keeps none). */
  counter: number;
  /** JSON array of the transports the browser reported at registration. */
  transports: string;
  aaguid: string;
  /** 'singleDevice' | 'multiDevice' (a synced passkey). */
  device_type: string;
  backed_up: number;
  /** 1 when the registration verified the user (PIN, biometrics). */
  user_verified: number;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

/** A WebAuthn ceremony's challenge (migration 014): single use, bound to an account or an mfa_token. */
export interface WebauthnChallengesTable {
  challenge: string;
  /** 'registration' | 'login' (passwordless) | 'second_factor'. */
  purpose: string;
  user_id: number | null;
  /** The digest of the mfa_token a second-factor challenge belongs to. */
  mfa_token_hash: string | null;
  created_at: number;
  expires_at: number;
}

/** When an account's multi-factor enrolment grace began (migration 017), in ms. */
export interface MfaEnrolmentGraceTable {
  user_id: number;
  started_at: number;
}

/** An enrolment-only credential of an account past its grace (migration 017): stored as its digest, tied to a session. */
export interface MfaEnrolmentTokensTable {
  token_hash: string;
  user_id: number;
  session_id: string;
  created_at: number;
  expires_at: number;
}

/** An account's authenticator app (migration 013): the sealed secret, confirmed once a code proved it; last_step refuses a replayed code. */
export interface TotpFactorsTable {
  user_id: number;
  secret_enc: string;
  confirmed_at: number | null;
  last_step: number;
  created_at: number;
}

/** One recovery code (migration 013), stored as an HMAC under the secret key; used once. */
export interface RecoveryCodesTable {
  code_hash: string;
  user_id: number;
  created_at: number;
  used_at: number | null;
}

/** A login waiting for its second factor (migration 013): stored as its digest, single use, a few attempts. */
export interface MfaTokensTable {
  token_hash: string;
  user_id: number;
  device_token_id: string | null;
  device_token_enc: string | null;
  /** The factors offered, comma-separated. */
  factors: string;
  attempts: number;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}
