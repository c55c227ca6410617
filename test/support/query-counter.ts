import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** Counts every query the app sends to the database (through Kysely), so a test can prove a path sends none. */
export class QueryCounter implements KyselyPlugin {
  /** Kinds of the queries seen since the last reset, e.g. `SelectQueryNode`. */
  readonly seen: string[] = [];

  get count(): number {
    return this.seen.length;
  }

  reset(): void {
    this.seen.length = 0;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.seen.push(args.node.kind);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
