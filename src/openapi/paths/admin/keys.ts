import { problemResponse } from '../../components.js';
import type { PathItem } from '../../types.js';
import { items, json, operation, query, ref } from './operation.js';

/** `/admin/v1/keys`: this node's keys and their rotation. */
export const keyPaths: Record<string, PathItem> = {
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
