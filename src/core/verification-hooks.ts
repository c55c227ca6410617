import type { Core } from './core.js';
import type { Db } from './context.js';
import type { User } from './users/user.js';

/**
 * Runs inside the registration transaction, after the user row exists: the place where
 * email verification (activation mode `email`) queues its mail.
 */
export async function afterRegistration(core: Core, db: Db, user: User): Promise<void> {
  void core;
  void db;
  void user;
}

/**
 * Runs inside the profile-update transaction when the email changes. Returns true when
 * the new address may replace the old one at once; false when it waits for verification.
 */
export async function beforeEmailChange(core: Core, db: Db, user: User, newEmail: string): Promise<boolean> {
  void core;
  void db;
  void user;
  void newEmail;
  return true;
}
