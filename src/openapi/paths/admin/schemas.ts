import { nodeConfigSchema } from '../../../config/schema.js';
import { DOMAIN_NAME, TYPE_NAME } from '../../names.js';
import { nullableTime, ROLE_ORDER, ref, time } from './operation.js';

/** The admin API's request and answer bodies, in the order the document lists them. */
export const SCHEMAS = {
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
      domain: DOMAIN_NAME,
      version: { type: 'string' },
      status: { enum: ['staged', 'active', 'deprecated'] },
      title: { type: 'string' },
      messageTypes: { type: 'array', items: TYPE_NAME },
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
        properties: { domain: DOMAIN_NAME, version: { type: 'string' } },
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
      type: TYPE_NAME,
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
      subscribes: { type: 'array', items: DOMAIN_NAME },
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
      type: TYPE_NAME,
      domain: DOMAIN_NAME,
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
        properties: {
          attachments: {
            type: 'array',
            description: 'The message’s case files as signed (absent without files)',
            items: { $ref: '#/components/schemas/AdminFile' },
          },
          filesReceipts: {
            type: 'array',
            description: 'Per recipient, what its signed files receipt says (`pending` until one came)',
            items: {
              type: 'object',
              required: ['recipient', 'status', 'files'],
              properties: {
                recipient: { type: 'string' },
                status: { enum: ['pending', 'arrived', 'refused'] },
                receivedAt: { type: 'string', format: 'date-time' },
                files: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      index: { type: 'integer' },
                      status: { enum: ['pending', 'arrived', 'refused'] },
                      reason: { type: 'string', description: 'The problem code that refused it' },
                    },
                  },
                },
                receipt: {
                  type: 'object',
                  properties: { sha256: { type: 'string' }, token: { type: 'string' } },
                },
              },
            },
          },
        },
      },
      inbound: {
        type: 'array',
        description: 'As received from each sender, with the deliveries to local systems',
        items: {
          type: 'object',
          properties: {
            attachments: {
              type: 'array',
              description: 'The message’s case files and how far each arrived (absent without files)',
              items: {
                allOf: [
                  { $ref: '#/components/schemas/AdminFile' },
                  {
                    type: 'object',
                    required: ['state', 'bytes', 'updatedAt'],
                    properties: {
                      state: { enum: ['pending', 'arrived', 'refused'] },
                      bytes: { type: 'integer', description: 'Bytes held so far' },
                      error: { type: 'string', description: 'The problem code that refused it' },
                      updatedAt: { type: 'string', format: 'date-time' },
                    },
                  },
                ],
              },
            },
            transfer: {
              type: 'object',
              description: 'The job that fetches the files from the sender',
              required: ['status', 'attempts', 'updatedAt', 'requeueable'],
              properties: {
                status: { enum: ['queued', 'sending', 'retry', 'done', 'dead'] },
                attempts: { type: 'integer' },
                nextAttemptAt: { type: 'string', format: 'date-time' },
                lastError: { type: 'string' },
                updatedAt: { type: 'string', format: 'date-time' },
                requeueable: {
                  type: 'boolean',
                  description: 'Dead, or finished with a refused file: POST …/attachments/requeue',
                },
              },
            },
          },
        },
      },
    },
  },
  AdminFile: {
    type: 'object',
    required: ['index', 'name', 'mediaType', 'size', 'digest'],
    description: 'A case file as signed: the kept digest, and the claim’s sha256 or sm3',
    properties: {
      index: { type: 'integer' },
      name: { type: 'string' },
      mediaType: { type: 'string' },
      size: { type: 'integer' },
      digest: { type: 'string', description: '64 hex (SHA-256) or `sm3:` and 64 hex' },
      sha256: { type: 'string' },
      sm3: { type: 'string' },
    },
  },
  Thread: {
    type: 'object',
    properties: {
      threadId: { type: 'string' },
      partner: { type: 'string' },
      direction: { enum: ['outbound', 'inbound'] },
      type: TYPE_NAME,
      domain: DOMAIN_NAME,
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
      type: TYPE_NAME,
      domain: DOMAIN_NAME,
      attempts: { type: 'integer' },
      lastError: { type: 'string' },
      at: time,
    },
  },
} as const;
