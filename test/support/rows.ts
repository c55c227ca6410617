import type { Insertable } from 'kysely';
import type { UsersTable } from '../../src/store/schema.js';

type Required = Pick<Insertable<UsersTable>, 'username' | 'email' | 'password_hash' | 'date_joined' | 'password_changed_at' | 'updated_at'>;

/** A users row for direct inserts: the migration's column defaults, plus what the test gives. */
export function newUserRow(fields: Required & Partial<Insertable<UsersTable>>): Insertable<UsersTable> {
  return {
    username_key: null, email_key: null, first_name: '', last_name: '', phone_number: '', gender: '', bio: '',
    is_active: 1, is_staff: 0, is_superuser: 0, email_verified: 0, approved: 1, failed_logins: 0,
    ...fields,
  };
}
