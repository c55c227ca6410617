import { describeUnsupportedHash } from '../passwords/index.js';
import { randomToken } from '../secrets.js';
import { isEmail } from '../users/normalize.js';
import type { FieldMapping, ImportField } from './mapping.js';
import type { SourceRow } from './sources/index.js';
import { hasControlCharacters, readDate, readDateTime, readFlag, readId, readText } from './values.js';

/** Which Django field users log in with: it must be present and unique; the other may repeat. */
export type LoginField = 'email' | 'username';

/** A Django user read and checked, ready to be written. */
export interface ImportedUser {
  id: number;
  username: string;
  email: string;
  passwordHash: string;
  /** The Django hash could never verify; passwordHash is an unusable placeholder. */
  unusablePassword: boolean;
  /** The email fails the one email rule: kept as written, but unverified, no login key, never mailed. */
  unusableEmail: boolean;
  first_name: string;
  last_name: string;
  phone_number: string;
  date_of_birth: string | null;
  gender: string;
  bio: string;
  is_active: 0 | 1;
  is_staff: 0 | 1;
  is_superuser: 0 | 1;
  /** Undefined when the source has no such column (new accounts are then approved / verified per options). */
  approved?: 0 | 1;
  email_verified?: 0 | 1;
  /** null when the source has no date_joined (the import time is used for new accounts). */
  date_joined: number | null;
  last_login: number | null;
}

export interface PreparedRow {
  /** How the row is named in the report: `id 7 (alice)`. */
  label: string;
  user?: ImportedUser;
  /** Why the row is not imported. */
  skip?: string;
  /** What was imported differently than stored (an unusable password, an unreadable date). */
  notes: string[];
}

export interface PrepareOptions {
  loginField: LoginField;
  /** Skip users whose hash can never verify (md5 and other refused formats) instead of importing them without a usable password. */
  skipUnusablePasswords: boolean;
}

/** Django's marker for "no usable password" plus randomness, so no imported value ever verifies. */
function unusablePassword(): string {
  return `!${randomToken(30)}`;
}

const textFields = ['username', 'email', 'first_name', 'last_name', 'phone_number', 'gender', 'bio'] as const;
const flagDefaults = { is_active: 1, is_staff: 0, is_superuser: 0 } as const;

/** Reads one source row through the mapping; a row that cannot become a user says why. */
export function prepareRow(row: SourceRow, mapping: FieldMapping, options: PrepareOptions, position: number): PreparedRow {
  const value = (field: ImportField) => (mapping[field] ? row[mapping[field]!] : undefined);
  const notes: string[] = [];
  const id = readId(value('id'));
  const who = readText(value(options.loginField)) || readText(value('username')) || readText(value('email')) || '';
  const label = id === undefined ? `row ${position}` : `id ${id}${who ? ` (${who.slice(0, 80)})` : ''}`;
  const skip = (reason: string): PreparedRow => ({ label, skip: reason, notes });
  if (id === undefined) return skip(`no usable id (${JSON.stringify(value('id'))?.slice(0, 40)})`);

  const text: Record<(typeof textFields)[number], string> = { username: '', email: '', first_name: '', last_name: '', phone_number: '', gender: '', bio: '' };
  for (const field of textFields) {
    const read = readText(value(field));
    if (read === undefined) return skip(`${field} is not text`);
    if (hasControlCharacters(read)) return skip(`${field} contains control characters (such as NUL)`);
    text[field] = field === 'email' ? read.trim() : read;
  }
  if (!text[options.loginField]) return skip(`no ${options.loginField}, which is the login field`);
  if (text.username.length > 150) return skip('username longer than 150 characters');
  if (text.email.length > 254) return skip('email longer than 254 characters');
  const unusableEmail = text.email !== '' && !isEmail(text.email);
  if (unusableEmail && options.loginField === 'email') return skip(`email "${text.email.slice(0, 80)}" is not a single valid address, and it is the login field`);
  if (unusableEmail) notes.push(`email "${text.email.slice(0, 80)}" is not a single valid address: kept as written but unverified; it cannot log in, reset a password or receive mail`);

  const flags = { ...flagDefaults } as Record<keyof typeof flagDefaults, 0 | 1>;
  for (const field of Object.keys(flagDefaults) as (keyof typeof flagDefaults)[]) {
    if (!mapping[field]) continue;
    const flag = readFlag(value(field));
    if (flag === undefined) return skip(`${field} is not a boolean (${JSON.stringify(value(field))?.slice(0, 40)})`);
    flags[field] = flag;
  }
  const optionalFlag = (field: 'approved' | 'email_verified'): 0 | 1 | undefined => {
    if (!mapping[field]) return undefined;
    const flag = readFlag(value(field));
    if (flag === undefined) notes.push(`${field} unreadable; left as default`);
    return flag;
  };

  let passwordHash = readText(value('password')) ?? '';
  const unusable = describeUnsupportedHash(passwordHash);
  if (unusable) {
    if (options.skipUnusablePasswords) return skip(`password cannot be used: ${unusable}`);
    notes.push(`imported without a usable password: ${unusable}`);
    passwordHash = unusablePassword();
  }

  const dateJoined = readDateTime(value('date_joined'));
  if (dateJoined === undefined) notes.push('date_joined unreadable; set to the import time');
  const lastLogin = readDateTime(value('last_login'));
  if (lastLogin === undefined) notes.push('last_login unreadable; left empty');
  const birth = readDate(value('date_of_birth'));
  if (birth === undefined) notes.push('date_of_birth unreadable; left empty');

  return {
    label,
    notes,
    user: {
      id,
      ...text,
      passwordHash,
      unusablePassword: unusable !== undefined,
      unusableEmail,
      ...flags,
      date_of_birth: birth ?? null,
      approved: optionalFlag('approved'),
      email_verified: unusableEmail ? 0 : optionalFlag('email_verified'),
      date_joined: dateJoined ?? null,
      last_login: lastLogin ?? null,
    },
  };
}
