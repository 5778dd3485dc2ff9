import type { DeliveryClaim, DeliveryStatus, DeliveryView, HistoryEvent, OutboundView } from '../port.js';
import { optional } from './values.js';

// Rows of outbound_messages, deliveries and history_events as the SQL stores read them.

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

/** A row of `outbound_messages` as the outbox view reads it. */
export interface MessageRow {
  message_id: string;
  local_system: string;
  type: OutboundView['type'];
  domain: OutboundView['domain'];
  contract: string;
  thread: string;
  in_reply_to: string | null;
  token: string;
  sha256: string;
  created_at: number;
  expires_at: number;
  purged_at: number | null;
  traceparent: string | null;
}

/** A row of `history_events` as the outbox view reads it. */
export interface EventRow {
  at: number;
  event: string;
  recipient: string | null;
  detail: string | null;
}

export function outboundView(
  row: MessageRow,
  deliveries: readonly DeliveryRow[],
  events: readonly EventRow[],
): OutboundView {
  return {
    messageId: row.message_id,
    localSystem: row.local_system,
    type: row.type,
    domain: row.domain,
    contract: row.contract,
    thread: row.thread,
    ...optional('inReplyTo', row.in_reply_to),
    token: row.token,
    sha256: row.sha256,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...optional('purgedAt', row.purged_at),
    ...optional('traceparent', row.traceparent),
    deliveries: deliveries.map(deliveryView),
    events: events.map(
      (e): HistoryEvent => ({
        at: e.at,
        event: e.event,
        ...optional('recipient', e.recipient),
        ...optional('detail', e.detail),
      }),
    ),
  };
}

/** A due delivery joined with the message it carries: what a claim hands to a worker. */
export interface DueRow {
  delivery_id: string;
  message_id: string;
  recipient: string;
  attempts: number;
  token: string;
  sha256: string;
  expires_at: number;
  traceparent: string | null;
  domain: OutboundView['domain'];
  type: OutboundView['type'];
  created_at: number;
}

/** The claim of a leased delivery; `attempts` counts the attempt the lease is for. */
export function deliveryClaim(row: DueRow, leaseToken: string, attempts: number): DeliveryClaim {
  return {
    id: row.delivery_id,
    leaseToken,
    messageId: row.message_id,
    recipient: row.recipient,
    token: row.token,
    sha256: row.sha256,
    attempts,
    expiresAt: row.expires_at,
    ...optional('traceparent', row.traceparent),
    domain: row.domain,
    type: row.type,
    createdAt: row.created_at,
  };
}
