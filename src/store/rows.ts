import { YrdxError } from '../errors.js';
import type { DeliveryOutcome, DeliveryStatus, DeliveryView } from './port.js';

// Rows of the SQL stores that share the SQLite schema (src/store/schema.ts): the embedded SQLite
// store and D1 read and write them the same way.

/** JSON for a TEXT column; `undefined` (which JSON.stringify drops) is stored as `null`. */
export function toJson(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

export function fromJson(text: string): unknown {
  return JSON.parse(text) as unknown;
}

/** `{ [key]: value }` when the column is not NULL, else `{}`: for optional members of a view. */
export function optional<K extends string, V>(key: K, value: V | null): { [P in K]?: V } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: V };
}

/** A row of `deliveries` as the outbox view reads it. */
export interface DeliveryRow {
  delivery_id: string;
  recipient: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  receipt_token: string | null;
  receipt_sha256: string | null;
  receipt_received_at: number | null;
  rejection_status: number | null;
  rejection_code: string | null;
  rejection_detail: string | null;
}

/** The columns an outcome writes, as named parameters of the guarded UPDATE. */
export function settleParams(outcome: DeliveryOutcome, now: number): Record<string, unknown> {
  const none = {
    nextAttemptAt: null,
    lastError: null,
    receiptToken: null,
    receiptSha256: null,
    receiptReceivedAt: null,
    rejectionStatus: null,
    rejectionCode: null,
    rejectionDetail: null,
  };
  switch (outcome.kind) {
    case 'delivered':
      return {
        ...none,
        status: 'delivered',
        receiptToken: outcome.receipt.token,
        receiptSha256: outcome.receipt.sha256,
        receiptReceivedAt: now,
      };
    case 'retry':
      return { ...none, status: 'retry', nextAttemptAt: outcome.nextAttemptAt, lastError: outcome.error };
    case 'rejected':
      return {
        ...none,
        status: 'rejected',
        rejectionStatus: outcome.status,
        rejectionCode: outcome.code ?? null,
        rejectionDetail: outcome.detail ?? null,
      };
    case 'dead':
      return { ...none, status: 'dead', lastError: outcome.error };
  }
}

export function rejectionText(outcome: Extract<DeliveryOutcome, { kind: 'rejected' }>): string {
  const code = outcome.code === undefined ? '' : ` ${outcome.code}`;
  const detail = outcome.detail === undefined ? '' : `: ${outcome.detail}`;
  return `${outcome.status}${code}${detail}`;
}

export function deliveryView(row: DeliveryRow): DeliveryView {
  return {
    deliveryId: row.delivery_id,
    recipient: row.recipient,
    status: row.status,
    attempts: row.attempts,
    ...optional('nextAttemptAt', row.next_attempt_at),
    ...optional('lastError', row.last_error),
    ...(row.receipt_token !== null && row.receipt_sha256 !== null && row.receipt_received_at !== null
      ? {
          receipt: {
            token: row.receipt_token,
            sha256: row.receipt_sha256,
            receivedAt: row.receipt_received_at,
          },
        }
      : {}),
    ...(row.rejection_status === null
      ? {}
      : {
          rejection: {
            status: row.rejection_status,
            ...optional('code', row.rejection_code),
            ...optional('detail', row.rejection_detail),
          },
        }),
  };
}

/** Pull cursors are the row's sequence, zero-padded so they also increase as plain strings. */
const CURSOR_DIGITS = 16;

export function encodeCursor(seq: number): string {
  return String(seq).padStart(CURSOR_DIGITS, '0');
}

export function decodeCursor(cursor: string): number {
  if (!/^\d{1,16}$/.test(cursor)) throw new YrdxError('pull_cursor_invalid', { params: { cursor } });
  const seq = Number(cursor);
  if (!Number.isSafeInteger(seq)) throw new YrdxError('pull_cursor_invalid', { params: { cursor } });
  return seq;
}
