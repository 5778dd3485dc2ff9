import { YrdxError } from '../../errors/errors.js';
import type { InboundView, LocalCanonical, LocalClaim, LocalLosses, LocalOutcome } from '../port.js';
import { fromJson, optional } from './values.js';

// Rows of local_deliveries as the push and pull queues read them.

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

/** A local delivery joined with the message it carries. */
export interface LocalRow {
  seq: number;
  local_delivery_id: string;
  local_system: string;
  iss: string;
  jti: string;
  type: InboundView['type'];
  domain: InboundView['domain'];
  thread: string;
  body: string;
  losses: string | null;
  attempts: number;
  traceparent: string | null;
}

/** Reads a `LocalRow` from `local_deliveries l JOIN inbound_messages m`. */
export const LOCAL_COLUMNS = `l.seq, l.local_delivery_id, l.local_system, l.iss, l.jti, m.type, m.domain, m.thread,
  l.body, l.losses, l.attempts, m.traceparent`;

/** What a push claim and a pull page item carry of a local delivery. */
export function localMessage(row: LocalRow): Omit<LocalClaim, 'leaseToken' | 'attempts' | 'id'> {
  return {
    localSystem: row.local_system,
    iss: row.iss,
    jti: row.jti,
    type: row.type,
    domain: row.domain,
    thread: row.thread,
    body: fromJson(row.body),
    ...(row.losses === null ? {} : { losses: fromJson(row.losses) as LocalLosses }),
    ...optional('traceparent', row.traceparent),
  };
}

/** The columns a push outcome writes. */
export function localSettleParams(outcome: LocalOutcome): {
  status: 'delivered' | 'retry' | 'dead';
  nextAttemptAt: number | null;
  lastError: string | null;
} {
  return outcome.kind === 'delivered'
    ? { status: 'delivered', nextAttemptAt: null, lastError: null }
    : outcome.kind === 'retry'
      ? { status: 'retry', nextAttemptAt: outcome.nextAttemptAt, lastError: outcome.error }
      : { status: 'dead', nextAttemptAt: null, lastError: outcome.error };
}

/** The losses column of a new local delivery: NULL when nothing was lost. */
export function lossesColumn(losses: LocalLosses | undefined): string | null {
  return losses === undefined || losses.pointers.length + losses.omitted === 0
    ? null
    : JSON.stringify(losses);
}

/** A row of `SELECT_LOCAL_CANONICAL`. */
export interface LocalCanonicalRow {
  iss: string;
  jti: string;
  type: InboundView['type'];
  domain: InboundView['domain'];
  contract: string;
  canonical: string;
  losses: string | null;
}

/** The canonical message of a row, or undefined when retention removed its body. */
export function localCanonical(row: LocalCanonicalRow | undefined): LocalCanonical | undefined {
  if (row === undefined) return undefined;
  const canonical = fromJson(row.canonical);
  if (typeof canonical !== 'object' || canonical === null) return undefined;
  return {
    iss: row.iss,
    jti: row.jti,
    type: row.type,
    domain: row.domain,
    contract: row.contract,
    canonical: canonical as Record<string, unknown>,
    ...(row.losses === null ? {} : { losses: fromJson(row.losses) as LocalLosses }),
  };
}
