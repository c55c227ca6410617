import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { cruise, type ICruiseResult, type IForbiddenRuleType, type IViolation } from 'dependency-cruiser';
import { beforeAll, describe, expect, it } from 'vitest';

/*
 * The layering of issue 12, read from the import graph of src/ (type-only imports count: a type
 * import still ties two folders together). Each test lists every offending file or edge.
 */

const rules: IForbiddenRuleType[] = [
  { name: 'no-cycle', severity: 'error', from: {}, to: { circular: true } },
  { name: 'store-imports-no-upper-layer', severity: 'error', from: { path: '^src/store/' }, to: { path: '^src/(core|http|mail|jobs|cli|cache)/' } },
  { name: 'core-imports-no-outer-layer', severity: 'error', from: { path: '^src/core/' }, to: { path: '^src/(http|mail|jobs|cli)/' } },
  { name: 'core-imports-no-kysely', severity: 'error', from: { path: '^src/core/' }, to: { path: '(^|/)node_modules/kysely/' } },
];

let violations: IViolation[] = [];

beforeAll(async () => {
  const result = await cruise(['src'], {
    validate: true,
    ruleSet: { forbidden: rules },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
  });
  const output = result.output as ICruiseResult;
  const unresolved = output.modules.flatMap((m) => m.dependencies.filter((d) => d.couldNotResolve).map((d) => `${m.source} → ${d.module}`));
  // An import the cruiser could not follow would hide its edges.
  expect(unresolved).toEqual([]);
  expect(output.summary.totalCruised).toBeGreaterThan(100);
  violations = output.summary.violations;
}, 180_000);

function edges(rule: string): string[] {
  return violations
    .filter((v) => v.rule.name === rule)
    .map((v) => `${v.from} → ${v.to}${v.dependencyTypes?.includes('type-only') ? ' (type import)' : ''}`)
    .sort();
}

/** Each cycle once, as a → b → … → a, starting at its alphabetically first file. */
function cycles(): string[] {
  const seen = new Set<string>();
  for (const v of violations.filter((x) => x.rule.name === 'no-cycle')) {
    const path = [v.from, ...(v.cycle ?? []).map((step) => step.name)];
    if (path.at(-1) === v.from) path.pop();
    const start = path.indexOf([...path].sort()[0]!);
    const rotated = [...path.slice(start), ...path.slice(0, start)];
    seen.add([...rotated, rotated[0]].join(' → '));
  }
  return [...seen].sort();
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const queryBuilders = new Set(['selectFrom', 'insertInto', 'updateTable', 'deleteFrom']);

/** Query-builder calls and `sql` template tags (or `sql.raw`, `sql.ref`, …) in one file, as file:line what. */
function sqlIn(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node, what: string) => found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${what}`);
  const isSql = (node: ts.Node) => ts.isIdentifier(node) && node.text === 'sql';
  const visit = (node: ts.Node): void => {
    if (ts.isTaggedTemplateExpression(node) && isSql(node.tag)) at(node, 'sql`…`');
    else if (ts.isPropertyAccessExpression(node) && isSql(node.expression)) at(node, `sql.${node.name.text}`);
    else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && queryBuilders.has(node.expression.name.text)) at(node, node.expression.name.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the import graph of src/', () => {
  it('has no import cycle (type imports included)', () => {
    expect(cycles()).toEqual([]);
  });

  it('store imports nothing from core, http, mail, jobs, cli or cache', () => {
    expect(edges('store-imports-no-upper-layer')).toEqual([]);
  });

  it('core imports nothing from http, mail, jobs or cli', () => {
    expect(edges('core-imports-no-outer-layer')).toEqual([]);
  });

  it('core imports no kysely', () => {
    expect(edges('core-imports-no-kysely')).toEqual([]);
  });

  it('core writes no SQL: no query builder calls, no sql template tags', () => {
    expect(tsFiles('src/core').flatMap(sqlIn)).toEqual([]);
  });

  it('the SQL scan sees a query builder call and an sql tag (it can fail)', () => {
    expect(tsFiles('src/store').flatMap(sqlIn).some((line) => / selectFrom$/.test(line))).toBe(true);
    expect(tsFiles('src/store').flatMap(sqlIn).some((line) => / sql`…`$/.test(line))).toBe(true);
  });
});
