import { problemResponse, REQUEST_ID_HEADER, TRACEPARENT_HEADER } from '../components.js';
import { activeContracts, dialectSchemaName, dialectSchemas, submissionExamples } from '../dialects.js';
import { DOMAIN_NAME, TYPE_NAME } from '../names.js';
import type { OpenApiContext, PathContributor } from '../types.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const localSecurity = [{ localSystem: [] }];
const unauthorised = problemResponse(
  'The API key is missing or not accepted (`auth_required`, `auth_invalid`)',
);
/** A 429 refusal (`rate_limited`, configuration `rateLimits`) with Retry-After. */
const rateLimited = (whose: string) => ({
  ...problemResponse(`Over the rate limit ${whose} (\`rate_limited\`)`),
  headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
});
const localLimited = rateLimited('of the local system, or of the address without a valid API key');

/** The body in a local system's dialect: one of the active contracts' dialect schemas in use here. */
function dialectBody(context: OpenApiContext) {
  const used = new Set(context.config.localSystems.map((s) => s.dialect));
  const refs = activeContracts(context).flatMap((c) =>
    [...c.dialects.keys()].filter((d) => used.has(d)).map((d) => ref(dialectSchemaName(c, d))),
  );
  return refs.length === 0
    ? { type: 'object', description: 'The message body in the local system’s dialect' }
    : {
        description:
          'The message body in the dialect of the local system that sends (or receives) it, under the active contract of its domain',
        oneOf: refs,
      };
}

/** `/v1/messages` for local systems, `/v1/inbox` for partner nodes, `/v1/inbox/messages` for pulling. */
export const exchangePaths: PathContributor = (context) => {
  if (context.contracts === undefined) return undefined;
  return {
    tag: {
      name: 'exchange',
      description:
        'Sending to partner nodes (local systems, API key), receiving from them (signed JWS), and pulling received messages.',
    },
    schemas: {
      ...dialectSchemas(context),
      DialectBody: dialectBody(context),
      SubmitRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['domain', 'type', 'body'],
        properties: {
          to: {
            description:
              'Recipient node(s), 6-digit division codes; only a risk alert may leave it out (sent to every subscriber)',
            oneOf: [
              { type: 'string', pattern: '^\\d{6}$' },
              { type: 'array', minItems: 1, items: { type: 'string', pattern: '^\\d{6}$' } },
            ],
          },
          domain: DOMAIN_NAME,
          type: TYPE_NAME,
          body: ref('DialectBody'),
          thread: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' },
          inReplyTo: {
            type: 'string',
            pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$',
            description: 'Required for assistance-reply and consultation-reply',
          },
          attachments: ref('SubmitAttachments'),
        },
      },
      SubmitAccepted: {
        type: 'object',
        required: ['id', 'status', 'replayed', 'recipients', 'thread', 'links'],
        properties: {
          id: { type: 'string', description: 'Message id (ULID)' },
          status: {
            enum: ['queued', 'sending', 'retry', 'delivered', 'rejected', 'dead'],
            description:
              '`queued` for a new message; for a replay, the stored message’s current status (as GET /v1/messages/{id} reports it)',
          },
          replayed: {
            type: 'boolean',
            description: 'true when the Idempotency-Key was seen with the same body',
          },
          recipients: { type: 'array', items: { type: 'string' } },
          thread: { type: 'string' },
          links: { type: 'object', properties: { status: { type: 'string' } } },
        },
      },
      MessageStatus: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          type: { type: 'string' },
          domain: { type: 'string' },
          contract: { type: 'string' },
          thread: { type: 'string' },
          inReplyTo: { type: 'string' },
          status: { enum: ['queued', 'sending', 'retry', 'delivered', 'rejected', 'dead'] },
          createdAt: { type: 'string', format: 'date-time' },
          expiresAt: { type: 'string', format: 'date-time' },
          sha256: { type: 'string' },
          deliveries: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                receipt: {
                  type: 'object',
                  properties: {
                    losses: {
                      type: 'object',
                      description:
                        'As the recipient’s signed receipt says: per local system id there, the canonical pointers its dialect could not carry (at most 100 each)',
                      additionalProperties: { type: 'array', items: { type: 'string' } },
                    },
                    lossesOmitted: { type: 'object', additionalProperties: { type: 'integer' } },
                  },
                },
              },
            },
          },
          history: { type: 'array', items: { type: 'object' } },
          attachments: ref('SignedFiles'),
          files: ref('FilesReceipts'),
        },
      },
      PullPage: {
        type: 'object',
        required: ['items', 'cursor'],
        properties: {
          items: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                cursor: { type: 'string' },
                headers: {
                  type: 'object',
                  description: 'The X-Yrdx-* headers a pushed message would carry, and its traceparent',
                  additionalProperties: { type: 'string' },
                },
                messageId: { type: 'string' },
                sender: { type: 'string' },
                type: { type: 'string' },
                domain: { type: 'string' },
                thread: { type: 'string' },
                body: ref('DialectBody'),
                losses: ref('Losses'),
                lossesOmitted: {
                  type: 'integer',
                  minimum: 1,
                  description: 'How many further canonical values were lost beyond those listed',
                },
                links: {
                  type: 'object',
                  properties: {
                    canonical: { type: 'string', description: 'The whole canonical document of the message' },
                  },
                },
                attachments: ref('DeliveredFileList'),
              },
            },
          },
          cursor: { type: ['string', 'null'] },
        },
      },
      Losses: {
        type: 'array',
        maxItems: 100,
        items: { type: 'string', description: 'Canonical JSON pointer' },
        description:
          'What this local system’s dialect could not carry of the message: the canonical JSON pointers at which the body, read back, differs from the canonical document (a whole missing subtree once), at most 100. Empty when nothing was lost.',
      },
      CanonicalMessage: {
        type: 'object',
        required: ['messageId', 'sender', 'type', 'domain', 'contract', 'body', 'losses'],
        properties: {
          messageId: { type: 'string' },
          sender: { type: 'string' },
          type: { type: 'string' },
          domain: { type: 'string' },
          contract: { type: 'string' },
          body: { type: 'object', description: 'The canonical body, as the sender sealed it' },
          losses: ref('Losses'),
          lossesOmitted: { type: 'integer', minimum: 1 },
        },
      },
    },
    paths: {
      '/v1/messages': {
        post: {
          tags: ['exchange'],
          operationId: 'submitMessage',
          summary: 'Send a message to partner nodes, written in the local system’s dialect',
          description:
            'Translated to the canonical form of the domain’s active contract (both validated), sealed as a compact JWS and stored before 202 is answered; delivery follows with retries.',
          security: localSecurity,
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                'Same key and same body: the stored message (its id, thread, recipients and current status) is returned; another body: 409',
              schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,128}$' },
            },
            TRACEPARENT_HEADER,
            REQUEST_ID_HEADER,
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ref('SubmitRequest'), examples: submissionExamples(context) },
            },
          },
          responses: {
            '202': {
              description: 'Stored and queued for delivery',
              headers: { Location: { schema: { type: 'string' } } },
              content: { 'application/json': { schema: ref('SubmitAccepted') } },
            },
            '400': problemResponse(
              'The body is not JSON (`body_invalid`), nested too deeply (`body_too_deep`) or holds NUL or a lone surrogate (`text_invalid`)',
            ),
            '401': unauthorised,
            '429': localLimited,
            '403': problemResponse('The local system may not send this domain or type (`not_authorised`)'),
            '409': problemResponse(
              'The Idempotency-Key was used with another body (`idempotency_conflict`), or an upload is unfinished (`upload_incomplete`)',
            ),
            '404': problemResponse(
              'An attachment names no finished upload of this local system (`upload_not_found`)',
            ),
            '413': problemResponse(
              'The body is too large (`body_too_large`), or the files together are (`attachments_too_large`)',
            ),
            '415': problemResponse('Not application/json'),
            '422': problemResponse(
              'The body does not fit the contract, no contract or partner applies, or a reply goes to another partner than the counterpart of its thread (`reply_thread_mismatch`)',
            ),
          },
        },
      },
      '/v1/messages/{id}': {
        get: {
          tags: ['exchange'],
          operationId: 'getMessage',
          summary: 'The delivery status and history of a message this local system sent',
          security: localSecurity,
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            REQUEST_ID_HEADER,
          ],
          responses: {
            '200': {
              description: 'The message',
              content: { 'application/json': { schema: ref('MessageStatus') } },
            },
            '401': unauthorised,
            '429': localLimited,
            '404': problemResponse('No such message of this local system (`message_not_found`)'),
          },
        },
      },
      '/v1/inbox': {
        post: {
          tags: ['exchange'],
          operationId: 'receiveMessage',
          summary: 'A partner node delivers a signed message; answered with a signed receipt',
          description:
            'The body is a compact JWS signed with a key pinned for the sender; its payload carries the canonical body of a contract this node accepts. No HTTP credentials: the signature authenticates the sender.',
          security: [],
          parameters: [TRACEPARENT_HEADER, REQUEST_ID_HEADER],
          requestBody: {
            required: true,
            content: { 'application/jose': { schema: { type: 'string', description: 'Compact JWS' } } },
          },
          responses: {
            '200': {
              description: 'Accepted: the signed receipt (also for a retry of the same bytes)',
              content: {
                'application/jose': { schema: { type: 'string', description: 'Compact JWS receipt' } },
              },
            },
            '400': problemResponse(
              'The JWS or its claims are invalid, or a string of its payload holds NUL or a lone surrogate (`text_invalid`)',
            ),
            '401': problemResponse('The signature does not verify or the key is unknown'),
            '403': problemResponse('The sender may not send this domain or type'),
            '409': problemResponse('Other bytes under a message id already received (`jws_replayed`)'),
            '413': problemResponse('The token is too large'),
            '415': problemResponse('Not application/jose'),
            '422': problemResponse(
              'The body does not fit the contract, or the contract is not accepted (never for what a local system’s dialect cannot carry: that is accepted and named in the receipt’s `losses`)',
            ),
            '429': rateLimited('of the address, or of the partner once the signature verifies'),
          },
        },
      },
      '/v1/inbox/messages': {
        get: {
          tags: ['exchange'],
          operationId: 'pullMessages',
          summary: 'Received messages for a pull-mode local system, in its dialect, oldest first',
          security: localSecurity,
          parameters: [
            {
              name: 'after',
              in: 'query',
              required: false,
              description: 'A cursor from an earlier page',
              schema: { type: 'string' },
            },
            {
              name: 'limit',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            },
            REQUEST_ID_HEADER,
          ],
          responses: {
            '200': { description: 'A page', content: { 'application/json': { schema: ref('PullPage') } } },
            '400': problemResponse('The cursor is invalid (`pull_cursor_invalid`)'),
            '401': unauthorised,
            '429': localLimited,
          },
        },
      },
      '/v1/inbox/messages/{id}/canonical': {
        get: {
          tags: ['exchange'],
          operationId: 'getCanonicalMessage',
          summary: 'The canonical document of a message delivered to this local system (push or pull)',
          description:
            'Everything its dialect could not carry is here; the push headers `X-Yrdx-Losses` (count), `X-Yrdx-Lost` (JSON array of canonical pointers, ASCII, at most 4096 bytes) and `Link: <…/canonical>; rel="canonical"` and the pull items’ `losses` say what that is.',
          security: localSecurity,
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            REQUEST_ID_HEADER,
          ],
          responses: {
            '200': {
              description: 'The canonical message',
              content: { 'application/json': { schema: ref('CanonicalMessage') } },
            },
            '401': unauthorised,
            '429': localLimited,
            '404': problemResponse(
              'No such message for this local system, or its payload was removed after retention (`message_not_found`)',
            ),
          },
        },
      },
      '/v1/inbox/messages/ack': {
        post: {
          tags: ['exchange'],
          operationId: 'ackMessages',
          summary: 'Acknowledge every pulled message up to and including a cursor',
          security: localSecurity,
          parameters: [REQUEST_ID_HEADER],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['cursor'],
                  properties: { cursor: { type: 'string', maxLength: 64 } },
                },
              },
            },
          },
          responses: {
            '200': {
              description: 'How many were acknowledged',
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { acknowledged: { type: 'integer' } } },
                },
              },
            },
            '400': problemResponse('The cursor is invalid'),
            '401': unauthorised,
            '429': localLimited,
          },
        },
      },
    },
  };
};
