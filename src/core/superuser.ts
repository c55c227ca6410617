import { recordAudit } from './audit.js';
import type { Core } from './core.js';
import { register } from './register.js';
import type { User } from './users/user.js';

/** An active, verified, approved staff superuser (the CLI's createsuperuser), made in one transaction. */
export async function createSuperuser(core: Core, input: { username?: string; email?: string; password: string }): Promise<User> {
  const { user } = await register(
    core,
    input,
    {
      identity: 'either',
      usernameIsLogin: true,
      issueTokens: false,
      byOperator: true,
      flags: { is_active: true, is_staff: true, is_superuser: true, email_verified: true, approved: true },
      within: (trx, created) => recordAudit(trx, { kind: 'admin.user_created', at: core.clock.now(), userId: created.id, ip: 'cli', detail: { superuser: true } }),
    },
    { ip: 'cli', userAgent: 'gatehouse createsuperuser' },
  );
  return user;
}
