// The account as rows carry it is the store's (store/user-row.ts); core names it here.
import type { User } from '../../store/user-row.js';

export { userFromRow, type User, type UserRow } from '../../store/user-row.js';

export function displayName(u: Pick<User, 'first_name' | 'last_name' | 'username' | 'email'>): string {
  const full = `${u.first_name} ${u.last_name}`.trim();
  return full || u.username || u.email;
}
