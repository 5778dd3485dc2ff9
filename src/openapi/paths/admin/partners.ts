import { problemResponse } from '../../components.js';
import type { PathItem } from '../../types.js';
import { bodyFaults, items, json, jsonBody, operation, pathParam, ref } from './operation.js';

const partnerParam = pathParam('id', 'The partner’s node id', { type: 'string', pattern: '^[0-9]{6}$' });
const partnerInvalid = problemResponse(
  'The registration is invalid (`request_invalid`), or a URL’s host is not public (`outbound_address_refused`)',
);
const partnerNotFound = problemResponse('No such partner (`partner_not_found`)');

/** `/admin/v1/partners` and the partners' health. */
export const partnerPaths: Record<string, PathItem> = {
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
