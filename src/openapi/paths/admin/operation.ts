import { type Permission, ROLE_GRANTS } from '../../../admin/roles.js';
import { ADMIN_ROLES, type AdminRole } from '../../../vocabulary/roles.js';
import { problemResponse, REQUEST_ID_HEADER } from '../../components.js';

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: unknown, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
export const items = (name: string) => ({
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: ref(name) } },
});
export const time = { type: 'string', format: 'date-time' };
export const nullableTime = { type: ['string', 'null'], format: 'date-time' };

export const ROLE_ORDER: readonly AdminRole[] = ADMIN_ROLES;

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
export function operation(
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

export const pathParam = (name: string, description: string, schema: unknown = { type: 'string' }) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});
export const query = (name: string, description: string, schema: unknown = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
export const limit = query('limit', 'At most this many, newest first', {
  type: 'integer',
  minimum: 1,
  maximum: 1000,
  default: 100,
});
export const jsonBody = (schema: unknown) => ({
  required: true,
  content: { 'application/json': { schema } },
});
export const unsupported = problemResponse(
  'Not available on this node (`admin_unsupported`): no exchange, or no contract lifecycle',
);
export const bodyFaults = {
  '400': problemResponse('Not JSON (`body_invalid`), too deep (`body_too_deep`) or NUL (`text_invalid`)'),
  '413': problemResponse('The body is too large (`body_too_large`)'),
  '415': problemResponse('Not application/json (`unsupported_media_type`)'),
};
