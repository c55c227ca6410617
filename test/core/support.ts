import { insertUser } from '../../src/store/users-repo.js';
import type { User } from '../../src/core/users/user.js';
import type { TestCore } from '../support/core.js';

let seq = 0;

/** An account written straight to the users table (no password is ever checked by these tests). */
export async function account(t: TestCore, extra: { is_active?: number; is_staff?: number } = {}): Promise<User> {
  const now = t.clock.now();
  const name = `u${process.pid}_${++seq}`;
  return insertUser(t.core.db, {
    username: name, username_key: name, username_skeleton: name, email: `${name}@example.com`, email_key: `${name}@example.com`,
    password_hash: '!unusable', first_name: '', last_name: '', phone_number: '', date_of_birth: null, gender: '', bio: '',
    is_active: extra.is_active ?? 1, is_staff: extra.is_staff ?? 0, is_superuser: 0, email_verified: 1, approved: 1,
    date_joined: now, last_login: null, password_changed_at: now, updated_at: now, failed_logins: 0, locked_until: null, pending_email: null, avatar_etag: null,
  });
}

export const meta = { ip: '192.0.2.1', userAgent: 'unit-test' };
