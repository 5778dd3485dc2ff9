import type { PathContributor } from '../types.js';
import { contractPaths } from './admin/contracts.js';
import { keyPaths } from './admin/keys.js';
import { messagePaths } from './admin/messages.js';
import { json, operation, ref } from './admin/operation.js';
import { partnerPaths } from './admin/partners.js';
import { SCHEMAS } from './admin/schemas.js';

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
