import { problemResponse } from '../../components.js';
import { DOMAIN_NAME } from '../../names.js';
import type { PathItem } from '../../types.js';
import { bodyFaults, items, json, jsonBody, operation, pathParam, ref, unsupported } from './operation.js';

const domainParam = pathParam('domain', 'The contract’s domain', DOMAIN_NAME);
const versionParam = pathParam('version', 'The contract version', {
  type: 'string',
  pattern: '^\\d+\\.\\d+\\.\\d+$',
});
const contractNotFound = problemResponse('No such contract version (`contract_not_found`)');

/** `/admin/v1/contracts`: list, upload, dry-run translation, activate and deprecate. */
export const contractPaths: Record<string, PathItem> = {
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
