import type { Db } from '../context.js';
import { deleteUserTotpFactors, totpStanding } from '../../store/mfa-repo.js';

/** What an operator sees of the account's authenticator app and recovery codes. */
export interface TotpFactors {
  enrolledAt: number | null;
  recoveryCodesLeft: number;
}

/** The account's TOTP enrolment (confirmed only) and unused recovery codes. */
export async function totpFactorsOf(db: Db, userId: number): Promise<TotpFactors> {
  return totpStanding(db, userId);
}

/** Deletes the account's TOTP secret and recovery codes inside the caller's transaction. */
export async function deleteTotpFactors(trx: Db, userId: number): Promise<{ totpRemoved: boolean; recoveryCodesRemoved: number }> {
  return deleteUserTotpFactors(trx, userId);
}
