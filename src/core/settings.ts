import type { Config } from '../config.js';
import { loadSettings, saveSetting } from '../store/settings-repo.js';
import type { Ctx } from './context.js';
import { recordAudit, type RequestMeta } from './audit.js';
import { afterCommit, inTransaction } from './transaction.js';
import { AuthError } from './errors.js';
import { variableSettingRanges as ranges } from './setting-ranges.js';

/** `unit`: the setting is a duration stored in that unit (the console shows and reads it as one). */
type IntDef = { type: 'int'; min: number; max: number; initial: (c: Config) => number; unit?: 'seconds' | 'days' };
type BoolDef = { type: 'bool'; initial: (c: Config) => boolean };
type EnumDef = { type: 'enum'; values: readonly string[]; initial: (c: Config) => string };
type SettingDef = (IntDef | BoolDef | EnumDef) & { label: string; help: string; group: string };

const day = 86400;

/** Operator-tunable settings (the django-constance equivalent): typed, validated, defaults from config. */
export const settingDefs = {
  access_token_ttl: { type: 'int', unit: 'seconds', ...ranges.access_token_ttl, initial: (c) => c.accessTtlSeconds, label: 'Access-token lifetime (s)', help: 'How long an access token is accepted.', group: 'Tokens' },
  refresh_token_ttl: { type: 'int', unit: 'seconds', ...ranges.refresh_token_ttl, initial: (c) => c.refreshTtlSeconds, label: 'Refresh-token lifetime (s)', help: 'How long a refresh token may be used; never past the session lifetime.', group: 'Tokens' },
  activation_mode: { type: 'enum', values: ['none', 'email', 'admin', 'email+admin'], initial: (c) => c.activation, label: 'Activation mode', help: 'What a new account needs before it may log in.', group: 'Accounts' },
  password_min_length: { type: 'int', ...ranges.password_min_length, initial: (c) => c.passwordMinLength, label: 'Minimum password length', help: 'Shortest password accepted.', group: 'Password policy' },
  password_check_common: { type: 'bool', initial: (c) => c.passwordChecks.includes('common'), label: 'Reject common passwords', help: 'Compare against Django’s list of 19,727 common passwords.', group: 'Password policy' },
  password_check_numeric: { type: 'bool', initial: (c) => c.passwordChecks.includes('numeric'), label: 'Reject all-numeric passwords', help: 'Refuse passwords made only of digits.', group: 'Password policy' },
  password_check_similarity: { type: 'bool', initial: (c) => c.passwordChecks.includes('similarity'), label: 'Reject passwords like the username', help: 'Refuse passwords too similar to username, email or name.', group: 'Password policy' },
  otp_length: { type: 'int', min: 4, max: 10, initial: () => 6, label: 'One-time code digits', help: 'Digits in emailed codes.', group: 'One-time codes' },
  otp_ttl: { type: 'int', unit: 'seconds', min: 60, max: day, initial: () => 600, label: 'One-time code lifetime (s)', help: 'How long a reset or verification code works.', group: 'One-time codes' },
  invite_ttl: { type: 'int', unit: 'seconds', min: 3600, max: 30 * day, initial: () => 7 * day, label: 'Invitation lifetime', help: 'How long the set-password link of an invitation works.', group: 'One-time codes' },
  otp_max_attempts: { type: 'int', min: 1, max: 20, initial: () => 5, label: 'Wrong codes allowed', help: 'Wrong attempts before a code is burned.', group: 'One-time codes' },
  rate_window: { type: 'int', unit: 'seconds', min: 1, max: day, initial: () => 60, label: 'Rate-limit window (s)', help: 'Window over which the limits below count.', group: 'Rate limits' },
  rate_login_ip: { type: 'int', min: 1, max: 100000, initial: () => 30, label: 'Logins per IP per window', help: 'Login attempts from one address.', group: 'Rate limits' },
  rate_login_account: { type: 'int', min: 1, max: 100000, initial: () => 10, label: 'Logins per account per window', help: 'Login attempts naming one account.', group: 'Rate limits' },
  rate_register_ip: { type: 'int', min: 1, max: 100000, initial: () => 20, label: 'Sign-ups per IP per window', help: 'Registrations from one address.', group: 'Rate limits' },
  rate_reset_ip: { type: 'int', min: 1, max: 100000, initial: () => 10, label: 'Reset requests per IP per window', help: 'Password-reset and verification mails requested from one address.', group: 'Rate limits' },
  rate_otp_ip: { type: 'int', min: 1, max: 100000, initial: () => 20, label: 'Code checks per IP per window', help: 'OTP verifications from one address.', group: 'Rate limits' },
  rate_register_account: { type: 'int', min: 1, max: 100000, initial: () => 5, label: 'Sign-ups per identifier per window', help: 'Registrations naming one email or username.', group: 'Rate limits' },
  rate_reset_account: { type: 'int', min: 1, max: 100000, initial: () => 5, label: 'Mails per account per window', help: 'Password-reset and verification mails requested for one account or address.', group: 'Rate limits' },
  rate_otp_account: { type: 'int', min: 1, max: 100000, initial: () => 10, label: 'Code checks per account per window', help: 'OTP verifications for one account.', group: 'Rate limits' },
  rate_email_change_ip: { type: 'int', min: 1, max: 100000, initial: () => 10, label: 'Email changes per IP per window', help: 'Email changes (each mails a verification code and a notice) from one address.', group: 'Rate limits' },
  rate_email_change_account: { type: 'int', min: 1, max: 100000, initial: () => 3, label: 'Email changes per account per window', help: 'Email changes (each mails a verification code and a notice) for one account.', group: 'Rate limits' },
  lockout_threshold: { type: 'int', min: 1, max: 1000, initial: () => 10, label: 'Failures before lock', help: 'Consecutive failed logins before the account is locked for a while.', group: 'Account protection' },
  lockout_seconds: { type: 'int', unit: 'seconds', min: 1, max: day, initial: () => 300, label: 'Lock duration (s)', help: 'First lock; doubles with each further lock, capped at one hour.', group: 'Account protection' },
  audit_retention_days: { type: 'int', unit: 'days', min: 1, max: 36500, initial: () => 400, label: 'Audit-log retention (days)', help: 'Audit events older than this are deleted by the cleanup job.', group: 'Retention' },
  outbox_retention_days: { type: 'int', unit: 'days', min: 1, max: 36500, initial: () => 30, label: 'Sent and failed mail retention (days)', help: 'Sent mail, and mail given up on, is deleted this long after its last attempt; mail still queued never is.', group: 'Retention' },
  mfa_required_staff: { type: 'bool', initial: () => false, label: 'Require a second factor for staff', help: 'Staff and superuser accounts must enrol TOTP or a passkey; past the grace period a password login only gets to enrol one.', group: 'Multi-factor' },
  mfa_required_everyone: { type: 'bool', initial: () => false, label: 'Require a second factor for everyone', help: 'Every account must enrol TOTP or a passkey; past the grace period a password login only gets to enrol one.', group: 'Multi-factor' },
  mfa_token_ttl: { type: 'int', unit: 'seconds', min: 30, max: 3600, initial: () => 300, label: 'Second-factor step lifetime', help: 'How long the mfa_token of a login waiting for its second factor works.', group: 'Multi-factor' },
  mfa_token_max_attempts: { type: 'int', min: 1, max: 20, initial: () => 5, label: 'Wrong second-factor codes per login', help: 'Wrong codes one mfa_token takes before it is burned (each also counts toward the account lock).', group: 'Multi-factor' },
  mfa_step_up_window: { type: 'int', unit: 'seconds', min: 60, max: day, initial: () => 600, label: 'Step-up window', help: 'How long after a sign-in with a second factor a session may make sensitive changes (password, email, API tokens, passkeys, deleting the account) without sending a code again.', group: 'Multi-factor' },
  mfa_enrolment_grace: { type: 'int', unit: 'seconds', min: 0, max: 90 * day, initial: () => 7 * day, label: 'Enrolment grace period', help: 'How long an account may still log in with its password alone, counted from its first login under the requirement.', group: 'Multi-factor' },
  profile_drf_token_allow_password_only_mfa: { type: 'bool', initial: () => false, label: 'drf-token: let MFA accounts log in with a password', help: 'The seed client cannot send a second factor: off, an account with one is refused at /login/; on, it gets a key on its password alone (audited).', group: 'Compatibility profiles' },
  profile_simplejwt_allow_password_only_mfa: { type: 'bool', initial: () => false, label: 'simplejwt: let MFA accounts log in with a password', help: 'Off, an account with a second factor is refused at /api/token/; on, it gets tokens on its password alone (audited, amr pwd).', group: 'Compatibility profiles' },
  profile_jwt_otp_allow_password_only_mfa: { type: 'bool', initial: () => false, label: 'jwt-otp: let MFA accounts log in with a password', help: 'Off, an account with a second factor is refused at /auth/login/; on, it gets tokens on its password alone (audited, amr pwd).', group: 'Compatibility profiles' },
  profile_drf_authtoken_allow_password_only_mfa: { type: 'bool', initial: () => false, label: 'drf-authtoken: let MFA accounts log in with a password', help: 'Off, an account with a second factor is refused at /api/token/; on, it gets a key on its password alone (audited).', group: 'Compatibility profiles' },
  profile_jwt_uuid_refresh_allow_password_only_mfa: { type: 'bool', initial: () => false, label: 'jwt-uuid-refresh: let MFA accounts log in with a password', help: 'Off, an account with a second factor is refused at /api/login/; on, it gets tokens on its password alone (audited, amr pwd).', group: 'Compatibility profiles' },
} as const satisfies Record<string, SettingDef>;

export type SettingKey = keyof typeof settingDefs;
type ValueOf<D> = D extends { type: 'int' } ? number : D extends { type: 'bool' } ? boolean : string;
export type SettingValues = { [K in SettingKey]: ValueOf<(typeof settingDefs)[K]> };

const channel = 'settings';

export function isSettingKey(key: string): key is SettingKey {
  return Object.prototype.hasOwnProperty.call(settingDefs, key);
}

/** Checks one value against its definition; returns the typed value or a message. */
export function coerceSetting(key: SettingKey, raw: unknown): { value?: number | boolean | string; error?: string } {
  const def: SettingDef = settingDefs[key];
  if (def.type === 'int') {
    if (typeof raw !== 'number' || !Number.isInteger(raw)) return { error: 'Expected a whole number.' };
    if (raw < def.min || raw > def.max) return { error: `Expected a number from ${def.min} to ${def.max}.` };
    return { value: raw };
  }
  if (def.type === 'bool') return typeof raw === 'boolean' ? { value: raw } : { error: 'Expected true or false.' };
  if (typeof raw !== 'string' || !def.values.includes(raw)) return { error: `Expected one of: ${def.values.join(', ')}.` };
  return { value: raw };
}

/** What runtime settings need: the database, defaults from config, the cache to broadcast changes, a clock and a log. */
export type SettingsCtx = Pick<Ctx, 'db' | 'config' | 'cache' | 'clock' | 'log'>;

/** Runtime settings: read from memory, written to the database, changes broadcast to every instance. */
export class RuntimeSettings {
  private values: SettingValues;

  constructor(private readonly ctx: SettingsCtx) {
    this.values = this.defaults();
  }

  defaults(): SettingValues {
    const out: Record<string, unknown> = {};
    for (const [k, def] of Object.entries(settingDefs) as [SettingKey, SettingDef][]) out[k] = def.initial(this.ctx.config);
    return out as SettingValues;
  }

  async init(): Promise<void> {
    await this.reload();
    await this.ctx.cache.subscribe(channel, () => void this.reload().catch((err) => this.ctx.log.error({ err }, 'settings reload failed')));
  }

  get<K extends SettingKey>(key: K): SettingValues[K] {
    return this.values[key];
  }

  all(): SettingValues {
    return { ...this.values };
  }

  async reload(): Promise<void> {
    const rows = await loadSettings(this.ctx.db);
    const next = this.defaults() as Record<string, unknown>;
    for (const row of rows) {
      if (!isSettingKey(row.key)) continue;
      const { value } = coerceSetting(row.key, JSON.parse(row.value));
      if (value !== undefined) next[row.key] = value;
    }
    this.values = next as SettingValues;
  }

  /** Validates every change first, then writes them and the audit rows in one transaction. */
  async update(changes: Record<string, unknown>, actorId: number | null, meta?: RequestMeta): Promise<SettingValues> {
    const fields: Record<string, string[]> = {};
    const typed: [SettingKey, number | boolean | string][] = [];
    for (const [key, raw] of Object.entries(changes)) {
      if (!isSettingKey(key)) {
        fields[key] = ['Unknown setting.'];
        continue;
      }
      const { value, error } = coerceSetting(key, raw);
      if (error) fields[key] = [error];
      else typed.push([key, value!]);
    }
    if (Object.keys(fields).length > 0) throw new AuthError('validation_failed', undefined, fields);
    const now = this.ctx.clock.now();
    await inTransaction(this.ctx, async (trx) => {
      for (const [key, value] of typed) {
        const old = this.values[key];
        if (old === value) continue;
        await saveSetting(trx, { key, value: JSON.stringify(value), updated_at: now, updated_by: actorId });
        await recordAudit(trx, { kind: 'admin.setting_changed', at: now, actorId, ip: meta?.ip, userAgent: meta?.userAgent, detail: { key, old, new: value } });
      }
      await afterCommit(this.ctx, trx, async () => {
        await this.reload();
        await this.ctx.cache.publish(channel, 'changed').catch((err) => this.ctx.log.warn({ err }, 'settings change not broadcast'));
      });
    });
    return this.all();
  }
}
