import { problemResponse, REQUEST_ID_HEADER, TRACEPARENT_HEADER } from '../components.js';
import type { PathContributor } from '../types.js';
import { FILE_SCHEMAS } from './file-schemas.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const localSecurity = [{ localSystem: [] }];
const unauthorised = problemResponse(
  'The API key is missing or not accepted (`auth_required`, `auth_invalid`)',
);
const limited = (whose: string) => ({
  ...problemResponse(`Over the rate limit ${whose} (\`rate_limited\`)`),
  headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
});
const localLimited = limited('of the local system, or of the address without a valid API key');
const unavailable = problemResponse(
  'This node keeps no case files (`attachments_unavailable`): no files folder or R2 binding',
);
const header = (description: string, schema: unknown = { type: 'string' }) => ({ description, schema });
const digits = { type: 'string', pattern: '^[0-9]{1,15}$' };

const TUS_RESUMABLE = {
  name: 'Tus-Resumable',
  in: 'header',
  required: true,
  description: 'The tus version: 1.0.0 only',
  schema: { const: '1.0.0' },
};
const uploadId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The upload id (from Location)',
  schema: { type: 'string', pattern: '^up-[0-9A-Za-z]{1,64}$' },
};
const messageIdParam = (name: string) => ({
  name,
  in: 'path',
  required: true,
  description: 'The message id',
  schema: { type: 'string' },
});
const indexParam = {
  name: 'index',
  in: 'path',
  required: true,
  description: 'The file’s position in the message’s signed attachments claim, from 0',
  schema: { type: 'integer', minimum: 0, maximum: 999 },
};
const RANGE = {
  name: 'Range',
  in: 'header',
  required: false,
  description: 'One byte range, `bytes=a-b`, `bytes=a-` or `bytes=-n` (to resume a download)',
  schema: { type: 'string' },
};
const uploadState = {
  'Tus-Resumable': header('The tus version, 1.0.0'),
  'Upload-Offset': header('Bytes held durably', digits),
  'Upload-Length': header('The whole length', digits),
  'Upload-Expires': header('When an unfinished or unused upload is discarded (HTTP date)'),
};
/** A file served as data: its bytes, whole or one range. */
const fileBytes = (description: string, contentType: string) => ({
  description,
  headers: {
    'Content-Range': header('With 206: the bytes served, `bytes a-b/size`'),
    'Accept-Ranges': header('Byte ranges are accepted: `bytes`'),
    ETag: header('The file’s kept digest, quoted'),
    'X-Yrdx-Digest': header('The file’s kept digest: 64 hex (SHA-256) or `sm3:` and 64 hex'),
  },
  content: { [contentType]: { schema: { type: 'string', format: 'binary' } } },
});

/**
 * Case files (attachments): tus 1.0 uploads by local systems, the file a recipient node pulls from the
 * sender with a grant, the recipient's files receipt, and the downloads of a delivered message's files.
 */
export const filePaths: PathContributor = (context) => {
  if (context.contracts === undefined) return undefined;
  return {
    tag: {
      name: 'files',
      description:
        'Case files: tus 1.0 uploads by local systems, transfers between nodes (pulled by the recipient with a signed grant, resumable by range, checked against the signed digest), files receipts and downloads.',
    },
    schemas: FILE_SCHEMAS,
    paths: {
      '/v1/uploads': {
        options: {
          tags: ['files'],
          operationId: 'uploadOptions',
          summary: 'What the tus server supports',
          security: [],
          parameters: [REQUEST_ID_HEADER],
          responses: {
            '204': {
              description:
                'Tus-Version, Tus-Extension (creation, creation-with-upload, termination, expiration, checksum) and Tus-Max-Size',
              headers: {
                'Tus-Version': header('The tus version, 1.0.0'),
                'Tus-Extension': header('The extensions supported'),
                'Tus-Max-Size': header('The largest file accepted, bytes', digits),
              },
            },
          },
        },
        post: {
          tags: ['files'],
          operationId: 'createUpload',
          summary: 'Create an upload (tus 1.0 creation), optionally with its first bytes',
          description:
            'Upload-Metadata carries the file name (`filename`, required), the declared type (`filetype`) and the expected digest (`sha256` or `sm3`, the node’s algorithm), each Base64 UTF-8. The content is checked as it arrives: its format, read from the bytes, must be allowed and match the name and declared type. A finished upload is referenced in POST /v1/messages as `attachments: [{upload: id}]`.',
          security: localSecurity,
          parameters: [
            TUS_RESUMABLE,
            {
              name: 'Upload-Length',
              in: 'header',
              required: true,
              description: 'The whole length',
              schema: digits,
            },
            {
              name: 'Upload-Metadata',
              in: 'header',
              required: true,
              description: 'Comma-separated `key Base64(value)` pairs',
              schema: { type: 'string' },
            },
            REQUEST_ID_HEADER,
          ],
          requestBody: {
            required: false,
            content: { 'application/offset+octet-stream': { schema: { type: 'string', format: 'binary' } } },
          },
          responses: {
            '201': {
              description: 'Created; Location names the upload',
              headers: { Location: header('Where the upload is: `/v1/uploads/{id}`'), ...uploadState },
            },
            '400': problemResponse('A tus header is invalid (`upload_header_invalid`)'),
            '401': unauthorised,
            '412': problemResponse('Not tus 1.0.0 (`tus_version_unsupported`)'),
            '413': problemResponse('Over the size limit of one file (`attachment_too_large`)'),
            '415': problemResponse(
              'The content’s format is not allowed (`attachment_type_refused`) or differs from the name or declared type (`attachment_type_mismatch`)',
            ),
            '422': problemResponse(
              'The file name is not allowed (`attachment_name_invalid`), or the bytes differ from the expected digest (`attachment_digest_mismatch`)',
            ),
            '429': localLimited,
            '503': unavailable,
          },
        },
      },
      '/v1/uploads/{id}': {
        head: {
          tags: ['files'],
          operationId: 'uploadOffset',
          summary: 'How many bytes of an upload are held (to resume it)',
          security: localSecurity,
          parameters: [uploadId, TUS_RESUMABLE, REQUEST_ID_HEADER],
          responses: {
            '200': { description: 'The offset', headers: uploadState },
            '401': unauthorised,
            '404': problemResponse('No such upload of this local system (`upload_not_found`)'),
            '412': problemResponse('Not tus 1.0.0 (`tus_version_unsupported`)'),
            '429': localLimited,
          },
        },
        patch: {
          tags: ['files'],
          operationId: 'appendUpload',
          summary: 'Append bytes at the upload’s offset',
          description:
            'The bytes are kept durably before 204 is answered. When the last byte arrives the file is digested and checked; a refusal discards the upload.',
          security: localSecurity,
          parameters: [
            uploadId,
            TUS_RESUMABLE,
            {
              name: 'Upload-Offset',
              in: 'header',
              required: true,
              description: 'The offset the bytes start at: what HEAD answered',
              schema: digits,
            },
            {
              name: 'Upload-Checksum',
              in: 'header',
              required: false,
              description: 'A checksum of this request’s bytes (tus checksum extension)',
              schema: { type: 'string' },
            },
            REQUEST_ID_HEADER,
          ],
          requestBody: {
            required: true,
            content: { 'application/offset+octet-stream': { schema: { type: 'string', format: 'binary' } } },
          },
          responses: {
            '204': { description: 'Appended; Upload-Offset is the new offset', headers: uploadState },
            '400': problemResponse('A tus header is invalid (`upload_header_invalid`)'),
            '401': unauthorised,
            '404': problemResponse('No such upload of this local system (`upload_not_found`)'),
            '409': problemResponse('The offset is not the one held (`upload_offset_mismatch`)'),
            '412': problemResponse('Not tus 1.0.0 (`tus_version_unsupported`)'),
            '413': problemResponse('More bytes than Upload-Length (`attachment_too_large`)'),
            '415': problemResponse(
              'Not application/offset+octet-stream (`unsupported_media_type`), or the content’s format is refused (`attachment_type_refused`, `attachment_type_mismatch`)',
            ),
            '422': problemResponse(
              'The bytes differ from the expected digest (`attachment_digest_mismatch`)',
            ),
            '429': localLimited,
            '503': unavailable,
          },
        },
        delete: {
          tags: ['files'],
          operationId: 'deleteUpload',
          summary: 'Discard an upload (tus termination)',
          security: localSecurity,
          parameters: [uploadId, TUS_RESUMABLE, REQUEST_ID_HEADER],
          responses: {
            '204': { description: 'Discarded' },
            '401': unauthorised,
            '404': problemResponse('No such upload of this local system (`upload_not_found`)'),
            '409': problemResponse('Bytes are being appended to it now (`upload_offset_mismatch`)'),
            '412': problemResponse('Not tus 1.0.0 (`tus_version_unsupported`)'),
            '429': localLimited,
          },
        },
      },
      '/v1/attachments/{messageId}/{index}': {
        get: {
          tags: ['files'],
          operationId: 'serveAttachment',
          summary: 'A recipient node pulls a file of a message sent to it',
          description:
            'Authorization: Bearer with a grant: a short-lived JWS (typ `yrdx-grant+jwt`) the recipient node signs, bound to the message, the recipient and the file’s digest. No API key: the signature authenticates the recipient.',
          security: [],
          parameters: [
            messageIdParam('messageId'),
            indexParam,
            {
              name: 'Authorization',
              in: 'header',
              required: true,
              description: '`Bearer` and the grant',
              schema: { type: 'string' },
            },
            RANGE,
            TRACEPARENT_HEADER,
            REQUEST_ID_HEADER,
          ],
          responses: {
            '200': fileBytes('The whole file', 'application/octet-stream'),
            '206': fileBytes('The range asked for', 'application/octet-stream'),
            '401': problemResponse(
              'The grant is missing, malformed, expired or not signed by a key pinned for the recipient (`attachment_grant_invalid`)',
            ),
            '403': problemResponse(
              'The grant is for another message, file, digest or recipient (`attachment_grant_mismatch`)',
            ),
            '404': problemResponse('No such file of this message (`attachment_not_found`)'),
            '416': problemResponse(
              'The range is outside the file or not a single range (`range_not_satisfiable`)',
            ),
            '429': limited('of the address, or of the partner once the grant verifies'),
          },
        },
      },
      '/v1/attachments/receipts': {
        post: {
          tags: ['files'],
          operationId: 'receiveFilesReceipt',
          summary: 'A recipient node confirms (or refuses) the files of a message: its signed files receipt',
          description:
            'The body is a compact JWS the recipient signs once every file was fetched and checked against the signed digest, or one was refused. A later receipt of the same recipient replaces an earlier one.',
          security: [],
          parameters: [TRACEPARENT_HEADER, REQUEST_ID_HEADER],
          requestBody: {
            required: true,
            content: { 'application/jose': { schema: { type: 'string', description: 'Compact JWS' } } },
          },
          responses: {
            '204': { description: 'Stored (or the same receipt again)' },
            '400': problemResponse('The JWS or its claims are invalid (`jws_claim_invalid` and others)'),
            '401': problemResponse('The signature does not verify or the key is unknown'),
            '404': problemResponse(
              'No such message with these files went to the recipient (`message_not_found`)',
            ),
            '413': problemResponse('The token is too large (`body_too_large`)'),
            '415': problemResponse('Not application/jose (`unsupported_media_type`)'),
            '429': limited('of the address, or of the partner once the signature verifies'),
          },
        },
      },
      '/v1/inbox/messages/{id}/attachments': {
        get: {
          tags: ['files'],
          operationId: 'listDeliveredFiles',
          summary: 'The files of a message delivered to this local system, as the sender signed them',
          description:
            'A message with files is delivered (pushed or pullable) only once every file arrived and matched its signed digest.',
          security: localSecurity,
          parameters: [messageIdParam('id'), REQUEST_ID_HEADER],
          responses: {
            '200': {
              description: 'The files',
              content: { 'application/json': { schema: ref('DeliveredFiles') } },
            },
            '401': unauthorised,
            '404': problemResponse('No such message for this local system (`message_not_found`)'),
            '429': localLimited,
          },
        },
      },
      '/v1/inbox/messages/{id}/attachments/{index}': {
        get: {
          tags: ['files'],
          operationId: 'downloadDeliveredFile',
          summary: 'Download a file of a message delivered to this local system, whole or by range',
          description:
            'Served as data: its media type, Content-Disposition attachment with the name as written (RFC 8187), nosniff and a sandboxing CSP.',
          security: localSecurity,
          parameters: [messageIdParam('id'), indexParam, RANGE, REQUEST_ID_HEADER],
          responses: {
            '200': fileBytes('The whole file', '*/*'),
            '206': fileBytes('The range asked for', '*/*'),
            '401': unauthorised,
            '404': problemResponse(
              'No such message for this local system (`message_not_found`) or no such file (`attachment_not_found`)',
            ),
            '409': problemResponse('The file has not arrived yet (`attachment_not_ready`)'),
            '416': problemResponse(
              'The range is outside the file or not a single range (`range_not_satisfiable`)',
            ),
            '429': localLimited,
          },
        },
      },
    },
  };
};
