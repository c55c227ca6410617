import type { Core } from '../core.js';
import type { User } from '../users/user.js';
import { findGraceStart, startGrace, startGraceOnce } from '../../store/mfa-requirement-repo.js';
import { settingChanges } from '../../store/settings-repo.js';

/** What the requirement reads: the settings, the database (grace rows, when a setting changed) and the clock. */
export type EnrolmentRequirementCtx = Pick<Core, 'db' | 'clock' | 'settings'>;

/** Where an account without a second factor stands against the "require MFA" settings. */
export type EnrolmentStanding =
  | { kind: 'not_required' }
  /** It may still log in with its password alone until `requiredBy` (ms). */
  | { kind: 'grace'; requiredBy: number }
  /** Its grace ended at `requiredBy`: a password login only gets to enrol a factor. */
  | { kind: 'overdue'; requiredBy: number };

/** The settings that require a factor of this account (staff: staff and superusers). */
function requiringSettings(ctx: Pick<Core, 'settings'>, user: User): ('mfa_required_staff' | 'mfa_required_everyone')[] {
  const out: ('mfa_required_staff' | 'mfa_required_everyone')[] = [];
  if (ctx.settings.get('mfa_required_everyone')) out.push('mfa_required_everyone');
  if (ctx.settings.get('mfa_required_staff') && (user.is_staff || user.is_superuser)) out.push('mfa_required_staff');
  return out;
}

/** True when a setting requires this account to have a second factor. */
export function mfaRequiredFor(ctx: Pick<Core, 'settings'>, user: User): boolean {
  return requiringSettings(ctx, user).length > 0;
}

/**
 * Where an account that logged in without a second factor stands. Its grace begins at its first
 * such login under the requirement, and begins again when the requirement was switched off and on
 * since (a grace row older than the setting's last change belongs to an earlier requirement). The
 * grace length is read now, so shortening the setting shortens running graces too.
 */
export async function enrolmentStanding(ctx: EnrolmentRequirementCtx, user: User): Promise<EnrolmentStanding> {
  const requiring = requiringSettings(ctx, user);
  if (!requiring.length) return { kind: 'not_required' };
  const now = ctx.clock.now();
  const changes = await settingChanges(ctx.db);
  // The requirement has applied since the earliest of the settings requiring it was switched on.
  const since = Math.min(...requiring.map((key) => changes.find((c) => c.key === key)?.updated_at ?? 0));
  let started = await findGraceStart(ctx.db, user.id);
  if (started === undefined) started = await startGraceOnce(ctx.db, user.id, now);
  else if (started < since) {
    started = now;
    await startGrace(ctx.db, user.id, now);
  }
  const requiredBy = started + ctx.settings.get('mfa_enrolment_grace') * 1000;
  return requiredBy > now ? { kind: 'grace', requiredBy } : { kind: 'overdue', requiredBy };
}
