import type { PathContributor } from '../types.js';

const cacheable = {
  '304': { description: 'Not modified (`If-None-Match` matched the ETag)' },
};

/** `/.well-known/jwks.json` and `/.well-known/yrdx-node`: what partners need to trust this node. */
export const wellKnownPaths: PathContributor = () => ({
  tag: { name: 'well-known', description: 'Public documents of this node, for partners.' },
  paths: {
    '/.well-known/jwks.json': {
      get: {
        tags: ['well-known'],
        operationId: 'jwks',
        summary: 'The public keys of this node (next, active, and retired keys still published)',
        responses: {
          '200': {
            description: 'A JWKS',
            headers: { ETag: { schema: { type: 'string' } } },
            content: {
              'application/jwk-set+json': {
                schema: {
                  type: 'object',
                  required: ['keys'],
                  properties: { keys: { type: 'array', items: { type: 'object' } } },
                },
              },
            },
          },
          ...cacheable,
        },
      },
    },
    '/.well-known/yrdx-node': {
      get: {
        tags: ['well-known'],
        operationId: 'nodeDocument',
        summary: 'This node: id, name, domains, accepted contracts, algorithms, keys and endpoints',
        responses: {
          '200': {
            description: 'The node document',
            headers: { ETag: { schema: { type: 'string' } } },
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          ...cacheable,
        },
      },
    },
  },
});
