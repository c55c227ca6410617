import { recordAudit } from '../audit.js';
import { parseFieldMap, resolveMapping, type FieldMapping } from './mapping.js';
import { prepareRow, type LoginField } from './prepare-row.js';
import { openUserSource, type UserSource } from './sources/index.js';
import { writeBatch, type ImportCtx } from './write-batch.js';
import { finishUserImport } from '../../store/import-repo.js';

export interface ImportOptions {
  /** A SQLite file, a postgres:// URL, or a dumpdata JSON file. */
  from: string;
  table?: string;
  model?: string;
  /** `field=column` overrides. */
  map?: string[];
  /** Default: username for Django's built-in auth_user, email for a custom user table. */
  loginField?: LoginField;
  batchSize?: number;
  /** New accounts' addresses count as verified (default true: the accounts were in use). */
  emailsVerified?: boolean;
  skipUnusablePasswords?: boolean;
  overwritePasswords?: boolean;
  /** Check every row and report, then roll everything back. */
  dryRun?: boolean;
}

export interface ImportProgress {
  done: number;
  total: number;
}

export interface ImportSummary {
  source: string;
  loginField: LoginField;
  loginFieldReason: string;
  mapping: FieldMapping;
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: { row: string; reason: string }[];
  notes: { row: string; note: string }[];
  dryRun: boolean;
}

function chooseLoginField(source: UserSource, mapping: FieldMapping, wanted: LoginField | undefined): { field: LoginField; reason: string } {
  if (wanted) {
    if (!mapping[wanted]) throw new Error(`--login-field ${wanted}: the source has no ${wanted} column (name it with --map ${wanted}=<column>)`);
    return { field: wanted, reason: 'chosen with --login-field' };
  }
  if (source.builtinUserModel && mapping.username) return { field: 'username', reason: "Django's built-in user model logs in with its unique username" };
  if (mapping.email) return { field: 'email', reason: 'a custom user model: the email is taken as the login (--login-field username to change)' };
  return { field: 'username', reason: 'the source has no email column' };
}

/**
 * Imports Django users with their ids, names, flags, dates and password hashes, in batches of
 * one transaction each. Idempotent: a row whose id exists updates that account (never a
 * duplicate); every row that is not imported is reported with its reason.
 */
export async function importDjangoUsers(ctx: ImportCtx, options: ImportOptions, onProgress?: (p: ImportProgress) => void): Promise<ImportSummary> {
  const overrides = parseFieldMap(options.map ?? []);
  const source = await openUserSource(options.from, { table: options.table, model: options.model, idColumn: overrides.id || undefined });
  try {
    const mapping = resolveMapping(source.columns, overrides);
    const login = chooseLoginField(source, mapping, options.loginField);
    const total = await source.count();
    const dryRun = options.dryRun ?? false;
    const batchSize = dryRun ? Math.max(total, 1) : Math.max(1, Math.min(options.batchSize ?? 500, 5000));
    const summary: ImportSummary = {
      source: source.label, loginField: login.field, loginFieldReason: login.reason, mapping,
      read: 0, created: 0, updated: 0, unchanged: 0, skipped: [], notes: [], dryRun,
    };
    const prepareOptions = { loginField: login.field, skipUnusablePasswords: options.skipUnusablePasswords ?? false };
    const writeOptions = { loginField: login.field, emailsVerified: options.emailsVerified ?? true, overwritePasswords: options.overwritePasswords ?? false, dryRun };
    onProgress?.({ done: 0, total });
    for await (const rows of source.batches(batchSize)) {
      const prepared = rows.map((row, i) => prepareRow(row, mapping, prepareOptions, summary.read + i + 1));
      summary.read += rows.length;
      for (const outcome of await writeBatch(ctx, prepared, writeOptions, ctx.clock.now())) {
        if (outcome.result === 'skipped') summary.skipped.push({ row: outcome.label, reason: outcome.reason ?? 'skipped' });
        else summary[outcome.result]++;
        for (const note of outcome.notes) summary.notes.push({ row: outcome.label, note });
      }
      onProgress?.({ done: summary.read, total: Math.max(total, summary.read) });
    }
    if (!dryRun) {
      await recordAudit(ctx.db, {
        kind: 'admin.users_imported', at: ctx.clock.now(), ip: 'cli', userAgent: 'gatehouse import-django',
        detail: { source: source.label, created: summary.created, updated: summary.updated, unchanged: summary.unchanged, skipped: summary.skipped.length },
      });
      // The id sequence moves past the imported ids; fresh planner statistics, so the first requests after an import plan well.
      await finishUserImport(ctx.db);
    }
    return summary;
  } finally {
    await source.close();
  }
}
