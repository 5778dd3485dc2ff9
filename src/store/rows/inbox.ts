import type { DeliveryStatus, InboundView } from '../port.js';
import { optional } from './values.js';

/** A row of `inbound_messages` as the inbound view reads it. */
export interface InboundRow {
  iss: string;
  jti: string;
  sha256: string;
  token: string;
  type: InboundView['type'];
  domain: InboundView['domain'];
  thread: string;
  received_at: number;
  receipt_token: string;
  purged_at: number | null;
  traceparent: string | null;
}

/** A row of `local_deliveries` as the inbound view lists it. */
export interface LocalDeliveryRow {
  local_delivery_id: string;
  local_system: string;
  mode: 'push' | 'pull';
  status: DeliveryStatus | 'acked';
  attempts: number;
  last_error: string | null;
}

export function inboundView(row: InboundRow, locals: readonly LocalDeliveryRow[]): InboundView {
  return {
    iss: row.iss,
    jti: row.jti,
    sha256: row.sha256,
    token: row.token,
    type: row.type,
    domain: row.domain,
    thread: row.thread,
    receivedAt: row.received_at,
    receiptToken: row.receipt_token,
    ...optional('purgedAt', row.purged_at),
    ...optional('traceparent', row.traceparent),
    localDeliveries: locals.map((l) => ({
      id: l.local_delivery_id,
      localSystem: l.local_system,
      mode: l.mode,
      status: l.status,
      attempts: l.attempts,
      ...optional('lastError', l.last_error),
    })),
  };
}
