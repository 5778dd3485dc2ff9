import { problemResponse } from '../../components.js';
import { DOMAIN_NAME, TYPE_NAME } from '../../names.js';
import type { PathItem } from '../../types.js';
import { items, json, limit, operation, pathParam, query, ref, time, unsupported } from './operation.js';

const messageNotFound = problemResponse('No such message (`message_not_found`)');

/** `/admin/v1/messages`, threads and dead letters. */
export const messagePaths: Record<string, PathItem> = {
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
        query('domain', 'The domain', DOMAIN_NAME),
        query('type', 'The message type', TYPE_NAME),
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
  '/admin/v1/messages/{id}/attachments/{index}': {
    get: operation('files:download', {
      operationId: 'adminDownloadAttachment',
      summary: 'Download a case file this node holds: sent by it, or arrived from a partner',
      description:
        'Case files are evidence: administrators and auditors may download them, operators may not. Each download is written to the audit log with the credential, the file, the message and the range. Served as data: its media type, Content-Disposition attachment with the name as written (RFC 8187), nosniff.',
      parameters: [
        pathParam('id', 'The message id'),
        pathParam('index', 'The file’s position in the message’s attachments, from 0', {
          type: 'integer',
          minimum: 0,
          maximum: 999,
        }),
        {
          name: 'Range',
          in: 'header',
          required: false,
          description: 'One byte range, `bytes=a-b`, `bytes=a-` or `bytes=-n`',
          schema: { type: 'string' },
        },
      ],
      responses: {
        '200': {
          description: 'The whole file',
          content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
        },
        '206': {
          description: 'The range asked for (Content-Range)',
          content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
        },
        '404': problemResponse('No such message (`message_not_found`) or file (`attachment_not_found`)'),
        '409': problemResponse('The file has not arrived from the sender (`attachment_not_ready`)'),
        '416': problemResponse(
          'The range is outside the file or not a single range (`range_not_satisfiable`)',
        ),
        '501': unsupported,
        '503': problemResponse('This node keeps no case files (`attachments_unavailable`)'),
      },
    }),
  },
  '/admin/v1/messages/{id}/attachments/requeue': {
    post: operation('deliveries:requeue', {
      operationId: 'adminRequeueTransfer',
      summary: 'Fetch the files of a received message again, after the transfer died or refused a file',
      description:
        'Files that arrived are kept; refused ones are fetched afresh, and the local deliveries held for the message are released once all arrived. Fix the sender’s side first.',
      parameters: [
        pathParam('id', 'The message id'),
        query('sender', 'Only the transfer from this sender', { type: 'string', pattern: '^[0-9]{6}$' }),
      ],
      responses: {
        '200': json(
          {
            type: 'object',
            required: ['requeued', 'senders'],
            properties: {
              requeued: { type: 'string' },
              senders: { type: 'array', items: { type: 'string' } },
            },
          },
          'Requeued',
        ),
        '409': problemResponse(
          'No transfer of this message died or refused a file (`transfer_not_requeueable`)',
        ),
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
