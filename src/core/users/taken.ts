import { dialectOf, type Db } from '../../store/dialect/index.js';

export type TakenField = 'username' | 'email';

/**
 * Which login field a refused write found taken (a race with a concurrent sign-up or change),
 * read off the unique index it broke; undefined when `err` is anything else.
 */
export function takenField(db: Db, err: unknown): TakenField | undefined {
  const violation = dialectOf(db).violation(err);
  if (violation?.kind !== 'unique' || (violation.table !== undefined && violation.table !== 'users')) return undefined;
  if (violation.columns.includes('username_key')) return 'username';
  if (violation.columns.includes('email_key')) return 'email';
  return undefined;
}
