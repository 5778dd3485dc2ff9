// The case-file members of a node configuration (issue 20; docs/attachments.md), apart from schema.ts
// to keep each file short.

const count = (min: number, max: number) => ({ type: 'integer', minimum: min, maximum: max }) as const;

/** Limits, allowed formats, where the bytes are kept, and the transfer between nodes. */
export const attachments = {
  type: 'object',
  additionalProperties: false,
  description:
    'case files (attachments): limits, allowed formats, where the bytes are kept, and the transfer between nodes',
  properties: {
    maxFileBytes: {
      type: 'integer',
      minimum: 1,
      maximum: 1099511627776,
      description: 'largest attachment, in bytes (default 536870912: 512 MiB)',
    },
    maxMessageBytes: {
      type: 'integer',
      minimum: 1,
      maximum: 1099511627776,
      description: 'largest sum of the attachments of one message, in bytes (default 2147483648: 2 GiB)',
    },
    mediaTypes: {
      type: 'array',
      minItems: 1,
      maxItems: 64,
      uniqueItems: true,
      items: { type: 'string', maxLength: 127, pattern: '^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$' },
      description:
        'media types accepted as attachments, read from the content (default: PDF, OFD, JPEG, PNG, TIFF, MP4, DOCX, XLSX, ZIP)',
    },
    uploadExpiryHours: count(1, 720),
    maxOpenUploads: {
      ...count(1, 10_000),
      description:
        'unfinished uploads one local system may have open at once (default 32); its uploads not yet sent, finished or not, may declare at most 2 × maxMessageBytes together',
    },
    dir: {
      type: 'string',
      minLength: 1,
      maxLength: 1024,
      description:
        'the folder of the attachment bytes on Node (default: "files" in dataDir); several instances over PostgreSQL share one folder (e.g. NFS)',
    },
    grantSeconds: count(10, 300),
    transferConcurrency: count(1, 16),
    stallTimeoutMs: count(1000, 600_000),
  },
} as const;
