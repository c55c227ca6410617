import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

/*
 * One answer measured against the OpenAPI document: its status documented for the operation, its
 * content type one the status documents, and a JSON body valid against the documented schema.
 * Used by the fuzzer (test/native/openapi-conformance.test.ts) and by every test app's answer
 * check (test/support/app.ts), so a new mismatch fails whichever suite first sees it.
 */

// ajv and ajv-formats are CommonJS: their default export arrives as the module object under ESM.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as typeof Ajv2020Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule.default;

export type Schema = Record<string, unknown>;
export interface Media { schema?: Schema }
export interface Operation {
  parameters?: { in: string; name: string; schema?: Schema }[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
}
export interface OpenApi { paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> }

/** `#/components/...` of an operation's schema, pointed at the document registered in ajv. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `openapi${v}` : rebase(v)]));
}

export class OpenApiCheck {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly doc: OpenApi) {
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    this.ajv.addSchema({ $id: 'openapi', components: doc.components });
  }

  /** The documented operation of a route as Fastify names it (`/v1/users/:id`), if the document has it. */
  operation(method: string, routeUrl: string): Operation | undefined {
    const path = routeUrl.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    return this.doc.paths[path]?.[method.toLowerCase()];
  }

  /** What is wrong with one answer, measured against the operation's documented responses. */
  mismatches(where: string, op: Operation, status: number, contentType: string, text: string): string[] {
    const documented = op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default;
    if (!documented) return [`${where}: status ${status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`];
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    const content = documented.content;
    if (!content) return text.length ? [`${where}: documented without a body, sent ${mediaType} (${text.length} bytes)`] : [];
    const media = content[mediaType] ?? content[`${mediaType.split('/')[0]}/*`];
    if (!media) return [`${where}: sent ${mediaType || 'no content type'}, documented ${Object.keys(content).join(', ')}`];
    if (!/[/+]json$/.test(mediaType) || !media.schema) return [];
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [`${where}: ${mediaType} body is not JSON`];
    }
    const validate = this.validator(media.schema);
    return validate(body) ? [] : [`${where}: body does not match the documented schema: ${this.ajv.errorsText(validate.errors)}`];
  }

  private validator(schema: Schema): ValidateFunction {
    const key = JSON.stringify(schema);
    let v = this.validators.get(key);
    if (!v) this.validators.set(key, (v = this.ajv.compile(rebase(schema) as Schema)));
    return v;
  }
}
