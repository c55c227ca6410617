import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { createApp } from '../app.js';
import { importDjangoUsers, importFields, type ImportOptions, type ImportProgress, type ImportSummary } from '../core/import/index.js';

export const importDjangoHelp =
  'gatehouse import-django      import users from a Django project, password hashes included\n' +
  '  --from SOURCE                 the project\'s SQLite file, postgres://… URL, or `manage.py dumpdata` JSON\n' +
  '  --table NAME                  user table (default auth_user; a custom model\'s, e.g. users_user)\n' +
  '  --model APP.MODEL             dumpdata model (default auth.user, or the only model with a password)\n' +
  '  --map FIELD=COLUMN            read FIELD from another column (repeatable), e.g. --map email=email_address;\n' +
  `                                FIELD is one of ${importFields.join(', ')}\n` +
  '  --login-field email|username  what users log in with (default: username for auth_user, email otherwise)\n' +
  '  --batch-size N                rows per transaction (default 500)\n' +
  '  --unverified-emails           do not count imported addresses as verified\n' +
  '  --skip-unusable-passwords     skip users whose hash cannot be used (md5, …) instead of importing them without a password\n' +
  '  --overwrite-passwords         also replace passwords users have since set (or had upgraded) in Gatehouse\n' +
  '  --dry-run                     check and report every row, write nothing\n' +
  'Re-running updates the same accounts (matched by id) and never duplicates them.';

/** The command's options from its arguments (after `import-django`); unknown options are errors. */
export function parseImportArgs(argv: string[]): ImportOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      from: { type: 'string' },
      table: { type: 'string' },
      model: { type: 'string' },
      map: { type: 'string', multiple: true },
      'login-field': { type: 'string' },
      'batch-size': { type: 'string' },
      'unverified-emails': { type: 'boolean' },
      'skip-unusable-passwords': { type: 'boolean' },
      'overwrite-passwords': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
    },
  });
  const from = values.from ?? positionals[0];
  if (!from) throw new Error(`import-django needs --from <sqlite file | postgres://… | dumpdata.json>\n\n${importDjangoHelp}`);
  const loginField = values['login-field'];
  if (loginField !== undefined && loginField !== 'email' && loginField !== 'username') throw new Error(`--login-field expects email or username, got "${loginField}"`);
  const batch = values['batch-size'];
  if (batch !== undefined && !/^\d{1,5}$/.test(batch)) throw new Error(`--batch-size expects a whole number from 1 to 5000, got "${batch}"`);
  return {
    from,
    table: values.table,
    model: values.model,
    map: values.map ?? [],
    loginField,
    batchSize: batch === undefined ? undefined : Number(batch),
    emailsVerified: !values['unverified-emails'],
    skipUnusablePasswords: values['skip-unusable-passwords'] ?? false,
    overwritePasswords: values['overwrite-passwords'] ?? false,
    dryRun: values['dry-run'] ?? false,
  };
}

/** `[########............] 1200/5000  24%` */
export function progressBar({ done, total }: ImportProgress, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${String(Math.round(ratio * 100)).padStart(3)}%`;
}

export function formatSummary(s: ImportSummary, seconds: number): string {
  const lines = [
    `${s.dryRun ? 'dry run (nothing written): ' : ''}${s.source}`,
    `login field: ${s.loginField} (${s.loginFieldReason})`,
    `columns: ${Object.entries(s.mapping).map(([field, column]) => (field === column ? field : `${field}←${column}`)).join(', ')}`,
    `  read       ${s.read}`,
    `  created    ${s.created}`,
    `  updated    ${s.updated}`,
    `  unchanged  ${s.unchanged}`,
    `  skipped    ${s.skipped.length}`,
    `  in ${seconds.toFixed(1)} s`,
  ];
  if (s.skipped.length) lines.push('', 'skipped rows:', ...s.skipped.map((k) => `  ${k.row}: ${k.reason}`));
  if (s.notes.length) lines.push('', 'imported with notes:', ...s.notes.map((n) => `  ${n.row}: ${n.note}`));
  return lines.join('\n') + '\n';
}

export async function importDjangoCommand(config: Config, argv: string[]): Promise<void> {
  const options = parseImportArgs(argv);
  const app = await createApp({ ...config, logLevel: 'warn' }, { migrate: true, mailWorker: false });
  const tty = process.stderr.isTTY === true;
  const started = performance.now();
  try {
    const summary = await importDjangoUsers(app.core, options, (p) => {
      if (tty) process.stderr.write(`\r${progressBar(p)}`);
    });
    if (tty) process.stderr.write('\n');
    process.stdout.write(formatSummary(summary, (performance.now() - started) / 1000));
  } finally {
    await app.close();
  }
}
