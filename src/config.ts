import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parseDuration } from './duration.js';
import { variableSettingRanges } from './core/setting-ranges.js';
import { profileDefaults } from './http/compat/profile-defaults.js';
import { locales, type Locale } from './core/locales.js';

export type JwtAlg = 'EdDSA' | 'HS256';
export type PasswordCheck = 'common' | 'numeric' | 'similarity';
export type ActivationMode = 'none' | 'email' | 'admin' | 'email+admin';
export type RegistrationIdentity = 'username' | 'email' | 'either';

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  databaseUrl: string;
  dataDir: string;
  secretKey: string | undefined;
  /** GATEHOUSE_JWT_SECRET: the HS256 signing secret; unset, it is derived from the master secret (see core/secrets.ts). */
  jwtSecret: string | undefined;
  jwtAlg: JwtAlg;
  /** GATEHOUSE_DJANGO_SIGNING_KEY: the old Django system's SimpleJWT HS256 key; its unexpired tokens keep working (core/django-tokens). */
  djangoSigningKey?: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  sessionIdleSeconds: number;
  sessionMaxSeconds: number;
  refreshGraceSeconds: number;
  registrationIdentity: RegistrationIdentity;
  activation: ActivationMode;
  compat: string[];
  /** GATEHOUSE_CORS_ORIGINS: exact origins, `*`, `none`; undefined: only the profiles' own defaults (see http/cors.ts). */
  corsOrigins: '*' | 'none' | string[] | undefined;
  redisUrl: string | undefined;
  /** Prefix of every Redis key and channel, so deployments can share one Redis. */
  redisPrefix: string;
  /** PostgreSQL schema (search_path) to use; undefined = the server's default. */
  databaseSchema: string | undefined;
  databasePoolSize: number;
  /** GATEHOUSE_CACHE_MAX_ENTRIES: the most entries each in-process cache holds (users, API tokens, verified access tokens, memory cache). */
  cacheMaxEntries: number;
  /** Expired sessions, tokens and codes are deleted this long after they stop mattering. */
  cleanupRetentionSeconds: number;
  /** How long a stopping server waits for in-flight requests before exiting anyway. */
  shutdownTimeoutSeconds: number;
  smtpUrl: string | undefined;
  /** GATEHOUSE_MAIL: `smtp` (SMTP_URL) or `file` (`.eml` files under `<data dir>/mail/` only). */
  mail: 'smtp' | 'file';
  /** GATEHOUSE_AUTO_MIGRATE: `serve` migrates the database before it starts (default: SQLite only). */
  autoMigrate: boolean;
  mailFrom: string;
  publicUrl: string;
  /** Passkeys: the WebAuthn RP ID (the public URL's host) and the origins a ceremony may come from (GATEHOUSE_WEBAUTHN_ORIGINS, plus the public URL's own). */
  webauthn: { rpId: string; origins: string[] };
  /** GATEHOUSE_ISSUER: the access tokens' `iss`; default the public URL. */
  jwtIssuer: string;
  /** GATEHOUSE_AUDIENCE: the access tokens' `aud`; empty: no `aud` claim (PyJWT refuses one a service does not expect). */
  jwtAudience: string[];
  productName: string;
  resetUrlTemplate: string;
  verifyUrlTemplate: string;
  mailTemplatesDir: string | undefined;
  /** The language of mail and hosted pages when neither the account nor the request names one. */
  defaultLocale: Locale;
  passwordMinLength: number;
  passwordChecks: PasswordCheck[];
  passwordMaxLength: number;
  bodyLimitBytes: number;
  avatarMaxBytes: number;
  /** GATEHOUSE_WEBHOOK_ALLOW_PRIVATE: webhook URLs may name loopback and private addresses (tests, one private network). */
  webhookAllowPrivate: boolean;
  trustProxy: string | undefined;
  ipv6Prefix: number;
  logLevel: string;
  /** GATEHOUSE_LOG_FORMAT: `json` lines, or `pretty` (pino-pretty, one readable line each) for a terminal. */
  logFormat: 'json' | 'pretty';
  workers: number | 'auto';
  metricsToken: string | undefined;
  metricsPort: number | undefined;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

interface VarSpec {
  name: string;
  default: string;
  help: string;
}

/** Every environment variable Gatehouse reads; the README's configuration table mirrors this list. */
export const configVariables: readonly VarSpec[] = [
  { name: 'GATEHOUSE_ENV', default: 'development', help: '`development`, `production` or `test`; production refuses generated secrets and plain-HTTP cookies' },
  { name: 'HOST', default: '127.0.0.1', help: 'address to listen on' },
  { name: 'PORT', default: '8000', help: 'port to listen on' },
  { name: 'DATABASE_URL', default: 'sqlite:<data dir>/gatehouse.db', help: '`sqlite:<path>` or `postgres://user@host:port/db`' },
  { name: 'GATEHOUSE_DATA_DIR', default: 'var', help: 'SQLite file, generated secret key, mail folder' },
  { name: 'GATEHOUSE_SECRET_KEY', default: 'generated into the data dir', help: 'encrypts private signing keys (HS256 signs with a secret derived from it unless GATEHOUSE_JWT_SECRET is set); instances that share a database share it (32+ chars)' },
  { name: 'GATEHOUSE_JWT_SECRET', default: 'derived from GATEHOUSE_SECRET_KEY', help: 'the HS256 signing secret (32+ chars) shared with services that verify tokens themselves; `gatehouse keys hs256-secret` prints the derived one' },
  { name: 'GATEHOUSE_DJANGO_SIGNING_KEY', default: '', help: 'moving from Django: the old system\'s SimpleJWT signing key (its `SECRET_KEY`, or `SIMPLE_JWT["SIGNING_KEY"]`), so its HS256 access and refresh tokens keep working for the rest of their lifetime on the simplejwt and jwt-otp profiles (docs/compat.md)' },
  { name: 'GATEHOUSE_JWT_ALG', default: 'EdDSA', help: '`EdDSA` (published in JWKS) or `HS256` (shared secret)' },
  { name: 'GATEHOUSE_ACCESS_TTL', default: '5m', help: 'initial access-token lifetime (runtime setting); `300`, `5m`, `1h`, `30d`' },
  { name: 'GATEHOUSE_REFRESH_TTL', default: '30d', help: 'initial refresh-token lifetime (runtime setting)' },
  { name: 'GATEHOUSE_SESSION_IDLE', default: '30d', help: 'a session unused this long ends' },
  { name: 'GATEHOUSE_SESSION_MAX', default: '90d', help: 'absolute session lifetime; rotation never extends past it' },
  { name: 'GATEHOUSE_REFRESH_GRACE', default: '10s', help: 'window in which a just-rotated refresh token may be presented again (concurrent refreshes)' },
  { name: 'GATEHOUSE_REGISTRATION_IDENTITY', default: 'either', help: 'what native registration requires: `username`, `email`, or `either` (at least one of the two)' },
  { name: 'GATEHOUSE_ACTIVATION', default: 'none (admin with the jwt-otp profile)', help: 'initial activation mode (runtime setting): `none`, `email`, `admin`, `email+admin`' },
  { name: 'GATEHOUSE_CORS_ORIGINS', default: '', help: 'browser origins allowed to call the API (never the admin console): comma-separated exact origins such as `https://app.example.com`, `*` for any, or `none`; unset: only the simplejwt and jwt-otp profiles\' routes allow any origin, as their seeds did. No credentials mode' },
  { name: 'GATEHOUSE_COMPAT', default: '', help: 'comma-separated compatibility profiles: `drf-token`, `simplejwt`, `jwt-otp`, `drf-authtoken`, `jwt-uuid-refresh`' },
  { name: 'REDIS_URL', default: '', help: '`redis://…`; shares cache, rate limits and revocations across instances' },
  { name: 'REDIS_PREFIX', default: 'gh:', help: 'prefix of every Redis key and pub/sub channel; instances of one deployment share it' },
  { name: 'DATABASE_SCHEMA', default: '', help: 'PostgreSQL schema to use (created when missing); default: the server\'s search_path' },
  { name: 'GATEHOUSE_AUTO_MIGRATE', default: '1 for SQLite, 0 for PostgreSQL', help: '`1`: `serve` applies pending migrations at start (under the migration lock); `0`: it stops, naming the database and the migration level, until `gatehouse migrate` has run' },
  { name: 'DATABASE_POOL_SIZE', default: '10', help: 'PostgreSQL connections per process' },
  { name: 'GATEHOUSE_CACHE_MAX_ENTRIES', default: '100000', help: 'the most entries each in-process LRU cache holds (users, API tokens, verified access tokens, the embedded cache\'s values and its rate-limit counters); bounds memory, see docs/performance.md' },
  { name: 'GATEHOUSE_CLEANUP_RETENTION', default: '7d', help: 'expired or revoked sessions, refresh tokens, one-time codes and console sessions are deleted this long after they stop mattering' },
  { name: 'GATEHOUSE_SHUTDOWN_TIMEOUT', default: '30s', help: 'on SIGTERM, how long to wait for in-flight requests before exiting anyway' },
  { name: 'SMTP_URL', default: '', help: '`smtp://user:pass@host:port` or `smtps://…`; unset writes `.eml` files under `<data dir>/mail/`' },
  { name: 'GATEHOUSE_MAIL', default: '`smtp` with SMTP_URL, else `file`', help: '`smtp` or `file`; production refuses file-only mail unless `GATEHOUSE_MAIL=file` says it is meant' },
  { name: 'MAIL_FROM', default: 'Gatehouse <no-reply@localhost>', help: 'sender of every mail' },
  { name: 'GATEHOUSE_PUBLIC_URL', default: 'http://<HOST>:<PORT>', help: 'base URL used in mail links and the OpenAPI server list; also the access tokens\' `iss` unless `GATEHOUSE_ISSUER` is set, so every instance of a deployment must share it' },
  { name: 'GATEHOUSE_WEBAUTHN_ORIGINS', default: '<public url\'s origin>', help: 'further comma-separated exact origins (such as `https://login.example.com`) a passkey ceremony may come from; each must be the RP ID (the host of GATEHOUSE_PUBLIC_URL) or a subdomain of it' },
  { name: 'GATEHOUSE_ISSUER', default: '<public url>', help: 'the access tokens\' `iss` claim, which services verifying tokens themselves check; Gatehouse refuses a token with another' },
  { name: 'GATEHOUSE_AUDIENCE', default: '', help: 'comma-separated audiences put in the access tokens\' `aud` claim (one: a string, several: a list), for services that check it; unset: no `aud`, as a service configured without an audience requires' },
  { name: 'GATEHOUSE_PRODUCT_NAME', default: 'Gatehouse', help: 'product name in mails and the console' },
  { name: 'GATEHOUSE_RESET_URL', default: '<public url>/reset-password?token={token}', help: 'password-reset link template; `{token}` is replaced' },
  { name: 'GATEHOUSE_VERIFY_URL', default: '<public url>/verify-email?token={token}', help: 'email-verification link template; `{token}` is replaced' },
  { name: 'GATEHOUSE_MAIL_TEMPLATES', default: '', help: 'directory whose `<kind>.txt` / `<kind>.html` override the built-in (English) mail templates, and `<lang>/<kind>.txt` / `.html` one language\'s' },
  { name: 'GATEHOUSE_DEFAULT_LOCALE', default: 'en', help: 'language (`en`, `fr`) of mail for accounts without one of their own, and of hosted pages when the request names none' },
  { name: 'GATEHOUSE_PASSWORD_MIN_LENGTH', default: '8', help: 'initial minimum password length (runtime setting)' },
  { name: 'GATEHOUSE_PASSWORD_CHECKS', default: 'common,numeric,similarity', help: 'initial password checks (runtime settings): any of `common`, `numeric`, `similarity`, or `none`' },
  { name: 'GATEHOUSE_PASSWORD_MAX_LENGTH', default: '1024', help: 'longest password accepted (stops hashing abuse)' },
  { name: 'GATEHOUSE_BODY_LIMIT', default: '1048576', help: 'largest request body in bytes (avatars excepted)' },
  { name: 'GATEHOUSE_AVATAR_MAX_BYTES', default: '2097152', help: 'largest avatar image in bytes' },
  { name: 'GATEHOUSE_WEBHOOK_ALLOW_PRIVATE', default: '0', help: '`1`: webhook endpoints may be loopback or private addresses (refused by default against SSRF; docs/webhooks.md)' },
  { name: 'GATEHOUSE_TRUST_PROXY', default: '', help: 'proxies whose `X-Forwarded-For` is believed: comma-separated addresses/CIDRs (a hop count is refused in production: any client could forge its address)' },
  { name: 'GATEHOUSE_IPV6_PREFIX', default: '64', help: 'per-IP rate limits count an IPv6 client per network of this many bits (32–128); IPv4 counts per address' },
  { name: 'LOG_LEVEL', default: 'info', help: 'pino log level' },
  { name: 'GATEHOUSE_LOG_FORMAT', default: '`pretty` in development, else `json`', help: '`json` (one JSON object a line, for log collectors) or `pretty` (readable lines through pino-pretty)' },
  { name: 'GATEHOUSE_WORKERS', default: '1', help: 'worker processes for `serve` (node:cluster); `auto` = core count' },
  { name: 'GATEHOUSE_METRICS_TOKEN', default: '', help: 'when set, `/metrics` requires `Authorization: Bearer <token>`; production refuses to start with neither it nor `GATEHOUSE_METRICS_PORT`' },
  { name: 'GATEHOUSE_METRICS_PORT', default: '', help: 'serve `/metrics` on this separate port instead of the main one' },
];

function pick(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = pick(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `expected a number from ${min} to ${max}, got ${n}`);
  return n;
}

function duration(env: Env, name: string, fallback: string): number {
  const raw = pick(env, name) ?? fallback;
  const seconds = parseDuration(raw);
  if (seconds === undefined || seconds <= 0) {
    throw new ConfigError(name, `expected a duration such as 300, 45s, 5m, 12h or 30d, got "${raw}"`);
  }
  return seconds;
}

/** `*`, `none`, or origins written exactly as a browser sends them (scheme://host[:port], no path). */
function parseCorsOrigins(raw: string | undefined): Config['corsOrigins'] {
  if (raw === undefined || raw === '*' || raw === 'none') return raw;
  return raw.split(',').map((s) => s.trim()).filter(Boolean).map((origin) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin || origin.includes('*')) {
      const hint = parsed && parsed.origin !== 'null' ? ` (write "${parsed.origin}")` : '';
      throw new ConfigError('GATEHOUSE_CORS_ORIGINS', `"${origin}" is not an origin such as https://app.example.com${hint}: list each origin exactly (no paths, no wildcards), or use * alone, or none`);
    }
    return origin;
  });
}

/** The WebAuthn relying party: the public URL's host, its origin and the further origins listed, each on that host or below it. */
function webauthnParty(raw: string | undefined, publicUrl: string): Config['webauthn'] {
  const own = new URL(publicUrl);
  const rpId = own.hostname.replace(/^\[|\]$/g, '');
  const origins = [own.origin];
  for (const origin of (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin || origin.includes('*')) {
      throw new ConfigError('GATEHOUSE_WEBAUTHN_ORIGINS', `"${origin}" is not an origin such as https://login.example.com: list each origin exactly (no paths, no wildcards)`);
    }
    if (parsed.hostname !== rpId && !parsed.hostname.endsWith(`.${rpId}`)) {
      throw new ConfigError('GATEHOUSE_WEBAUTHN_ORIGINS', `"${origin}" is not on ${rpId} (the host of GATEHOUSE_PUBLIC_URL) or a subdomain of it, so no passkey registered here could be used from it`);
    }
    if (!origins.includes(origin)) origins.push(origin);
  }
  return { rpId, origins };
}

/** Claim values (`iss`, `aud`): printable, no spaces or commas, so a list splits unambiguously. */
function claimValues(name: string, raw: string): string[] {
  const values = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = values.find((v) => v.length > 512 || !/^[\x21-\x7e]+$/.test(v));
  if (bad !== undefined) throw new ConfigError(name, `expected values of up to 512 printable ASCII characters without spaces, got "${bad.slice(0, 80)}"`);
  return values;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = pick(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function passwordChecks(env: Env): PasswordCheck[] {
  const raw = pick(env, 'GATEHOUSE_PASSWORD_CHECKS');
  if (raw === undefined) return ['common', 'numeric', 'similarity'];
  if (raw === 'none') return [];
  const all = ['common', 'numeric', 'similarity'] as const;
  const list = raw.split(',').map((s) => s.trim());
  const bad = list.find((c) => !(all as readonly string[]).includes(c));
  if (bad !== undefined) throw new ConfigError('GATEHOUSE_PASSWORD_CHECKS', `expected "none" or a list of ${all.join(', ')}, got "${bad}"`);
  return list as PasswordCheck[];
}

/** Reads `.env` from the working directory (real environment wins). */
export function loadEnv(env: Env = process.env, cwd = process.cwd()): Env {
  const file = resolve(cwd, '.env');
  if (!existsSync(file)) return env;
  return { ...parseDotenv(readFileSync(file)), ...env };
}

/** The activation default the enabled profiles declare (none when they declare none); two that disagree stop the start. */
function activationDefault(env: Env, compat: readonly string[]): ActivationMode {
  const { defaults, conflicts } = profileDefaults(compat);
  const conflict = conflicts.find((c) => c.setting === 'activation');
  if (conflict && pick(env, 'GATEHOUSE_ACTIVATION') === undefined) {
    throw new ConfigError('GATEHOUSE_ACTIVATION', `profiles ${conflict.profiles.map((p) => `"${p}"`).join(' and ')} default it differently; set it`);
  }
  return defaults.activation ?? 'none';
}

export function loadConfig(env: Env = loadEnv()): Config {
  const mode = oneOf(env, 'GATEHOUSE_ENV', ['development', 'production', 'test'] as const,
    env.NODE_ENV === 'production' ? 'production' : 'development');
  const host = pick(env, 'HOST') ?? '127.0.0.1';
  const port = int(env, 'PORT', 8000, 0, 65535);
  const dataDir = resolve(pick(env, 'GATEHOUSE_DATA_DIR') ?? 'var');
  const databaseUrl = pick(env, 'DATABASE_URL') ?? `sqlite:${resolve(dataDir, 'gatehouse.db')}`;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', `expected sqlite:<path> or postgres://…, got "${databaseUrl}"`);
  }
  const secretKey = pick(env, 'GATEHOUSE_SECRET_KEY');
  if (secretKey !== undefined && secretKey.length < 32) {
    throw new ConfigError('GATEHOUSE_SECRET_KEY', 'must be at least 32 characters');
  }
  if (mode === 'production' && secretKey === undefined) {
    throw new ConfigError('GATEHOUSE_SECRET_KEY', 'is required in production (generated secrets are refused)');
  }
  const jwtSecret = pick(env, 'GATEHOUSE_JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32) throw new ConfigError('GATEHOUSE_JWT_SECRET', 'must be at least 32 characters');
  if (jwtSecret !== undefined && jwtSecret === secretKey) {
    throw new ConfigError('GATEHOUSE_JWT_SECRET', 'must differ from GATEHOUSE_SECRET_KEY (services holding it could otherwise unseal the private keys)');
  }
  const publicUrl = (pick(env, 'GATEHOUSE_PUBLIC_URL') ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(publicUrl)) throw new ConfigError('GATEHOUSE_PUBLIC_URL', 'expected an http(s):// URL');
  if (mode === 'production' && !publicUrl.startsWith('https://')) {
    throw new ConfigError('GATEHOUSE_PUBLIC_URL', 'must be https:// in production (console cookies are Secure)');
  }
  const issuer = claimValues('GATEHOUSE_ISSUER', pick(env, 'GATEHOUSE_ISSUER') ?? publicUrl);
  if (issuer.length !== 1) throw new ConfigError('GATEHOUSE_ISSUER', 'expected one issuer, not a list');
  const compat = (pick(env, 'GATEHOUSE_COMPAT') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const corsOrigins = parseCorsOrigins(pick(env, 'GATEHOUSE_CORS_ORIGINS'));
  const redisUrl = pick(env, 'REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError('REDIS_URL', 'expected redis://… or rediss://…');
  const redisPrefix = env.REDIS_PREFIX === undefined ? 'gh:' : env.REDIS_PREFIX.trim();
  if (!/^[A-Za-z0-9:_.-]{0,64}$/.test(redisPrefix)) throw new ConfigError('REDIS_PREFIX', 'expected up to 64 letters, digits or : _ . -');
  const databaseSchema = pick(env, 'DATABASE_SCHEMA');
  if (databaseSchema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) {
    throw new ConfigError('DATABASE_SCHEMA', 'expected a lower-case identifier (letters, digits, _), up to 63 characters');
  }
  const smtpUrl = pick(env, 'SMTP_URL');
  if (smtpUrl !== undefined && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError('SMTP_URL', 'expected smtp://… or smtps://…');
  const mail = oneOf(env, 'GATEHOUSE_MAIL', ['smtp', 'file'] as const, smtpUrl === undefined ? 'file' : 'smtp');
  if (mail === 'smtp' && smtpUrl === undefined) throw new ConfigError('SMTP_URL', 'is required with GATEHOUSE_MAIL=smtp');
  if (mail === 'file' && smtpUrl !== undefined) throw new ConfigError('GATEHOUSE_MAIL', '"file" writes mail to files only, but SMTP_URL is set: unset one of them');
  const autoMigrate = oneOf(env, 'GATEHOUSE_AUTO_MIGRATE', ['0', '1'] as const, databaseUrl.startsWith('sqlite:') ? '1' : '0') === '1';
  const rawWorkers = pick(env, 'GATEHOUSE_WORKERS');
  const workers = rawWorkers === 'auto' ? 'auto' : int(env, 'GATEHOUSE_WORKERS', 1, 1, 256);
  const metricsPort = pick(env, 'GATEHOUSE_METRICS_PORT') === undefined ? undefined : int(env, 'GATEHOUSE_METRICS_PORT', 0, 1, 65535);
  const metricsToken = pick(env, 'GATEHOUSE_METRICS_TOKEN');
  if (mode === 'production' && metricsToken === undefined && metricsPort === undefined) {
    throw new ConfigError('GATEHOUSE_METRICS_TOKEN', 'is required in production unless GATEHOUSE_METRICS_PORT keeps /metrics off the public port (an open /metrics tells anyone login volumes and failure reasons)');
  }
  const trustProxy = pick(env, 'GATEHOUSE_TRUST_PROXY');
  if (mode === 'production' && trustProxy !== undefined && /^\d+$/.test(trustProxy)) {
    throw new ConfigError('GATEHOUSE_TRUST_PROXY', 'a hop count trusts X-Forwarded-For from any peer, so a direct client forges its address; list the proxy addresses/CIDRs instead (e.g. 10.0.0.1,10.0.1.0/24)');
  }
  if (mode === 'production' && mail === 'file' && pick(env, 'GATEHOUSE_MAIL') === undefined) {
    throw new ConfigError('SMTP_URL', 'is required in production (without it, reset and verification mail only lands in files under the data dir); set GATEHOUSE_MAIL=file if that is meant');
  }
  const sessionMax = duration(env, 'GATEHOUSE_SESSION_MAX', '90d');
  return checkSettingRanges({
    env: mode,
    host,
    port,
    databaseUrl,
    dataDir,
    secretKey,
    jwtSecret,
    djangoSigningKey: pick(env, 'GATEHOUSE_DJANGO_SIGNING_KEY'),
    jwtAlg: oneOf(env, 'GATEHOUSE_JWT_ALG', ['EdDSA', 'HS256'] as const, 'EdDSA'),
    accessTtlSeconds: duration(env, 'GATEHOUSE_ACCESS_TTL', '5m'),
    refreshTtlSeconds: duration(env, 'GATEHOUSE_REFRESH_TTL', '30d'),
    sessionIdleSeconds: duration(env, 'GATEHOUSE_SESSION_IDLE', '30d'),
    sessionMaxSeconds: sessionMax,
    refreshGraceSeconds: parseDuration(pick(env, 'GATEHOUSE_REFRESH_GRACE') ?? '10s') ?? (() => {
      throw new ConfigError('GATEHOUSE_REFRESH_GRACE', 'expected a duration such as 0, 10s or 1m');
    })(),
    registrationIdentity: oneOf(env, 'GATEHOUSE_REGISTRATION_IDENTITY', ['username', 'email', 'either'] as const, 'either'),
    // An enabled profile may declare its seed's activation default (jwt-otp: admin).
    activation: oneOf(env, 'GATEHOUSE_ACTIVATION', ['none', 'email', 'admin', 'email+admin'] as const, activationDefault(env, compat)),
    compat,
    corsOrigins,
    redisUrl,
    redisPrefix,
    databaseSchema,
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
    cacheMaxEntries: int(env, 'GATEHOUSE_CACHE_MAX_ENTRIES', 100_000, 10, 10_000_000),
    cleanupRetentionSeconds: duration(env, 'GATEHOUSE_CLEANUP_RETENTION', '7d'),
    shutdownTimeoutSeconds: duration(env, 'GATEHOUSE_SHUTDOWN_TIMEOUT', '30s'),
    smtpUrl,
    mail,
    autoMigrate,
    mailFrom: pick(env, 'MAIL_FROM') ?? 'Gatehouse <no-reply@localhost>',
    publicUrl,
    webauthn: webauthnParty(pick(env, 'GATEHOUSE_WEBAUTHN_ORIGINS'), publicUrl),
    jwtIssuer: issuer[0]!,
    jwtAudience: claimValues('GATEHOUSE_AUDIENCE', pick(env, 'GATEHOUSE_AUDIENCE') ?? ''),
    productName: pick(env, 'GATEHOUSE_PRODUCT_NAME') ?? 'Gatehouse',
    resetUrlTemplate: pick(env, 'GATEHOUSE_RESET_URL') ?? `${publicUrl}/reset-password?token={token}`,
    verifyUrlTemplate: pick(env, 'GATEHOUSE_VERIFY_URL') ?? `${publicUrl}/verify-email?token={token}`,
    mailTemplatesDir: pick(env, 'GATEHOUSE_MAIL_TEMPLATES'),
    defaultLocale: oneOf(env, 'GATEHOUSE_DEFAULT_LOCALE', locales, 'en'),
    passwordMinLength: int(env, 'GATEHOUSE_PASSWORD_MIN_LENGTH', 8, 1, 1024),
    passwordChecks: passwordChecks(env),
    passwordMaxLength: int(env, 'GATEHOUSE_PASSWORD_MAX_LENGTH', 1024, 16, 65536),
    bodyLimitBytes: int(env, 'GATEHOUSE_BODY_LIMIT', 1_048_576, 1024, 1 << 30),
    avatarMaxBytes: int(env, 'GATEHOUSE_AVATAR_MAX_BYTES', 2_097_152, 1024, 1 << 30),
    webhookAllowPrivate: oneOf(env, 'GATEHOUSE_WEBHOOK_ALLOW_PRIVATE', ['0', '1'] as const, '0') === '1',
    trustProxy,
    ipv6Prefix: int(env, 'GATEHOUSE_IPV6_PREFIX', 64, 32, 128),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    logFormat: oneOf(env, 'GATEHOUSE_LOG_FORMAT', ['json', 'pretty'] as const, mode === 'development' ? 'pretty' : 'json'),
    workers,
    metricsToken,
    metricsPort,
  });
}

/** Runtime settings whose initial value comes from a variable (core/setting-ranges.ts holds their ranges). */
const settingVariables = {
  access_token_ttl: { variable: 'GATEHOUSE_ACCESS_TTL', unit: ' s', initial: (c: Config) => c.accessTtlSeconds },
  refresh_token_ttl: { variable: 'GATEHOUSE_REFRESH_TTL', unit: ' s', initial: (c: Config) => c.refreshTtlSeconds },
  password_min_length: { variable: 'GATEHOUSE_PASSWORD_MIN_LENGTH', unit: '', initial: (c: Config) => c.passwordMinLength },
} as const;

/** An initial value outside its setting's range would be refused in the console; refuse it at start too. */
function checkSettingRanges(config: Config): Config {
  for (const [key, { variable, unit, initial }] of Object.entries(settingVariables) as [keyof typeof settingVariables, (typeof settingVariables)[keyof typeof settingVariables]][]) {
    const def = variableSettingRanges[key];
    const value = initial(config);
    if (value < def.min || value > def.max) {
      throw new ConfigError(variable, `${value}${unit} is outside the range of the "${key}" setting, ${def.min} to ${def.max}${unit}`);
    }
  }
  return config;
}
