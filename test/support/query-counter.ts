import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** Counts every query the app sends to the database (through Kysely), so a test can prove a path sends none. */
export class QueryCounter implements KyselyPlugin {
  /** Kinds of the queries seen since the last reset, e.g. `SelectQueryNode`. */
  readonly seen: string[] = [];
  /** While `recording`, every query's node is kept here too, for tests that compile and EXPLAIN them (test/support/query-capture.ts). */
  recording = false;
  readonly nodes: { node: RootOperationNode; queryId: QueryId }[] = [];

  get count(): number {
    return this.seen.length;
  }

  reset(): void {
    this.seen.length = 0;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.seen.push(args.node.kind);
    if (this.recording) this.nodes.push({ node: args.node, queryId: args.queryId });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
