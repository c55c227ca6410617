/**
 * Generates packages/client/src/schema.ts from the OpenAPI document a default Gatehouse serves
 * (native and admin API), with openapi-typescript. `npm run client:types` writes it; the client
 * test compares the committed file with a fresh generation, so a route change without a
 * regenerated client fails CI.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import pino from 'pino';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

export const schemaFile = fileURLToPath(new URL('../../packages/client/src/schema.ts', import.meta.url));

const header = '// Generated from Gatehouse\'s OpenAPI document by `npm run client:types` (test/client/generate-types.ts). Do not edit.\n';

/** The native and admin paths of the served document (compat profiles, docs and metrics are not the client's). */
export async function servedDocument(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-openapi-'));
  const app = await createApp(loadConfig({ GATEHOUSE_ENV: 'test', GATEHOUSE_DATA_DIR: dataDir }), { log: pino({ level: 'silent' }), mailWorker: false, cleanup: false });
  try {
    await app.http.ready();
    const doc = app.http.swagger() as { paths: Record<string, unknown> };
    const paths = Object.fromEntries(Object.entries(doc.paths).filter(([path]) => path.startsWith('/v1/')).sort(([a], [b]) => a.localeCompare(b)));
    return { ...doc, paths };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function generatedSchema(): Promise<string> {
  const ast = await openapiTS(await servedDocument() as unknown as Parameters<typeof openapiTS>[0], { alphabetize: true });
  return header + astToString(ast);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(schemaFile, await generatedSchema());
  console.log(`wrote ${schemaFile}`);
}
