/** Schemas, responses and security schemes that every route group may refer to. */
export const PROBLEM_SCHEMAS = {
  Problem: {
    type: 'object',
    description:
      'RFC 9457 problem details. `code` is stable (see docs/errors.md); `detail` is 简体中文 unless the request sends `Accept-Language: en`.',
    required: ['type', 'title', 'status', 'detail', 'code'],
    properties: {
      type: { type: 'string', examples: ['urn:yrdx:problem:request_invalid'] },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      code: { type: 'string' },
      instance: { type: 'string' },
      errors: {
        type: 'array',
        maxItems: 100,
        description: 'One item per fault, the first 100 at most',
        items: { $ref: '#/components/schemas/ProblemItem' },
      },
      errorsOmitted: {
        type: 'integer',
        minimum: 1,
        description: 'How many more faults were found than `errors` lists (present only then)',
      },
    },
  },
  ProblemItem: {
    type: 'object',
    required: ['pointer', 'detail'],
    properties: {
      pointer: { type: 'string', description: 'JSON Pointer to the bad input' },
      detail: { type: 'string' },
      file: { type: 'string' },
      rule: { type: 'string' },
      expected: { type: 'string' },
    },
  },
} as const;

export const SECURITY_SCHEMES = {
  localSystem: {
    type: 'http',
    scheme: 'bearer',
    description:
      'The API key of a local system of this city. The node stores only its SHA-256; what the system may send and receive is set in the node configuration.',
  },
  adminBearer: {
    type: 'http',
    scheme: 'bearer',
    description:
      'A credential of the admin API (`/admin/v1`), which is off unless credentials are configured. Each credential has one role: `admin` (everything), `operator` (reads the node’s state, requeues dead letters, suspends partners) or `auditor` (reads messages and threads). Each operation lists the roles allowed in `x-yrdx-roles`.',
  },
} as const;

/** `{ description, content: problem+json }` for an error status. */
export function problemResponse(description: string) {
  return {
    description,
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
}

export const REQUEST_ID_HEADER = {
  name: 'X-Request-Id',
  in: 'header',
  required: false,
  description: 'Echoed in the response and written in every log line of the request; made up when absent.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,64}$' },
} as const;

export const TRACEPARENT_HEADER = {
  name: 'traceparent',
  in: 'header',
  required: false,
  description:
    'W3C Trace Context. The trace id travels with the message to the partner and its local system, with a new parent id on each hop; an invalid value starts a new trace.',
  schema: { type: 'string', pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' },
} as const;
