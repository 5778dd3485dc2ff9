import type { DigestAlgorithm } from '../../envelope/digest.js';
import type {
  FileFetchStatus,
  FileFetchView,
  FileState,
  FilesReceiptView,
  InboundView,
  MessageFile,
  UploadRow,
} from '../port.js';
import { optional } from './values.js';

/** Rows of the case-file tables (src/store/sql/files.ts) as the port returns them. */
export interface UploadDbRow {
  id: string;
  local_system: string;
  name: string;
  declared_type: string | null;
  expected_digest: string | null;
  length: number | string;
  algorithm: DigestAlgorithm;
  offset_bytes: number | string;
  expires_at: number | string;
  created_at: number | string;
  completed_at: number | string | null;
  digest: string | null;
  media_type: string | null;
}

const num = (v: number | string): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: number | string | null): number | null => (v === null ? null : num(v));

export function uploadRow(r: UploadDbRow): UploadRow {
  return {
    id: r.id,
    localSystem: r.local_system,
    name: r.name,
    ...optional('declaredType', r.declared_type),
    ...optional('expectedDigest', r.expected_digest),
    length: num(r.length),
    algorithm: r.algorithm,
    offset: num(r.offset_bytes),
    expiresAt: num(r.expires_at),
    createdAt: num(r.created_at),
    ...optional('completedAt', numOrNull(r.completed_at)),
    ...optional('digest', r.digest),
    ...optional('mediaType', r.media_type),
  };
}

export interface MessageFileDbRow {
  idx: number | string;
  name: string;
  media_type: string;
  size: number | string;
  digest: string;
  state: FileState;
  bytes: number | string;
  error: string | null;
  updated_at: number | string;
}

export function messageFile(r: MessageFileDbRow): MessageFile {
  return {
    index: num(r.idx),
    name: r.name,
    mediaType: r.media_type,
    size: num(r.size),
    digest: r.digest,
    state: r.state,
    bytes: num(r.bytes),
    ...optional('error', r.error),
    updatedAt: num(r.updated_at),
  };
}

export interface FileFetchViewDbRow {
  status: FileFetchStatus;
  attempts: number | string;
  next_attempt_at: number | string | null;
  last_error: string | null;
  updated_at: number | string;
}

export function fileFetchView(r: FileFetchViewDbRow): FileFetchView {
  return {
    status: r.status,
    attempts: num(r.attempts),
    ...optional('nextAttemptAt', numOrNull(r.next_attempt_at)),
    ...optional('lastError', r.last_error),
    updatedAt: num(r.updated_at),
  };
}

export interface FilesReceiptDbRow {
  message_id: string;
  recipient: string;
  token: string;
  sha256: string;
  status: 'arrived' | 'refused';
  files: string;
  issued_at: number | string;
  received_at: number | string;
}

export function filesReceipt(r: FilesReceiptDbRow): FilesReceiptView {
  return {
    messageId: r.message_id,
    recipient: r.recipient,
    token: r.token,
    sha256: r.sha256,
    status: r.status,
    files: JSON.parse(r.files) as FilesReceiptView['files'],
    issuedAt: num(r.issued_at),
    receivedAt: num(r.received_at),
  };
}

export interface FileFetchDbRow {
  fetch_id: string;
  iss: string;
  jti: string;
  attempts: number | string;
  receipt_token: string | null;
  receipt_sha256: string | null;
  traceparent: string | null;
}

export function fileFetchSettleParams(
  outcome:
    | { kind: 'done' }
    | { kind: 'retry'; nextAttemptAt: number; error: string }
    | { kind: 'dead'; error: string },
) {
  return outcome.kind === 'done'
    ? { status: 'done', nextAttemptAt: null, error: null }
    : outcome.kind === 'retry'
      ? { status: 'retry', nextAttemptAt: outcome.nextAttemptAt, error: outcome.error.slice(0, 500) }
      : { status: 'dead', nextAttemptAt: null, error: outcome.error.slice(0, 500) };
}

/** A held local delivery as the inbound view reads it (src/store/sql/files.ts `SELECT_HELD`). */
export interface HeldDbRow {
  local_system: string;
  mode: 'push' | 'pull';
}

/** The inbound view with the message's held local deliveries after its others (they have no id yet). */
export function withHeld(view: InboundView, held: readonly HeldDbRow[]): InboundView {
  if (held.length === 0) return view;
  return {
    ...view,
    localDeliveries: [
      ...view.localDeliveries,
      ...held.map((h) => ({
        id: '',
        localSystem: h.local_system,
        mode: h.mode,
        status: 'held' as const,
        attempts: 0,
      })),
    ],
  };
}
