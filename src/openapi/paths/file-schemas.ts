const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const list = (item: string, description: string) => ({ type: 'array', description, items: ref(item) });

/** The component schemas of case files, for the exchange's routes (src/openapi/paths/files.ts). */
export const FILE_SCHEMAS: Readonly<Record<string, unknown>> = {
  AttachmentRef: {
    type: 'object',
    required: ['upload'],
    additionalProperties: false,
    properties: {
      upload: { type: 'string', description: 'The id of a finished upload of this local system' },
    },
  },
  FileClaim: {
    type: 'object',
    required: ['index', 'name', 'mediaType', 'size'],
    description: 'A file as the sender signed it; exactly one of sha256 and sm3',
    properties: {
      index: { type: 'integer', minimum: 0 },
      name: { type: 'string' },
      mediaType: { type: 'string' },
      size: { type: 'integer', minimum: 0 },
      sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      sm3: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    },
  },
  RecipientFiles: {
    type: 'object',
    required: ['recipient', 'status'],
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
      receipt: { type: 'object', properties: { sha256: { type: 'string' }, token: { type: 'string' } } },
    },
  },
  DeliveredFile: {
    allOf: [
      ref('FileClaim'),
      {
        type: 'object',
        required: ['href'],
        properties: { href: { type: 'string', description: 'Where this local system downloads it' } },
      },
    ],
  },
  DeliveredFiles: {
    type: 'object',
    required: ['messageId', 'sender', 'attachments'],
    properties: {
      messageId: { type: 'string' },
      sender: { type: 'string' },
      attachments: { type: 'array', items: ref('DeliveredFile') },
    },
  },
  SubmitAttachments: list(
    'AttachmentRef',
    'Case files: finished uploads of this local system (tus, /v1/uploads), signed into the message by name, type, size and digest',
  ),
  SignedFiles: list('FileClaim', 'The message’s files, as signed'),
  FilesReceipts: list(
    'RecipientFiles',
    'Per recipient, what its signed files receipt says (`pending` until one came)',
  ),
  DeliveredFileList: list(
    'DeliveredFile',
    'The message’s files, each arrived and checked, with where to download it',
  ),
};
