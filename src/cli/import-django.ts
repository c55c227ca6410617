import { Command, InvalidArgumentError, Option } from 'commander';
import type { Config } from '../config.js';
import { createApp } from '../app.js';
import { checkDjangoTokens, importDjangoTokens, importDjangoUsers, importFields, skippedUserIds, type ImportOptions, type ImportProgress, type ImportSummary, type TokenImportSummary } from '../core/import/index.js';

/** Declares the command's argument and options on `command` (the CLI's, or a bare one for parseImportArgs). */
export function importDjangoOptions(command: Command): Command {
  return command
    .description('import users from a Django project, password hashes included')
    .argument('[source]', 'same as --from')
    .option('--from <SOURCE>', 'the project\'s SQLite file, postgres://… URL, or `manage.py dumpdata` JSON')
    .option('--table <NAME>', 'user table (default auth_user; a custom model\'s, e.g. users_user)')
    .option('--model <APP.MODEL>', 'dumpdata model (default auth.user, or the only model with a password)')
    .option('--map <FIELD=COLUMN>', `read FIELD from another column (repeatable), e.g. --map email=email_address; FIELD is one of ${importFields.join(', ')}`, (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .addOption(new Option('--login-field <email|username>', 'what users log in with (default: username for auth_user, email otherwise)').choices(['email', 'username']))
    .option('--batch-size <N>', 'rows per transaction (default 500)', (value: string) => {
      if (!/^\d{1,5}$/.test(value)) throw new InvalidArgumentError('expected a whole number from 1 to 5000');
      return Number(value);
    })
    .option('--unverified-emails', 'do not count imported addresses as verified')
    .option('--skip-unusable-passwords', 'skip users whose hash cannot be used (md5, …) instead of importing them without a password')
    .option('--overwrite-passwords', 'also replace passwords users have since set (or had upgraded) in Gatehouse')
    .option('--tokens [SOURCE]', 'also copy the DRF authtoken keys (seeds 000, 003) and seed 004\'s live refresh tokens (as sessions), stored hashed, to the users this run imports, and record SimpleJWT\'s blacklist (seed 001) so the old refresh tokens in it are refused: `manage.py dumpdata authtoken.token users.refreshtoken token_blacklist` JSON, or the Django SQLite file or postgres://… URL (default: --from)')
    .option('--dry-run', 'check and report every row, write nothing')
    .addHelpText('after', ({ error }) => (error ? '' : '\nRe-running updates the same accounts (matched by id) and never duplicates them.'));
}

export interface ImportFlags {
  from?: string;
  table?: string;
  model?: string;
  map?: string[];
  loginField?: 'email' | 'username';
  batchSize?: number;
  unverifiedEmails?: boolean;
  skipUnusablePasswords?: boolean;
  overwritePasswords?: boolean;
  tokens?: string | true;
  dryRun?: boolean;
}

/** The user import's options, and where `--tokens` reads DRF keys from (absent: no keys are copied). */
export interface ImportCommandOptions extends ImportOptions {
  tokens?: string;
}

/** The import's options from what commander parsed. */
export function importOptions(source: string | undefined, values: ImportFlags): ImportCommandOptions {
  const from = values.from ?? source;
  if (!from && values.tokens !== undefined) {
    throw new Error('import-django --tokens links keys to the users the same run imports: give --from <the users\' source> too (re-importing users changes nothing that did not change)');
  }
  if (!from) throw new Error('import-django needs --from <sqlite file | postgres://… | dumpdata.json> (see "gatehouse import-django --help")');
  return {
    tokens: values.tokens === undefined ? undefined : values.tokens === true ? from : values.tokens,
    from,
    table: values.table,
    model: values.model,
    map: values.map ?? [],
    loginField: values.loginField,
    batchSize: values.batchSize,
    emailsVerified: !values.unverifiedEmails,
    skipUnusablePasswords: values.skipUnusablePasswords ?? false,
    overwritePasswords: values.overwritePasswords ?? false,
    dryRun: values.dryRun ?? false,
  };
}

/** The command's options from its arguments (after `import-django`); unknown options are errors (thrown, not printed). */
export function parseImportArgs(argv: string[]): ImportCommandOptions {
  const command = importDjangoOptions(new Command('import-django'))
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} });
  command.parse(argv, { from: 'user' });
  return importOptions(command.args[0], command.opts<ImportFlags>());
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

/** The `--tokens` part of the summary. */
export function formatTokenSummary(s: TokenImportSummary): string {
  const dry = s.dryRun ? 'dry run (nothing written): ' : '';
  // A SimpleJWT project's database may hold only the blacklist: then there is no key or token block.
  const lines = s.what === '' ? [] : [
    '',
    `${dry}${s.what}: ${s.source}`,
    `  read              ${s.read}`,
    `  imported          ${s.imported}`,
    `  already imported  ${s.alreadyImported}`,
    `  skipped           ${s.skipped.length}`,
  ];
  if (s.skipped.length) lines.push('', `skipped ${s.what.includes('refresh') ? 'tokens' : 'keys'}:`, ...s.skipped.map((k) => `  ${k.row}: ${k.reason}`));
  const b = s.blacklist;
  if (b) {
    lines.push('', `${dry}SimpleJWT blacklist: ${b.source}`, `  read              ${b.read}`, `  recorded          ${b.recorded}`, `  already recorded  ${b.alreadyRecorded}`, `  expired skipped   ${b.expiredSkipped}`);
  }
  if (s.notCopied.length) lines.push('', `also in the source, not copied: ${s.notCopied.join('; ')}`);
  return lines.join('\n') + '\n';
}

export async function importDjangoCommand(config: Config, options: ImportCommandOptions): Promise<void> {
  const app = await createApp({ ...config, logLevel: 'warn' }, { migrate: true, mailWorker: false });
  const tty = process.stderr.isTTY === true;
  const started = performance.now();
  try {
    // A bad token file stops the run before any user is written.
    if (options.tokens !== undefined) await checkDjangoTokens(options.tokens);
    const summary = await importDjangoUsers(app.core, options, (p) => {
      if (tty) process.stderr.write(`\r${progressBar(p)}`);
    });
    if (tty) process.stderr.write('\n');
    process.stdout.write(formatSummary(summary, (performance.now() - started) / 1000));
    if (options.tokens !== undefined) {
      // Keys go only to accounts this run matched to their Django users: an id it skipped may be someone else's here.
      const tokens = await importDjangoTokens(app.core, { from: options.tokens, batchSize: options.batchSize, dryRun: options.dryRun, usersNotImported: skippedUserIds(summary.skipped) }, (p) => {
        if (tty) process.stderr.write(`\r${progressBar(p)}`);
      });
      if (tty) process.stderr.write('\n');
      process.stdout.write(formatTokenSummary(tokens));
    }
  } finally {
    await app.close();
  }
}
