import { type Permission, ROLE_GRANTS } from '../../admin/roles.js';
import { nodeConfigSchema } from '../../config/schema.js';
import { DOMAINS, MESSAGE_TYPES } from '../../vocabulary/messages.js';
import { ADMIN_ROLES, type AdminRole } from '../../vocabulary/roles.js';
import { problemResponse, REQUEST_ID_HEADER } from '../components.js';
import type { PathContributor, PathItem } from '../types.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const items = (name: string) => ({
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: ref(name) } },
});
const time = { type: 'string', format: 'date-time' };
const nullableTime = { type: ['string', 'null'], format: 'date-time' };

const ROLE_ORDER: readonly AdminRole[] = ADMIN_ROLES;

/** The roles whose grants include `permission` (every role for `any`), in the order admin, operator, auditor. */
export function rolesFor(permission: Permission | 'any'): AdminRole[] {
  return ROLE_ORDER.filter((role) => permission === 'any' || ROLE_GRANTS[role].has(permission));
}

/** The refusals every admin operation may answer, whatever it does. */
const GATE_RESPONSES = {
  '401': problemResponse(
    'No credential, or one not accepted (`admin_auth_required`, `admin_auth_invalid`, `admin_credential_expired`)',
  ),
  '429': {
    ...problemResponse('Over the rate limit of the credential or address (`rate_limited`)'),
    headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
  },
};

/**
 * One admin operation: tag, the `adminBearer` scheme, the roles allowed (`x-yrdx-roles`, also in
 * the description, derived from the permission the route requires) and the gate's refusals.
 */
function operation(
  permission: Permission | 'any',
  op: {
    readonly operationId: string;
    readonly summary: string;
    readonly description?: string;
    readonly parameters?: readonly unknown[];
    readonly requestBody?: unknown;
    readonly responses: Readonly<Record<string, unknown>>;
  },
): Record<string, unknown> {
  const roles = rolesFor(permission);
  const allowed =
    permission === 'any'
      ? 'Roles: every role.'
      : `Roles: ${roles.join(', ')} (permission \`${permission}\`).`;
  return {
    tags: ['admin'],
    operationId: op.operationId,
    summary: op.summary,
    description: op.description === undefined ? allowed : `${op.description}\n\n${allowed}`,
    security: [{ adminBearer: [] }],
    'x-yrdx-roles': roles,
    ...(permission === 'any' ? {} : { 'x-yrdx-permission': permission }),
    parameters: [...(op.parameters ?? []), REQUEST_ID_HEADER],
    ...(op.requestBody === undefined ? {} : { requestBody: op.requestBody }),
    responses: {
      ...op.responses,
      ...GATE_RESPONSES,
      ...(permission === 'any'
        ? {}
        : { '403': problemResponse('The credential’s role may not do this (`admin_forbidden`)') }),
    },
  };
}

const pathParam = (name: string, description: string, schema: unknown = { type: 'string' }) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});
const query = (name: string, description: string, schema: unknown = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const limit = query('limit', 'At most this many, newest first', {
  type: 'integer',
  minimum: 1,
  maximum: 1000,
  default: 100,
});
const domainParam = pathParam('domain', 'The contract’s domain', { enum: [...DOMAINS] });
const versionParam = pathParam('version', 'The contract version', {
  type: 'string',
  pattern: '^\\d+\\.\\d+\\.\\d+$',
});
const partnerParam = pathParam('id', 'The partner’s node id', { type: 'string', pattern: '^[0-9]{6}$' });
const jsonBody = (schema: unknown) => ({ required: true, content: { 'application/json': { schema } } });
const unsupported = problemResponse(
  'Not available on this node (`admin_unsupported`): no exchange, or no contract lifecycle',
);
const partnerInvalid = problemResponse(
  'The registration is invalid (`request_invalid`), or a URL’s host is not public (`outbound_address_refused`)',
);
const bodyFaults = {
  '400': problemResponse('Not JSON (`body_invalid`), too deep (`body_too_deep`) or NUL (`text_invalid`)'),
  '413': problemResponse('The body is too large (`body_too_large`)'),
  '415': problemResponse('Not application/json (`unsupported_media_type`)'),
};
const contractNotFound = problemResponse('No such contract version (`contract_not_found`)');
const partnerNotFound = problemResponse('No such partner (`partner_not_found`)');

const SCHEMAS = {
  AdminMe: {
    type: 'object',
    required: ['id', 'role', 'notAfter'],
    properties: {
      id: { type: 'string' },
      role: { enum: ROLE_ORDER },
      notAfter: { ...nullableTime, description: 'When the credential stops being accepted; null: never' },
    },
  },
  ContractVersion: {
    type: 'object',
    required: ['domain', 'version', 'status', 'title', 'messageTypes', 'dialects', 'translation'],
    properties: {
      domain: { enum: [...DOMAINS] },
      version: { type: 'string' },
      status: { enum: ['staged', 'active', 'deprecated'] },
      title: { type: 'string' },
      messageTypes: { type: 'array', items: { enum: [...MESSAGE_TYPES] } },
      dialects: { type: 'array', items: { type: 'string' } },
      translation: {
        enum: ['built', 'mixed', 'engine'],
        description:
          'built: the version translates in the ahead-of-time code `yrdx contracts build` wrote; engine: in the translation engine (a build that is not current), the same translations, slower; mixed: a version uploaded through this API whose unchanged runs of rules use the code built for another version, the others the engine',
      },
    },
  },
  ContractUpload: {
    type: 'object',
    description:
      'The files of one contract version: `contract.json`, `canonical.schema.json`, and per dialect its schema, mapping and examples (see docs/contracts.md).',
    required: ['contract', 'canonical', 'dialects'],
    properties: {
      contract: {
        type: 'object',
        required: ['domain', 'version'],
        properties: { domain: { enum: [...DOMAINS] }, version: { type: 'string' } },
      },
      canonical: { type: 'object', description: 'The canonical JSON Schema' },
      dialects: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          required: ['schema', 'mapping'],
          properties: {
            schema: { type: 'object' },
            mapping: { type: 'object' },
            examples: { type: 'object', additionalProperties: { type: 'object' } },
          },
        },
      },
    },
  },
  TranslationRequest: {
    type: 'object',
    required: ['from', 'to', 'document'],
    properties: {
      from: { type: 'string', description: 'A dialect name, or `canonical`' },
      to: { type: 'string', description: 'A dialect name, or `canonical`' },
      type: { enum: [...MESSAGE_TYPES] },
      document: { description: 'The document to translate' },
    },
  },
  TranslationResult: {
    type: 'object',
    required: ['contract', 'from', 'to', 'document'],
    properties: {
      contract: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      document: { description: 'The translated document' },
    },
  },
  PartnerRegistration: {
    ...nodeConfigSchema.properties.partners.items,
    description:
      'A partner, with the members of a `partners` entry of the configuration file. Keys inline (`jwks`) or from a pinned `jwksUrl`; `jwksFile` is refused here. On `PUT`, `id` may be left out (it is the path’s).',
  },
  Partner: {
    type: 'object',
    required: ['id', 'name', 'baseUrl', 'status', 'maySend', 'subscribes', 'keys', 'pins', 'runtime'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      baseUrl: { type: 'string' },
      status: { enum: ['active', 'suspended'] },
      maySend: nodeConfigSchema.properties.partners.items.properties.maySend,
      subscribes: { type: 'array', items: { enum: [...DOMAINS] } },
      keys: { type: 'array', items: { type: 'string' }, description: 'Key ids usable now' },
      pins: { type: 'array', items: { type: 'object' } },
      jwksUrl: { type: 'string' },
      runtime: {
        type: 'boolean',
        description: 'Registered or changed through this API (takes precedence over the configuration file)',
      },
    },
  },
  PartnerChange: {
    type: 'object',
    required: ['partner', 'warnings'],
    properties: {
      partner: ref('Partner'),
      warnings: {
        type: 'array',
        items: { type: 'string' },
        description: 'e.g. a JWKS URL that could not be fetched yet',
      },
    },
  },
  PartnerHealth: {
    type: 'object',
    properties: {
      partner: { type: 'string' },
      status: { enum: ['active', 'suspended'] },
      lastSuccessAt: nullableTime,
      delivered: { type: 'integer' },
      failed: { type: 'integer' },
      errorRate: { type: ['number', 'null'] },
      circuit: { enum: ['open', 'closed'] },
      queueDepth: { type: 'integer' },
      deadLetters: { type: 'integer' },
    },
  },
  NodeKey: {
    type: 'object',
    description: 'Public facts about one of this node’s keys; never key material.',
    required: ['kid', 'alg', 'state', 'thumbprint', 'createdAt'],
    properties: {
      kid: { type: 'string' },
      alg: { enum: ['ES256', 'EdDSA', 'PS256'] },
      state: { enum: ['next', 'active', 'retired'] },
      thumbprint: { type: 'string', description: 'RFC 7638 SHA-256 thumbprint' },
      createdAt: time,
      activatedAt: time,
      retiredAt: time,
      notAfter: { ...time, description: 'When the key’s lifetime ends; absent: no end set' },
      publishedUntil: { type: 'integer', description: 'Unix seconds (retired keys)' },
    },
  },
  KeyRotation: {
    type: 'object',
    required: ['activated', 'retired', 'created', 'dropped', 'keys'],
    properties: {
      activated: { type: 'string', description: 'The kid now active (the former next key)' },
      retired: { type: 'string' },
      created: { type: 'string', description: 'The new next key: give partners its thumbprint' },
      dropped: { type: 'array', items: { type: 'string' } },
      keys: { type: 'array', items: ref('NodeKey') },
    },
  },
  MessageSummary: {
    type: 'object',
    required: ['direction', 'messageId', 'partners', 'type', 'domain', 'contract', 'thread', 'at'],
    properties: {
      direction: { enum: ['outbound', 'inbound'] },
      messageId: { type: 'string' },
      partners: { type: 'array', items: { type: 'string' } },
      localSystem: { type: 'string' },
      type: { enum: [...MESSAGE_TYPES] },
      domain: { enum: [...DOMAINS] },
      contract: { type: 'string' },
      thread: { type: 'string' },
      caseNumber: { type: 'string' },
      at: time,
    },
  },
  MessageDetail: {
    type: 'object',
    required: ['id', 'inbound'],
    properties: {
      id: { type: 'string' },
      outbound: {
        type: 'object',
        description: 'As sent: deliveries to each partner, receipts and history',
      },
      inbound: {
        type: 'array',
        items: { type: 'object' },
        description: 'As received from each sender, with the deliveries to local systems',
      },
    },
  },
  Thread: {
    type: 'object',
    properties: {
      threadId: { type: 'string' },
      partner: { type: 'string' },
      direction: { enum: ['outbound', 'inbound'] },
      type: { enum: [...MESSAGE_TYPES] },
      domain: { enum: [...DOMAINS] },
      status: { enum: ['open', 'closed'] },
      openedAt: time,
      dueAt: time,
      closedAt: time,
      requestId: { type: 'string' },
      replyId: { type: 'string' },
    },
  },
  ThreadSummary: {
    type: 'object',
    required: ['partner', 'open', 'overdue'],
    properties: { partner: { type: 'string' }, open: { type: 'integer' }, overdue: { type: 'integer' } },
  },
  DeadLetter: {
    type: 'object',
    properties: {
      kind: { enum: ['partner', 'local'] },
      deliveryId: { type: 'string' },
      messageId: { type: 'string' },
      partner: { type: 'string' },
      localSystem: { type: 'string' },
      type: { enum: [...MESSAGE_TYPES] },
      domain: { enum: [...DOMAINS] },
      attempts: { type: 'integer' },
      lastError: { type: 'string' },
      at: time,
    },
  },
} as const;

const contractPaths: Record<string, PathItem> = {
  '/admin/v1/contracts': {
    get: operation('ops:read', {
      operationId: 'adminListContracts',
      summary: 'Every contract version with its status',
      responses: { '200': json(items('ContractVersion'), 'The versions'), '501': unsupported },
    }),
    post: operation('contracts:write', {
      operationId: 'adminUploadContract',
      summary: 'Upload a new contract version (published as staged)',
      description:
        'Checked as at boot (schemas compile, mapping checks, examples round-trip) and against the newest earlier release of its major. Refused with every fault at once.',
      requestBody: jsonBody(ref('ContractUpload')),
      responses: {
        '201': {
          ...json(ref('ContractVersion'), 'Published as staged'),
          headers: { Location: { schema: { type: 'string' } } },
        },
        ...bodyFaults,
        '409': problemResponse(
          'The version exists (`contract_version_exists`), or breaks compatibility with the previous release of its major (`contract_incompatible`)',
        ),
        '422': problemResponse(
          'A name, depth, size or pattern is outside the limits, nothing written (`contract_files_refused`), the files fail their checks (`contract_upload_invalid`) or are malformed (`request_invalid`)',
        ),
        '501': problemResponse('Contract schemas cannot be compiled on this runtime (`admin_unsupported`)'),
      },
    }),
  },
  '/admin/v1/contracts/{domain}/{version}': {
    get: operation('ops:read', {
      operationId: 'adminGetContract',
      summary: 'One contract version',
      parameters: [domainParam, versionParam],
      responses: {
        '200': json(ref('ContractVersion'), 'The version'),
        '404': contractNotFound,
        '501': unsupported,
      },
    }),
  },
  '/admin/v1/contracts/{domain}/{version}/translate': {
    post: operation('ops:read', {
      operationId: 'adminTranslate',
      summary: 'Dry-run a translation with a contract version, staged or not; nothing is sent',
      parameters: [domainParam, versionParam],
      requestBody: jsonBody(ref('TranslationRequest')),
      responses: {
        '200': json(ref('TranslationResult'), 'The translated document'),
        ...bodyFaults,
        '404': contractNotFound,
        '422': problemResponse(
          'The document does not fit (`document_invalid`, a pointer per fault), an unknown dialect or type (`contract_unknown`), or an invalid request (`request_invalid`)',
        ),
        '501': unsupported,
      },
    }),
  },
  '/admin/v1/contracts/{domain}/{version}/activate': {
    post: operation('contracts:write', {
      operationId: 'adminActivateContract',
      summary: 'Make a staged (or deprecated) version active, at once',
      parameters: [domainParam, versionParam],
      responses: {
        '200': json(ref('ContractVersion'), 'Now active'),
        '404': contractNotFound,
        '409': problemResponse('Already active (`contract_state_conflict`)'),
        '501': unsupported,
      },
    }),
  },
  '/admin/v1/contracts/{domain}/{version}/deprecate': {
    post: operation('contracts:write', {
      operationId: 'adminDeprecateContract',
      summary: 'Deprecate an active version: still read, no longer sent nor announced',
      parameters: [domainParam, versionParam],
      responses: {
        '200': json(ref('ContractVersion'), 'Now deprecated'),
        '404': contractNotFound,
        '409': problemResponse(
          'Not active (`contract_state_conflict`), or the last active version of its domain (`contract_last_active`)',
        ),
        '501': unsupported,
      },
    }),
  },
};

const partnerPaths: Record<string, PathItem> = {
  '/admin/v1/partners': {
    get: operation('ops:read', {
      operationId: 'adminListPartners',
      summary: 'Registered partners, their status, key ids and pins',
      responses: { '200': json(items('Partner'), 'The partners') },
    }),
    post: operation('partners:write', {
      operationId: 'adminRegisterPartner',
      summary: 'Register a partner; in effect at once, and kept across restarts',
      requestBody: jsonBody(ref('PartnerRegistration')),
      responses: {
        '201': {
          ...json(ref('PartnerChange'), 'Registered'),
          headers: { Location: { schema: { type: 'string' } } },
        },
        ...bodyFaults,
        '409': problemResponse('A partner with this id exists (`partner_exists`): use PUT'),
        '422': partnerInvalid,
      },
    }),
  },
  '/admin/v1/partners/{id}': {
    get: operation('ops:read', {
      operationId: 'adminGetPartner',
      summary: 'One partner',
      parameters: [partnerParam],
      responses: { '200': json(ref('Partner'), 'The partner'), '404': partnerNotFound },
    }),
    put: operation('partners:write', {
      operationId: 'adminUpdatePartner',
      summary: 'Replace a partner’s registration',
      parameters: [partnerParam],
      requestBody: jsonBody(ref('PartnerRegistration')),
      responses: {
        '200': json(ref('PartnerChange'), 'Replaced'),
        ...bodyFaults,
        '404': partnerNotFound,
        '422': partnerInvalid,
      },
    }),
  },
  '/admin/v1/partners/{id}/suspend': {
    post: operation('partners:suspend', {
      operationId: 'adminSuspendPartner',
      summary: 'Stop exchanging with a partner: its messages are refused, deliveries to it stop',
      parameters: [partnerParam],
      responses: { '200': json(ref('Partner'), 'Suspended'), '404': partnerNotFound },
    }),
  },
  '/admin/v1/partners/{id}/resume': {
    post: operation('partners:write', {
      operationId: 'adminResumePartner',
      summary: 'Resume a suspended partner',
      parameters: [partnerParam],
      responses: { '200': json(ref('Partner'), 'Active again'), '404': partnerNotFound },
    }),
  },
  '/admin/v1/partners/{id}/health': {
    get: operation('ops:read', {
      operationId: 'adminPartnerHealth',
      summary: 'One partner’s delivery health over the last hour',
      parameters: [partnerParam],
      responses: { '200': json(ref('PartnerHealth'), 'The health'), '404': partnerNotFound },
    }),
  },
  '/admin/v1/health/partners': {
    get: operation('ops:read', {
      operationId: 'adminPartnersHealth',
      summary: 'Delivery health of every partner over the last hour',
      responses: {
        '200': json(
          {
            type: 'object',
            required: ['window', 'items'],
            properties: { window: { const: 'PT1H' }, items: { type: 'array', items: ref('PartnerHealth') } },
          },
          'The health of each partner',
        ),
      },
    }),
  },
};

const keyPaths: Record<string, PathItem> = {
  '/admin/v1/keys': {
    get: operation('ops:read', {
      operationId: 'adminListKeys',
      summary: 'This node’s keys: kid, state, thumbprint and dates; never key material',
      responses: { '200': json(items('NodeKey'), 'The keys') },
    }),
  },
  '/admin/v1/keys/rotate': {
    post: operation('keys:rotate', {
      operationId: 'adminRotateKeys',
      summary: 'Rotate: next → active, active → retired, a new next key',
      description: 'The new active key signs from the next message; the new next key is published at once.',
      parameters: [
        query('force', 'Rotate even if the next key is younger than `rotation.minNextAgeSeconds`', {
          enum: ['true', 'false'],
        }),
      ],
      responses: {
        '200': json(ref('KeyRotation'), 'Rotated'),
        '409': problemResponse(
          'Refused (`key_rotation_refused`): the next key is too young, or the keys are managed outside yrdx',
        ),
        '503': problemResponse('The keys cannot be read (`keys_unavailable`)'),
      },
    }),
  },
};

const messageNotFound = problemResponse('No such message (`message_not_found`)');

const messagePaths: Record<string, PathItem> = {
  '/admin/v1/messages': {
    get: operation('messages:read', {
      operationId: 'adminSearchMessages',
      summary: 'Search messages sent and received; filters combine with AND, newest first',
      parameters: [
        query('id', 'The message id'),
        query('direction', 'Sent or received', { enum: ['outbound', 'inbound'] }),
        query('partner', 'A recipient of a message sent, or the sender of a message received', {
          type: 'string',
          pattern: '^[0-9]{6}$',
        }),
        query('domain', 'The domain', { enum: [...DOMAINS] }),
        query('type', 'The message type', { enum: [...MESSAGE_TYPES] }),
        query('thread', 'The cooperation thread'),
        query('caseNumber', 'The case number (`/case/caseNumber` of the canonical body)'),
        query('from', 'Created or received at or after (ISO 8601)', time),
        query('to', 'Created or received before (ISO 8601)', time),
        limit,
      ],
      responses: {
        '200': json(items('MessageSummary'), 'The messages found'),
        '422': problemResponse('A filter is invalid (`request_invalid`)'),
        '501': unsupported,
      },
    }),
  },
  '/admin/v1/messages/{id}': {
    get: operation('messages:read', {
      operationId: 'adminGetMessage',
      summary: 'One message: deliveries, receipts and history, or its local deliveries',
      parameters: [pathParam('id', 'The message id')],
      responses: {
        '200': json(ref('MessageDetail'), 'The message'),
        '404': messageNotFound,
        '501': unsupported,
      },
    }),
  },
  '/admin/v1/threads': {
    get: operation('messages:read', {
      operationId: 'adminListThreads',
      summary: 'Cooperation threads',
      parameters: [
        query('status', 'Open or closed', { enum: ['open', 'closed'] }),
        query('partner', 'The partner', { type: 'string', pattern: '^[0-9]{6}$' }),
        query('overdue', 'Only threads past their due time', { enum: ['true', 'false'] }),
        limit,
      ],
      responses: {
        '200': json(items('Thread'), 'The threads'),
        '422': problemResponse('A filter is invalid (`request_invalid`)'),
        '501': unsupported,
      },
    }),
  },
  '/admin/v1/threads/summary': {
    get: operation('messages:read', {
      operationId: 'adminThreadSummary',
      summary: 'Open and overdue threads per partner',
      responses: { '200': json(items('ThreadSummary'), 'Per partner'), '501': unsupported },
    }),
  },
  '/admin/v1/threads/{id}': {
    get: operation('messages:read', {
      operationId: 'adminGetThread',
      summary: 'One thread',
      parameters: [pathParam('id', 'The thread id')],
      responses: {
        '200': json(ref('Thread'), 'The thread'),
        '404': problemResponse('No such thread (`not_found`)'),
        '501': unsupported,
      },
    }),
  },
  '/admin/v1/dead-letters': {
    get: operation('ops:read', {
      operationId: 'adminListDeadLetters',
      summary: 'Dead deliveries to partners and to local systems',
      parameters: [query('partner', 'The partner', { type: 'string', pattern: '^[0-9]{6}$' }), limit],
      responses: {
        '200': json(items('DeadLetter'), 'The dead letters'),
        '422': problemResponse('A filter is invalid (`request_invalid`)'),
        '501': unsupported,
      },
    }),
  },
  '/admin/v1/dead-letters/{kind}/{id}/requeue': {
    post: operation('deliveries:requeue', {
      operationId: 'adminRequeue',
      summary: 'Put a dead delivery back in the queue',
      parameters: [
        pathParam('kind', 'To a partner, or to a local system', { enum: ['partner', 'local'] }),
        pathParam('id', 'The delivery id'),
      ],
      responses: {
        '200': json(
          {
            type: 'object',
            required: ['requeued', 'kind'],
            properties: { requeued: { type: 'string' }, kind: { enum: ['partner', 'local'] } },
          },
          'Requeued',
        ),
        '409': problemResponse('The delivery is not dead (`delivery_not_dead`)'),
        '422': problemResponse('An unknown kind (`request_invalid`)'),
        '501': unsupported,
      },
    }),
  },
};

/** `/admin/v1`: described only on a node where the admin API is on (credentials configured). */
export const adminPaths: PathContributor = (context) => {
  if (!context.admin) return undefined;
  return {
    tag: {
      name: 'admin',
      description:
        'The admin API: contract versions, partners, keys, messages, threads and dead letters. Every request is authenticated (`adminBearer`), rate-limited and recorded in the audit log; each operation lists the roles allowed (`x-yrdx-roles`). Every answer, refusals included, carries `Cache-Control: no-store`.',
    },
    schemas: SCHEMAS,
    paths: {
      '/admin/v1/me': {
        get: operation('any', {
          operationId: 'adminMe',
          summary: 'The caller’s credential id, role and expiry',
          responses: { '200': json(ref('AdminMe'), 'The credential') },
        }),
      },
      ...contractPaths,
      ...partnerPaths,
      ...keyPaths,
      ...messagePaths,
    },
  };
};
