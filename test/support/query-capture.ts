import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.js';
import type { TestApp } from './app.js';

/** One distinct statement the app sent, with the parameters of its first use (EXPLAIN needs values). */
export interface CapturedQuery {
  sql: string;
  parameters: readonly unknown[];
  /** The request that first sent it, for the failure message. */
  path: string;
}

/** Runs `work` (requests) while the app's query counter records; returns the statements sent meanwhile. */
export async function recordQueries(app: TestApp, path: string, work: () => Promise<unknown>): Promise<CapturedQuery[]> {
  const from = app.queries.nodes.length;
  app.queries.recording = true;
  try {
    await work();
  } finally {
    app.queries.recording = false;
  }
  const executor = app.store.db.getExecutor();
  return app.queries.nodes.splice(from).map(({ node, queryId }) => {
    const compiled = executor.compileQuery(node, queryId);
    return { sql: compiled.sql, parameters: compiled.parameters, path };
  });
}

/** Statements worth explaining: reads and writes that can touch stored rows (not pragmas, DDL or transaction control). */
export function explainable(q: CapturedQuery): boolean {
  return /^\s*(select|update|delete|insert|with)\b/i.test(q.sql);
}

/** A scan, or a sort, of a table that grows with use, in one plan. */
export interface PlanProblem {
  table: string;
  what: string;
}

/** Tables whose size does not grow with users or history: scanning them is fine. */
export const fixedSizeTables = new Set(['settings', 'signing_keys', 'kysely_migration', 'kysely_migration_lock']);

const limited = (q: CapturedQuery) => /\blimit\b/i.test(q.sql);
const ordered = (q: CapturedQuery) => /\border by\b/i.test(q.sql);
// A sort of the whole result; a "RIGHT PART" or "LAST TERM" sort only orders ties of an index walk.
const sortLine = /^USE TEMP B-TREE FOR ORDER BY/;

/**
 * SQLite: `EXPLAIN QUERY PLAN` lines naming a full scan of a growing table, or a sort of rows read
 * from one. A scan that walks a table or index in the query's order under a LIMIT (no sort in the
 * plan) stops early and passes; a full-text (virtual table) match is an index.
 */
export async function sqlitePlanProblems(db: Kysely<Database>, q: CapturedQuery): Promise<{ plan: string[]; problems: PlanProblem[] }> {
  const rows = (await db.executeQuery(CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]))).rows as { detail: string }[];
  const plan = rows.map((r) => r.detail);
  const problems: PlanProblem[] = [];
  const sorts = plan.some((line) => sortLine.test(line));
  const walksInOrder = ordered(q) && limited(q) && !sorts;
  let growing = false;
  for (const line of plan) {
    const access = /^(SCAN|SEARCH) (\w+)(?: AS \w+)?(.*)$/.exec(line);
    // A multi-row VALUES list (a batched insert), not a table: "SCAN 6-ROW VALUES CLAUSE" (SQLite 3.46+), "SCAN 6 CONSTANT ROWS" before.
    if (!access || /VIRTUAL TABLE/.test(access[3]!) || fixedSizeTables.has(access[2]!) || /^SCAN \d+(-ROW VALUES CLAUSE| CONSTANT ROWS)$/.test(line)) continue;
    growing = true;
    if (access[1] === 'SCAN' && !walksInOrder) problems.push({ table: access[2]!, what: line });
  }
  if (sorts && growing) problems.push({ table: '(sort)', what: plan.find((line) => sortLine.test(line))! });
  return { plan, problems };
}

interface PgPlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  Plans?: PgPlanNode[];
}

/**
 * PostgreSQL: `EXPLAIN (FORMAT JSON)` on one connection; with `seqscanOff`, a sequential scan
 * still chosen means no index can serve the query. An index walked with no condition counts
 * as a scan unless a Limit sits above it. Sorts are judged on SQLite, whose plans depend on which
 * indexes exist: PostgreSQL rightly sorts a few rows its estimate (for these very parameters) expects.
 */
export async function postgresPlanProblems(db: Kysely<Database>, q: CapturedQuery, seqscanOff: boolean): Promise<{ plan: string[]; problems: PlanProblem[] }> {
  return db.connection().execute(async (conn) => {
    if (seqscanOff) await sql`set enable_seqscan = off`.execute(conn);
    try {
      const rows = (await conn.executeQuery(CompiledQuery.raw(`explain (format json) ${q.sql}`, [...q.parameters]))).rows as { 'QUERY PLAN': [{ Plan: PgPlanNode }] }[];
      const root = rows[0]!['QUERY PLAN'][0].Plan;
      const plan: string[] = [];
      const problems: PlanProblem[] = [];
      const walk = (node: PgPlanNode, underLimit: boolean, depth: number) => {
        const table = node['Relation Name'];
        plan.push(`${'  '.repeat(depth)}${node['Node Type']}${table ? ` on ${table}` : ''}${node['Index Cond'] ? ` (${node['Index Cond']})` : ''}`);
        if (table && !fixedSizeTables.has(table)) {
          const type = node['Node Type'];
          if (type === 'Seq Scan') problems.push({ table, what: 'Seq Scan' });
          if ((type === 'Index Scan' || type === 'Index Only Scan') && !node['Index Cond'] && !underLimit) problems.push({ table, what: `${type} with no condition` });
        }
        for (const child of node.Plans ?? []) walk(child, underLimit || node['Node Type'] === 'Limit', depth + 1);
      };
      walk(root, false, 0);
      return { plan, problems };
    } finally {
      if (seqscanOff) await sql`reset enable_seqscan`.execute(conn);
    }
  });
}
