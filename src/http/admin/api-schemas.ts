import type { AuditEntry } from '../../core/admin/audit-query.js';
import { maxCursorLength } from '../../core/admin/paging.js';
import type { MailDetail, MailSummary } from '../../core/admin/outbox-admin.js';
import type { SettingView } from '../../core/admin/settings-view.js';
import type { User } from '../../core/users/user.js';
import { AuthError } from '../../core/errors.js';
import { publicUserSchema } from '../schemas.js';
import { accountView, iso } from '../views.js';

/** Schemas and views of the admin API: validation, serialization and OpenAPI docs from the same objects. */

const nullableString = { type: ['string', 'null'] } as const;

const { avatar_url: _avatar, ...accountProperties } = publicUserSchema.properties;

export const adminUserSchema = {
  type: 'object',
  properties: {
    ...accountProperties,
    approved: { type: 'boolean', description: 'false while the account awaits activation by an administrator' },
    failed_logins: { type: 'integer' },
    locked_until: { ...nullableString, description: 'set while failed logins keep the account locked' },
    password_changed_at: { type: 'string' },
    updated_at: { type: 'string' },
  },
} as const;

export function adminUserView(user: User, now: number) {
  return {
    ...accountView(user),
    approved: user.approved,
    failed_logins: user.failed_logins,
    locked_until: user.locked_until !== null && user.locked_until > now ? iso(user.locked_until) : null,
    password_changed_at: iso(user.password_changed_at)!,
    updated_at: iso(user.updated_at)!,
  };
}


export const auditEntrySchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    at: { type: 'string' },
    kind: { type: 'string' },
    user_id: { type: ['integer', 'null'] },
    user_label: nullableString,
    actor_id: { type: ['integer', 'null'] },
    actor_label: nullableString,
    ip: { type: 'string' },
    user_agent: { type: 'string' },
    detail: { type: 'object', additionalProperties: true },
  },
} as const;

export const auditEntryView = (e: AuditEntry) => ({ ...e, at: iso(e.at)! });

export const mailSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    kind: { type: 'string' },
    to: { type: 'string' },
    subject: { type: 'string' },
    status: { type: 'string' },
    attempts: { type: 'integer' },
    last_error: nullableString,
    created_at: { type: 'string' },
    next_attempt_at: { type: 'string' },
    sent_at: nullableString,
    text_body: { ...nullableString, description: 'unsent mail only, superusers only (it holds live codes and links)' },
    html_body: nullableString,
  },
} as const;

export const mailView = (m: MailSummary | MailDetail) => ({ ...m, created_at: iso(m.created_at)!, next_attempt_at: iso(m.next_attempt_at)!, sent_at: iso(m.sent_at) });

export const settingSchema = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    label: { type: 'string' },
    help: { type: 'string' },
    group: { type: 'string' },
    type: { type: 'string', enum: ['int', 'bool', 'enum'] },
    min: { type: 'integer' },
    max: { type: 'integer' },
    values: { type: 'array', items: { type: 'string' } },
    value: { type: ['integer', 'boolean', 'string'] },
    default: { type: ['integer', 'boolean', 'string'] },
    updated_at: nullableString,
    updated_by: { type: ['integer', 'null'] },
  },
} as const;

export const settingView = (s: SettingView) => ({ ...s, updated_at: iso(s.updated_at) });

/** A page of `items` and the cursor of the next one. */
export function pageSchema(item: object, extra: Record<string, object> = {}) {
  return {
    type: 'object',
    properties: { items: { type: 'array', items: item }, next_cursor: { ...nullableString, description: 'pass as `cursor` for the next page; null on the last' }, ...extra },
  } as const;
}

/** The user list's count of matches (core/admin/users-query.ts): exact up to 10,000, then capped. */
export const userTotalProps = {
  total: { type: 'integer', description: 'users matching, across all pages; exact up to 10,000, and 10,000 when `total_capped`' },
  total_capped: { type: 'boolean', description: 'true when more than `total` users match (the count stops at 10,000)' },
} as const;

/** Query strings arrive as text (no type coercion): these patterns validate them, the parsers below type them. */
export const q = {
  bool: { type: 'string', enum: ['true', 'false'] },
  int: { type: 'string', pattern: '^[0-9]{1,15}$' },
  limit: { type: 'string', pattern: '^[0-9]{1,4}$', description: 'page size' },
  cursor: { type: 'string', maxLength: maxCursorLength },
  time: { type: 'string', maxLength: 40, description: 'YYYY-MM-DD (UTC day) or an ISO 8601 date-time' },
} as const;

export const idParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]{1,15}$' } }, required: ['id'] } as const;

export const parseBool = (v: string | undefined): boolean | undefined => (v === undefined ? undefined : v === 'true');
export const parseInt10 = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

/**
 * A bound of a time range in epoch ms. A bare date is a whole UTC day: as a lower bound its
 * start, as an upper bound (exclusive) the start of the next day, so `to=2026-01-31` includes that day.
 */
export function parseTime(v: string | undefined, field: string, bound: 'from' | 'to'): number | undefined {
  if (v === undefined || v === '') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(v);
  // Date.parse rolls 2026-02-30 over to March: check the calendar day itself.
  const day = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  const realDay = day !== undefined && day.getUTCFullYear() === Number(m![1]) && day.getUTCMonth() === Number(m![2]) - 1 && day.getUTCDate() === Number(m![3]);
  const ms = realDay ? Date.parse(m![4] ? v : `${v}T00:00:00Z`) : NaN;
  if (!Number.isFinite(ms)) throw new AuthError('validation_failed', undefined, { [field]: ['Enter a date (YYYY-MM-DD) or an ISO 8601 date-time.'] });
  return !m![4] && bound === 'to' ? ms + 86_400_000 : ms;
}

/** The user-list filters as query strings (list and export take the same ones). */
export type UserFilterQuery = Partial<Record<'q' | 'active' | 'verified' | 'staff' | 'pending' | 'locked' | 'joined_from' | 'joined_to', string>>;

/** The user-list filters of a query string, parsed (bad dates are field errors). */
export function userFilterOf(query: UserFilterQuery) {
  return {
    q: query.q,
    active: parseBool(query.active),
    verified: parseBool(query.verified),
    staff: parseBool(query.staff),
    pending: parseBool(query.pending),
    locked: parseBool(query.locked),
    joinedFrom: parseTime(query.joined_from, 'joined_from', 'from'),
    joinedTo: parseTime(query.joined_to, 'joined_to', 'to'),
  };
}
