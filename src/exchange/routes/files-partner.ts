import { Hono, type MiddlewareHandler } from 'hono';
import type { BlobStore } from '../../attachments/blob-store.js';
import { openFilesReceipt } from '../../attachments/files-receipt.js';
import { checkGrantBinding, grantInvalid, openGrant } from '../../attachments/grant.js';
import { contentRange, parseRange } from '../../attachments/range.js';
import { sha256Hex } from '../../envelope/digest.js';
import { ulidTime } from '../../envelope/ulid.js';
import { YrdxError } from '../../errors/errors.js';
import { mediaType, readBody } from '../../http/body.js';
import type { ExchangeDeps } from '../deps.js';
import type { ExchangeEnv } from './env.js';

function issuedAtMs(claims: { readonly jti: string; readonly iat: number }): number {
  const fromId = /^[0-9A-HJKMNP-TV-Z]{26}$/.test(claims.jti) ? ulidTime(claims.jti) : Number.NaN;
  return Number.isFinite(fromId) && Math.floor(fromId / 1000) === claims.iat ? fromId : claims.iat * 1000;
}

/** A grant is a compact JWS of a few hundred bytes; anything much longer is refused unread. */
const MAX_GRANT_BYTES = 8 * 1024;
const MAX_FILES_RECEIPT_BYTES = 64 * 1024;
const INDEX = /^\d{1,3}$/;

/** The node's blob store, or a clear refusal on a node that keeps no case files. */
export function blobsOf(deps: Pick<ExchangeDeps, 'blobs'>): BlobStore {
  if (deps.blobs === undefined)
    throw new YrdxError('attachment_not_found', { params: { messageId: '-', index: '-' } });
  return deps.blobs;
}

/**
 * The sender's side of case files, for partner nodes: `GET /v1/attachments/{messageId}/{index}`
 * serves a file of a message this node sent, to a recipient of that message that shows a grant it
 * signed (src/attachments/grant.ts), whole or one byte range; `POST /v1/attachments/receipts` takes a
 * recipient's signed files receipt.
 */
export function partnerFileRoutes(
  deps: ExchangeDeps,
  limit: MiddlewareHandler<ExchangeEnv>,
): Hono<ExchangeEnv> {
  const app = new Hono<ExchangeEnv>();
  const { config } = deps;
  const open = { self: config.id, keys: deps.partners, policy: config.envelope, now: deps.now };
  app.use('/attachments/*', limit);

  app.get('/attachments/:messageId/:index', async (c) => {
    const header = c.req.header('authorization') ?? '';
    if (!/^Bearer [A-Za-z0-9_.-]+$/.test(header) || header.length > MAX_GRANT_BYTES)
      throw grantInvalid('missing');
    const grant = await openGrant(header.slice('Bearer '.length), open);
    deps.admitPartner?.(grant.iss);
    const messageId = c.req.param('messageId');
    const index = c.req.param('index');
    // A grant bound to another message is refused before anything about this one is looked up.
    if (grant.messageId !== messageId || !INDEX.test(index) || grant.index !== Number(index))
      checkGrantBinding(grant, { messageId, index: Number(index), digest: '', recipients: [] });
    const [files, view] = await Promise.all([
      deps.store.outboundFiles(messageId),
      deps.store.getOutbound(messageId),
    ]);
    const file = files.find((f) => f.index === grant.index);
    if (file === undefined || view === undefined)
      throw new YrdxError('attachment_not_found', { params: { messageId: messageId.slice(0, 40), index } });
    checkGrantBinding(grant, {
      messageId,
      index: file.index,
      digest: file.digest,
      recipients: view.deliveries.map((d) => d.recipient),
    });
    const blobs = blobsOf(deps);
    const size = await blobs.blobSize(file.digest);
    if (size === undefined)
      throw new YrdxError('attachment_not_found', { params: { messageId: messageId.slice(0, 40), index } });
    const range = parseRange(c.req.header('range'), size);
    const body = await blobs.readBlob(file.digest, range);
    if (body === undefined)
      throw new YrdxError('attachment_not_found', { params: { messageId: messageId.slice(0, 40), index } });
    const length = range === undefined ? size : range.end - range.start;
    deps.metrics?.fileBytes.inc({ direction: 'out' }, length);
    c.var.log?.('info', 'case file served', {
      messageId,
      partner: grant.iss,
      index: file.index,
      from: range?.start ?? 0,
      bytes: length,
    });
    return new Response(body, {
      status: range === undefined ? 200 : 206,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(length),
        'accept-ranges': 'bytes',
        etag: `"${file.digest}"`,
        'x-yrdx-digest': file.digest,
        ...(range === undefined ? {} : { 'content-range': contentRange(range.start, range.end, size) }),
      },
    });
  });

  app.post('/attachments/receipts', async (c) => {
    if (mediaType(c.req.raw) !== 'application/jose')
      throw new YrdxError('unsupported_media_type', { params: { expected: 'application/jose' } });
    const token = (await readBody(c.req.raw, MAX_FILES_RECEIPT_BYTES)).trim();
    const claims = await openFilesReceipt(token, open);
    deps.admitPartner?.(claims.iss);
    const files = await deps.store.outboundFiles(claims.messageId);
    const agrees = claims.files.every((e) => files.some((f) => f.index === e.index && f.digest === e.digest));
    if (files.length === 0 || !agrees)
      throw new YrdxError('message_not_found', { params: { id: claims.messageId.slice(0, 40) } });
    const stored = await deps.store.recordFilesReceipt(
      {
        messageId: claims.messageId,
        recipient: claims.iss,
        token,
        sha256: await (deps.digest ?? deps.sha256 ?? sha256Hex)(token),
        status: claims.status,
        files: claims.files.map((e) => ({
          index: e.index,
          status: e.status,
          ...(e.reason === undefined ? {} : { reason: e.reason }),
        })),
        // Milliseconds from the receipt's ULID where it is one (a refusal and a later arrival within one
        // second keep their order), else its iat.
        issuedAt: issuedAtMs(claims),
      },
      deps.now(),
    );
    if (!stored) throw new YrdxError('message_not_found', { params: { id: claims.messageId.slice(0, 40) } });
    c.var.log?.(claims.status === 'arrived' ? 'info' : 'warn', 'files receipt received', {
      messageId: claims.messageId,
      partner: claims.iss,
      status: claims.status,
    });
    return c.body(null, 204);
  });

  return app;
}
