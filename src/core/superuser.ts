import { recordAudit } from './audit.js';
import type { Core } from './core.js';
import { register } from './register.js';
import type { User } from './users/user.js';
import { updateUser } from '../store/users-repo.js';

/** An active, verified, approved staff superuser (the CLI's createsuperuser). */
export async function createSuperuser(core: Core, input: { username?: string; email?: string; password: string }): Promise<User> {
  const { user } = await register(core, input, { identity: 'either', usernameIsLogin: true, issueTokens: false }, { ip: 'cli', userAgent: 'gatehouse createsuperuser' });
  const updated = await updateUser(core.db, user.id, { is_staff: 1, is_superuser: 1, email_verified: 1, approved: 1, is_active: 1 });
  await recordAudit(core.db, { kind: 'admin.user_created', at: core.clock.now(), userId: user.id, ip: 'cli', detail: { superuser: true } });
  return updated!;
}
