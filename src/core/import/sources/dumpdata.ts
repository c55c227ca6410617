import { readFileSync } from 'node:fs';
import type { SourceOptions, SourceRow, UserSource } from './source.js';

interface DumpEntry {
  model?: unknown;
  pk?: unknown;
  fields?: unknown;
}

/** The user model among the file's models: the one asked for, auth.user, or the only one with a password field. */
function pickModel(entries: DumpEntry[], wanted: string | undefined): string {
  const models = new Map<string, boolean>();
  for (const e of entries) {
    if (typeof e.model !== 'string') continue;
    const fields = e.fields && typeof e.fields === 'object' ? (e.fields as Record<string, unknown>) : {};
    models.set(e.model.toLowerCase(), (models.get(e.model.toLowerCase()) ?? false) || 'password' in fields);
  }
  if (wanted) {
    if (!models.has(wanted.toLowerCase())) throw new Error(`no "${wanted}" objects in the file; models present: ${[...models.keys()].join(', ') || 'none'}`);
    return wanted.toLowerCase();
  }
  if (models.has('auth.user')) return 'auth.user';
  const withPassword = [...models].filter(([, has]) => has).map(([m]) => m);
  if (withPassword.length === 1) return withPassword[0]!;
  throw new Error(`cannot tell which model holds the users (${withPassword.length ? withPassword.join(', ') : 'none has a password field'}); name it with --model app.model`);
}

/** `manage.py dumpdata` JSON: a list of {model, pk, fields}; users are the chosen model's objects, pk as id. */
export function dumpdataSource(file: string, options: SourceOptions): UserSource {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file} is not dumpdata JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`${file} is not dumpdata JSON: expected a list of objects`);
  const entries = parsed as DumpEntry[];
  const model = pickModel(entries, options.model);
  const rows: SourceRow[] = entries
    .filter((e) => typeof e.model === 'string' && e.model.toLowerCase() === model)
    .map((e) => ({ ...(e.fields && typeof e.fields === 'object' ? (e.fields as SourceRow) : {}), id: e.pk ?? null }));
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return {
    label: `${model} objects in ${file}`,
    builtinUserModel: model === 'auth.user',
    columns,
    async count() {
      return rows.length;
    },
    async *batches(size: number) {
      for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
    },
    async close() {},
  };
}
