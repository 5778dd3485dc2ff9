import { attachmentDigestClaim } from '../../envelope/claims.js';
import { YrdxError } from '../../errors/errors.js';
import type { ExchangeDeps } from '../../exchange/deps.js';
import { fileResponse } from '../../exchange/routes/files-local.js';

export { fileResponse };

import type {
  FileFetchView,
  FilesReceiptView,
  MessageFile,
  MessageSummary,
  OutboundView,
  Store,
} from '../../store/port.js';

/**
 * Case files as administrators see them: the files of a message in and out, what each recipient's
 * files receipt says, how far each transfer from a sender got, the requeue of a dead or refused
 * transfer, and the download of a file (the admin API and the console share these).
 */

/** One file as its message's signed `attachments` claim lists it. */
export function fileClaim(f: MessageFile) {
  return {
    index: f.index,
    name: f.name,
    mediaType: f.mediaType,
    size: f.size,
    digest: f.digest,
    ...attachmentDigestClaim(f.digest),
  };
}

/** What one recipient confirmed of an outbound message's files: `pending` until its receipt came. */
export interface RecipientFiles {
  readonly recipient: string;
  readonly status: 'pending' | 'arrived' | 'refused';
  readonly receivedAt?: number;
  readonly files: readonly { readonly index: number; readonly status: string; readonly reason?: string }[];
  readonly receipt?: { readonly sha256: string; readonly token: string };
}

export interface OutboundCaseFiles {
  readonly files: readonly MessageFile[];
  readonly recipients: readonly RecipientFiles[];
}

export interface InboundCaseFiles {
  readonly files: readonly MessageFile[];
  /** The transfer job (absent when the message has no files). */
  readonly transfer?: FileFetchView;
  /** Whether an administrator may requeue the transfer: it died, or it ended refusing a file. */
  readonly requeueable: boolean;
}

export async function outboundCaseFiles(
  store: Pick<Store, 'outboundFiles' | 'filesReceipts'>,
  view: OutboundView,
): Promise<OutboundCaseFiles> {
  const files = await store.outboundFiles(view.messageId);
  if (files.length === 0) return { files, recipients: [] };
  const receipts = await store.filesReceipts(view.messageId);
  return { files, recipients: view.deliveries.map((d) => recipientFiles(d.recipient, receipts)) };
}

function recipientFiles(recipient: string, receipts: readonly FilesReceiptView[]): RecipientFiles {
  const r = receipts.find((x) => x.recipient === recipient);
  if (r === undefined) return { recipient, status: 'pending', files: [] };
  return {
    recipient,
    status: r.status,
    receivedAt: r.receivedAt,
    files: r.files,
    receipt: { sha256: r.sha256, token: r.token },
  };
}

export async function inboundCaseFiles(
  store: Pick<Store, 'inboundFiles' | 'fileFetchJob'>,
  iss: string,
  jti: string,
): Promise<InboundCaseFiles> {
  const files = await store.inboundFiles(iss, jti);
  if (files.length === 0) return { files, requeueable: false };
  const transfer = await store.fileFetchJob(iss, jti);
  const refused = files.some((f) => f.state === 'refused');
  return {
    files,
    ...(transfer === undefined ? {} : { transfer }),
    requeueable:
      transfer !== undefined && (transfer.status === 'dead' || (transfer.status === 'done' && refused)),
  };
}

/** The admin API's form of an outbound message's files (ISO times). */
export function outboundFilesDocument(c: OutboundCaseFiles) {
  return {
    attachments: c.files.map(fileClaim),
    filesReceipts: c.recipients.map((r) => ({
      ...r,
      ...(r.receivedAt === undefined ? {} : { receivedAt: new Date(r.receivedAt).toISOString() }),
    })),
  };
}

/** The admin API's form of an inbound message's files and transfer (ISO times). */
export function inboundFilesDocument(c: InboundCaseFiles) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    attachments: c.files.map((f) => ({
      ...fileClaim(f),
      state: f.state,
      bytes: f.bytes,
      ...(f.error === undefined ? {} : { error: f.error }),
      updatedAt: iso(f.updatedAt),
    })),
    ...(c.transfer === undefined
      ? {}
      : {
          transfer: {
            status: c.transfer.status,
            attempts: c.transfer.attempts,
            ...(c.transfer.nextAttemptAt === undefined
              ? {}
              : { nextAttemptAt: iso(c.transfer.nextAttemptAt) }),
            ...(c.transfer.lastError === undefined ? {} : { lastError: c.transfer.lastError }),
            updatedAt: iso(c.transfer.updatedAt),
            requeueable: c.requeueable,
          },
        }),
  };
}

/**
 * Requeues the transfer of message `id`'s files from each sender whose transfer died or refused a
 * file (`sender` narrows it to one). Returns the senders requeued; refused with
 * `transfer_not_requeueable` when there is none.
 */
export async function requeueTransfer(
  deps: Pick<ExchangeDeps, 'store' | 'now' | 'notify'>,
  id: string,
  sender?: string,
): Promise<string[]> {
  const found = await deps.store.searchMessages({ id, direction: 'inbound', limit: 10 });
  const senders = found
    .map((m) => m.partners[0] ?? '')
    .filter((p) => p !== '' && (sender === undefined || p === sender));
  const done: string[] = [];
  for (const iss of senders) if (await deps.store.requeueFileFetch(iss, id, deps.now())) done.push(iss);
  if (done.length === 0) throw new YrdxError('transfer_not_requeueable', { params: { id: id.slice(0, 64) } });
  deps.notify?.('files');
  return done;
}

/** A file of message `id` that this node holds: the sender's own, or one that arrived from a partner. */
export async function heldFile(
  store: Pick<Store, 'searchMessages' | 'outboundFiles' | 'inboundFiles'>,
  id: string,
  index: string,
): Promise<{ file: MessageFile; direction: 'outbound' | 'inbound'; partner?: string }> {
  const missing = () =>
    new YrdxError('attachment_not_found', {
      params: { messageId: id.slice(0, 40), index: index.slice(0, 8) },
    });
  if (!/^\d{1,3}$/.test(index)) throw missing();
  const n = Number(index);
  const found: readonly MessageSummary[] = await store.searchMessages({ id, limit: 10 });
  if (found.length === 0) throw new YrdxError('message_not_found', { params: { id: id.slice(0, 40) } });
  if (found.some((m) => m.direction === 'outbound')) {
    const file = (await store.outboundFiles(id)).find((f) => f.index === n);
    if (file !== undefined) return { file, direction: 'outbound' };
  }
  let pending: MessageFile | undefined;
  for (const m of found.filter((x) => x.direction === 'inbound')) {
    const partner = m.partners[0] ?? '';
    const file = (await store.inboundFiles(partner, id)).find((f) => f.index === n);
    if (file?.state === 'arrived') return { file, direction: 'inbound', partner };
    pending ??= file;
  }
  if (pending !== undefined)
    throw new YrdxError('attachment_not_ready', { params: { messageId: id.slice(0, 40), index: n } });
  throw missing();
}

/** The audit entry's detail for a download: which file of which message, and which bytes. */
export function downloadDetail(
  id: string,
  held: { file: MessageFile; direction: 'outbound' | 'inbound'; partner?: string },
  status: number,
  rangeHeader: string | undefined,
): string {
  const f = held.file;
  const from = held.partner === undefined ? '' : ` from ${held.partner}`;
  const part = status === 206 && rangeHeader !== undefined ? ` (${rangeHeader.slice(0, 40)})` : '';
  return `downloaded file ${f.index} "${f.name}" (${f.digest}, ${f.size} bytes)${part} of ${held.direction} message ${id}${from}`;
}
