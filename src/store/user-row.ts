import type { Selectable } from 'kysely';
import type { UsersTable } from './schema.js';

/** An account as the store hands it out: never carries the password hash. */
export interface User {
  id: number;
  username: string;
  /** True when `username` is a unique login name (false for free-form display names). */
  username_is_login: boolean;
  email: string;
  first_name: string;
  last_name: string;
  phone_number: string;
  date_of_birth: string | null;
  gender: string;
  bio: string;
  is_active: boolean;
  is_staff: boolean;
  is_superuser: boolean;
  email_verified: boolean;
  approved: boolean;
  date_joined: number;
  last_login: number | null;
  password_changed_at: number;
  updated_at: number;
  pending_email: string | null;
  locked_until: number | null;
  failed_logins: number;
  avatar_etag: string | null;
  /** The language the account reads mail in (core/locales.ts); null: the deployment's default. */
  locale: string | null;
}

export type UserRow = Selectable<UsersTable>;

/** The columns a `User` is made of (everything but the password hash and the skeleton). */
export const publicColumns = [
  'id', 'username', 'username_key', 'email', 'email_key', 'first_name', 'last_name', 'phone_number', 'date_of_birth',
  'gender', 'bio', 'is_active', 'is_staff', 'is_superuser', 'email_verified', 'approved', 'date_joined', 'last_login',
  'password_changed_at', 'updated_at', 'failed_logins', 'locked_until', 'pending_email', 'avatar_etag', 'locale',
] as const;

export function userFromRow(row: Omit<UserRow, 'password_hash' | 'username_skeleton'> & { password_hash?: string }): User {
  return {
    id: Number(row.id),
    username: row.username,
    username_is_login: row.username_key !== null,
    email: row.email,
    first_name: row.first_name,
    last_name: row.last_name,
    phone_number: row.phone_number,
    date_of_birth: row.date_of_birth,
    gender: row.gender,
    bio: row.bio,
    is_active: row.is_active === 1,
    is_staff: row.is_staff === 1,
    is_superuser: row.is_superuser === 1,
    email_verified: row.email_verified === 1,
    approved: row.approved === 1,
    date_joined: row.date_joined,
    last_login: row.last_login,
    password_changed_at: row.password_changed_at,
    updated_at: row.updated_at,
    pending_email: row.pending_email,
    locked_until: row.locked_until,
    failed_logins: row.failed_logins,
    avatar_etag: row.avatar_etag,
    locale: row.locale ?? null,
  };
}
