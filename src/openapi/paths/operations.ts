import { problemResponse } from '../components.js';
import type { PathContributor } from '../types.js';

/** `/healthz`, `/readyz`, `/metrics`, and this document with its browsable page. */
export const operationsPaths: PathContributor = (context) => ({
  tag: { name: 'operations', description: 'Health, readiness, metrics and this API description.' },
  schemas: {
    Readiness: {
      type: 'object',
      required: ['status', 'checks'],
      properties: {
        status: { const: 'ready' },
        checks: {
          type: 'object',
          description: 'One member per component checked (`store`, `keys`, `contracts`): `ok` or why not.',
          additionalProperties: { type: 'string' },
        },
      },
    },
  },
  paths: {
    '/healthz': {
      get: {
        tags: ['operations'],
        operationId: 'health',
        summary: 'Liveness: the process answers',
        responses: {
          '200': {
            description: 'Always, while the process runs',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { status: { const: 'ok' } }, required: ['status'] },
              },
            },
          },
        },
      },
    },
    '/readyz': {
      get: {
        tags: ['operations'],
        operationId: 'readiness',
        summary: 'Readiness: store reachable, active signing key loaded, contracts loaded',
        responses: {
          '200': {
            description: 'Ready to take traffic',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Readiness' } } },
          },
          '503': problemResponse('Not ready (`not_ready`); `errors` names each component that is not'),
        },
      },
    },
    ...(context.metrics
      ? {
          '/metrics': {
            get: {
              tags: ['operations'],
              operationId: 'metrics',
              summary: 'Prometheus metrics (text exposition format 0.0.4); see docs/operations.md',
              responses: {
                '200': {
                  description: 'Counters, gauges and histograms of this node',
                  content: { 'text/plain; version=0.0.4': { schema: { type: 'string' } } },
                },
              },
            },
          },
        }
      : {}),
    '/openapi.json': {
      get: {
        tags: ['operations'],
        operationId: 'openapi',
        summary: 'This OpenAPI 3.1 document',
        responses: {
          '200': {
            description: 'The document',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
    },
    '/docs': {
      get: {
        tags: ['operations'],
        operationId: 'docs',
        summary: 'This document as a self-contained HTML page',
        responses: {
          '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } },
        },
      },
    },
  },
});
