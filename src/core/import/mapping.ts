/** Gatehouse user fields an import fills, each from one column of the Django user table. */
export const importFields = [
  'id', 'username', 'email', 'password', 'first_name', 'last_name', 'is_active', 'is_staff', 'is_superuser',
  'date_joined', 'last_login', 'phone_number', 'date_of_birth', 'gender', 'bio', 'approved', 'email_verified',
] as const;

export type ImportField = (typeof importFields)[number];

/** field → source column; absent when the table has no such column. */
export type FieldMapping = Partial<Record<ImportField, string>>;

/** Column names tried in order when no --map names one: Django's own, then the seeds' custom models. */
const defaultColumns: Record<ImportField, string[]> = {
  id: ['id'],
  username: ['username'],
  email: ['email'],
  password: ['password'],
  first_name: ['first_name', 'firstName'],
  last_name: ['last_name', 'lastName'],
  is_active: ['is_active'],
  is_staff: ['is_staff'],
  is_superuser: ['is_superuser'],
  date_joined: ['date_joined', 'created_at', 'created'],
  last_login: ['last_login'],
  phone_number: ['phone_number', 'phoneNumber', 'phone'],
  date_of_birth: ['date_of_birth', 'dateBirth', 'birth_date'],
  gender: ['gender'],
  bio: ['bio'],
  approved: ['is_activated', 'is_approved', 'approved'],
  email_verified: ['email_verified', 'is_verified', 'verified'],
};

function isImportField(name: string): name is ImportField {
  return (importFields as readonly string[]).includes(name);
}

/**
 * Parses `--map field=column` options. `field=` (empty) leaves a field unmapped even when a
 * column of its default name exists.
 */
export function parseFieldMap(options: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const option of options) {
    const eq = option.indexOf('=');
    const field = eq < 0 ? option : option.slice(0, eq);
    if (eq < 0 || !isImportField(field)) {
      throw new Error(`--map expects <field>=<column> with a field among ${importFields.join(', ')}; got "${option}"`);
    }
    out[field] = option.slice(eq + 1).trim();
  }
  return out;
}

/** Which column feeds each field, given the table's columns and the --map overrides. */
export function resolveMapping(columns: readonly string[], overrides: Record<string, string> = {}): FieldMapping {
  const present = new Set(columns);
  const mapping: FieldMapping = {};
  for (const field of importFields) {
    const chosen = overrides[field];
    if (chosen !== undefined) {
      if (chosen === '') continue;
      if (!present.has(chosen)) throw new Error(`--map ${field}=${chosen}: the source has no column "${chosen}" (it has: ${columns.join(', ')})`);
      mapping[field] = chosen;
      continue;
    }
    const found = defaultColumns[field].find((c) => present.has(c));
    if (found) mapping[field] = found;
  }
  for (const required of ['id', 'password'] as const) {
    if (!mapping[required]) throw new Error(`the source has no "${required}" column; name it with --map ${required}=<column> (columns: ${columns.join(', ')})`);
  }
  if (!mapping.username && !mapping.email) throw new Error('the source has neither a username nor an email column; name one with --map username=<column> or --map email=<column>');
  return mapping;
}
