import { Hono } from 'hono';
import { contentRange, parseRange } from '../../attachments/range.js';
import { attachmentDigestClaim } from '../../envelope/claims.js';
import { YrdxError } from '../../errors/errors.js';
import type { FilesReceiptView, MessageFile, OutboundView } from '../../store/port.js';
import type { ExchangeDeps } from '../deps.js';
import type { ExchangeEnv } from './env.js';
import { localSystem } from './local-system.js';

/** A file as a local system sees it in a delivered message: what the sender signed, and where to get it. */
export function localFileView(jti: string, f: MessageFile) {
  return {
    index: f.index,
    name: f.name,
    mediaType: f.mediaType,
    size: f.size,
    ...attachmentDigestClaim(f.digest),
    href: `/v1/inbox/messages/${encodeURIComponent(jti)}/attachments/${f.index}`,
  };
}

/**
 * What the sending system reads of its message's files: each file as signed, and per recipient what
 * its signed files receipt says (`pending` until one came).
 */
export function outboundFilesDocument(
  view: OutboundView,
  files: readonly MessageFile[],
  receipts: readonly FilesReceiptView[],
) {
  if (files.length === 0) return {};
  return {
    attachments: files.map((f) => ({
      index: f.index,
      name: f.name,
      mediaType: f.mediaType,
      size: f.size,
      ...attachmentDigestClaim(f.digest),
    })),
    files: view.deliveries.map((d) => {
      const r = receipts.find((x) => x.recipient === d.recipient);
      return r === undefined
        ? { recipient: d.recipient, status: 'pending' as const }
        : {
            recipient: d.recipient,
            status: r.status,
            receivedAt: new Date(r.receivedAt).toISOString(),
            files: r.files,
            receipt: { sha256: r.sha256, token: r.token },
          };
    }),
  };
}

/**
 * The bytes of a held file, whole or one range (`Range: bytes=a-b`), served as data for download:
 * its media type, `Content-Disposition: attachment` with the name as written (RFC 8187), nosniff
 * and a sandboxing CSP, so that no browser renders it as a page of the node.
 */
export async function fileResponse(
  deps: Pick<ExchangeDeps, 'blobs'>,
  id: string,
  file: MessageFile,
  rangeHeader: string | undefined,
): Promise<Response> {
  const missing = () =>
    new YrdxError('attachment_not_found', { params: { messageId: id.slice(0, 40), index: file.index } });
  const blobs = deps.blobs;
  if (blobs === undefined) throw new YrdxError('attachments_unavailable');
  const size = await blobs.blobSize(file.digest);
  if (size === undefined) throw missing();
  const range = parseRange(rangeHeader, size);
  const body = await blobs.readBlob(file.digest, range);
  if (body === undefined) throw missing();
  const length = range === undefined ? size : range.end - range.start;
  return new Response(body, {
    status: range === undefined ? 200 : 206,
    headers: {
      'content-type': file.mediaType,
      'content-disposition': contentDisposition(file.name),
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'content-length': String(length),
      'accept-ranges': 'bytes',
      etag: `"${file.digest}"`,
      'x-yrdx-digest': file.digest,
      ...(range === undefined ? {} : { 'content-range': contentRange(range.start, range.end, size) }),
    },
  });
}

/** RFC 6266 `Content-Disposition` with the name as people wrote it (RFC 8187) and an ASCII fallback. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Downloads for local systems: the files of a message delivered to the system (push or pull), listed
 * and served whole or by one byte range. A message whose files have not all arrived is not delivered
 * yet, so a system never sees a file before its digest was checked.
 */
export function localFileRoutes(deps: ExchangeDeps): Hono<ExchangeEnv> {
  const app = new Hono<ExchangeEnv>();

  const delivered = async (systemId: string, id: string) => {
    const found = await deps.store.localCanonical(systemId, id);
    if (found === undefined) throw new YrdxError('message_not_found', { params: { id: id.slice(0, 40) } });
    return { found, files: await deps.store.inboundFiles(found.iss, found.jti) };
  };

  app.get('/inbox/messages/:id/attachments', async (c) => {
    const system = localSystem(c);
    const { found, files } = await delivered(system.id, c.req.param('id'));
    return c.json({
      messageId: found.jti,
      sender: found.iss,
      attachments: files.map((f) => localFileView(found.jti, f)),
    });
  });

  app.get('/inbox/messages/:id/attachments/:index', async (c) => {
    const system = localSystem(c);
    const { found, files } = await delivered(system.id, c.req.param('id'));
    const index = c.req.param('index');
    const file = /^\d{1,3}$/.test(index) ? files.find((f) => f.index === Number(index)) : undefined;
    const missing = () =>
      new YrdxError('attachment_not_found', { params: { messageId: found.jti, index: index.slice(0, 8) } });
    if (file === undefined) throw missing();
    if (file.state !== 'arrived')
      throw new YrdxError('attachment_not_ready', { params: { messageId: found.jti, index: file.index } });
    const response = await fileResponse(deps, found.jti, file, c.req.header('range'));
    deps.metrics?.fileBytes.inc({ direction: 'download' }, Number(response.headers.get('content-length')));
    return response;
  });

  return app;
}
