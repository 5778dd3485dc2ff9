import { PROBLEM_SCHEMAS, SECURITY_SCHEMES } from './components.js';
import { PATH_CONTRIBUTORS } from './paths/index.js';
import type { OpenApiContext, PathContributor } from './types.js';
import { withChinese } from './zh/index.js';

export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: Record<string, unknown>;
  readonly jsonSchemaDialect: string;
  readonly servers: readonly { url: string; description: string }[];
  readonly tags: readonly { name: string; description: string }[];
  readonly paths: Record<string, Record<string, unknown>>;
  readonly components: {
    readonly schemas: Record<string, unknown>;
    readonly securitySchemes: Record<string, unknown>;
  };
}

/**
 * The OpenAPI 3.1 document of a node, assembled from the route groups' contributions. A path or a
 * schema name contributed twice is a programming error and throws. Texts are English in `summary`
 * and `description`, with their 简体中文 beside them in `x-zh` (see `withChinese`).
 */
export function buildOpenApi(
  context: OpenApiContext,
  contributors: readonly PathContributor[] = PATH_CONTRIBUTORS,
): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = { ...PROBLEM_SCHEMAS };
  const tags: { name: string; description: string }[] = [];
  for (const contribute of contributors) {
    const part = contribute(context);
    if (part === undefined) continue;
    tags.push({ ...part.tag });
    for (const [path, item] of Object.entries(part.paths)) {
      if (paths[path] !== undefined) throw new Error(`OpenAPI: path ${path} is described twice`);
      paths[path] = { ...item };
    }
    for (const [name, schema] of Object.entries(part.schemas ?? {})) {
      if (schemas[name] !== undefined) throw new Error(`OpenAPI: schema ${name} is described twice`);
      schemas[name] = schema;
    }
  }
  const { config } = context;
  return withChinese({
    openapi: '3.1.0',
    info: {
      title: `yrdx — ${config.name} (${config.id})`,
      version: context.version,
      summary: 'Yangtze River Delta exchange gateway',
      description:
        'Signed, translated, reliable cooperation messages between the supervision systems of the Delta’s cities. Local systems send in their own dialect; partner nodes exchange compact JWS with signed receipts. Errors are RFC 9457 problem+json with a stable `code`. On every route, a URL whose path or query decodes to NUL, a lone surrogate or invalid UTF-8 is refused with 400 `text_invalid`, as is such text in any body; a client that hangs up before its body is complete gets 400 `request_aborted`.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: config.publicUrl, description: config.name }],
    tags,
    paths,
    components: { schemas, securitySchemes: { ...SECURITY_SCHEMES } },
  } satisfies OpenApiDocument);
}
