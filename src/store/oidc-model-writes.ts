import type { Db } from './dialect/index.js';
import { upsertOidcModel, upsertOidcModels, type OidcModelRow } from './oidc-repo.js';

interface Pending {
  row: OidcModelRow;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface OidcModelWritesOptions {
  /** Rows per statement at most; a statement starts at once when this many wait. Default 100 (900 parameters). */
  maxRows?: number;
}

/**
 * The provider's saves (every token it issues is one, oidc/adapter.ts) grouped into one statement:
 * the saves that arrive in one turn of the event loop are written together on `setImmediate`, one
 * multi-row upsert and one commit instead of one autocommitted statement each (the commit was the
 * largest single cost of a client-credentials grant in issue 15's profile). Each caller's promise
 * settles only once its row is committed, or failed, so the provider answers nothing it has not
 * stored. One statement runs at a time: saves arriving meanwhile wait for the next, which keeps
 * the grouping on PostgreSQL and means no two of these statements lock rows against each other;
 * rows go in (model, id) order so statements from other instances lock them in the same order.
 */
export class OidcModelWrites {
  private readonly maxRows: number;
  private queue: Pending[] = [];
  private scheduled = false;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    options: OidcModelWritesOptions = {},
  ) {
    this.maxRows = Math.max(1, options.maxRows ?? 100);
  }

  /** Rows waiting for a statement. */
  get pending(): number {
    return this.queue.length;
  }

  /** Inserts or replaces the row (last write wins among rows of one (model, id)); settles once committed. */
  write(row: OidcModelRow): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (this.queue.length >= this.maxRows) void this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.flush();
        });
      }
    });
  }

  /** Writes every row queued before the call (the app's close calls it; callers share a running write). */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.writing) {
      this.writing ??= this.writeAll().finally(() => {
        this.writing = undefined;
      });
      await this.writing;
    }
  }

  private async writeAll(): Promise<void> {
    while (this.queue.length > 0) await this.writeBatch(this.queue.splice(0, this.maxRows));
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    // Last write wins: PostgreSQL refuses to update one row twice in one statement.
    const byKey = new Map<string, { row: OidcModelRow; callers: Pending[] }>();
    for (const p of batch) {
      const key = `${p.row.model}\u0000${p.row.id}`;
      const entry = byKey.get(key);
      if (entry) {
        entry.row = p.row;
        entry.callers.push(p);
      } else byKey.set(key, { row: p.row, callers: [p] });
    }
    const groups = [...byKey.values()].sort((a, b) => compare(a.row, b.row));
    try {
      await upsertOidcModels(this.db, groups.map((g) => g.row));
      for (const g of groups) for (const p of g.callers) p.resolve();
    } catch {
      // One bad row fails the whole statement: write each row alone, so only its own callers see
      // the failure (and the database's own error for it), not the neighbours that shared the batch.
      await Promise.all(
        groups.map(async (g) => {
          try {
            await upsertOidcModel(this.db, g.row);
            for (const p of g.callers) p.resolve();
          } catch (err) {
            for (const p of g.callers) p.reject(err);
          }
        }),
      );
    }
  }
}

const compare = (a: OidcModelRow, b: OidcModelRow) => (a.model < b.model ? -1 : a.model > b.model ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const writers = new WeakMap<Db, OidcModelWrites>();

/** The one writer of a database handle, shared by every model's adapter (and flushed on close). */
export function oidcModelWrites(db: Db): OidcModelWrites {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new OidcModelWrites(db)));
  return writer;
}
