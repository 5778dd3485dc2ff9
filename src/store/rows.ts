import { YrdxError } from '../errors/errors.js';
import type { AuditEntry } from './audit-chain.js';
import type {
  ConsoleSessionRecord,
  DeadLetter,
  DeliveryClaim,
  DeliveryStatus,
  DeliveryView,
  HistoryEvent,
  InboundView,
  LocalClaim,
  LocalOutcome,
  MessageSummary,
  OutboundView,
  PartnerActivity,
  ThreadChange,
  ThreadView,
} from './port.js';

// Rows of the SQL stores as they are read from the database, the column lists that read them, and
// their mapping to the views of the port. The three SQL stores (SQLite in src/store/sqlite/, D1 in
// src/store/d1/, PostgreSQL in src/store/postgres/) have tables of the same columns, so all of them
// use these; SQL text that only the SQLite dialect speaks lives in src/store/sql/sqlite.ts.

/** JSON for a TEXT column; `undefined` (which JSON.stringify drops) is stored as `null`. */
export function toJson(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/** The columns of a console session, as `ConsoleSessionRow`. */
export const CONSOLE_SESSION_COLUMNS = 'id_hash, credential, role, csrf, started_at, ends_at, expires_at';

export interface ConsoleSessionRow {
  id_hash: string;
  credential: string;
  role: ConsoleSessionRecord['role'];
  csrf: string;
  started_at: number;
  ends_at: number;
  expires_at: number;
}

export function consoleSession(row: ConsoleSessionRow): ConsoleSessionRecord {
  return {
    idHash: row.id_hash,
    credential: row.credential,
    role: row.role,
    csrf: row.csrf,
    startedAt: Number(row.started_at),
    endsAt: Number(row.ends_at),
    expiresAt: Number(row.expires_at),
  };
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
  attempts: number;
  traceparent: string | null;
}

/** Reads a `LocalRow` from `local_deliveries l JOIN inbound_messages m`. */
export const LOCAL_COLUMNS = `l.seq, l.local_delivery_id, l.local_system, l.iss, l.jti, m.type, m.domain, m.thread,
  l.body, l.attempts, m.traceparent`;

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

/** A row of `threads`. */
export interface ThreadRow {
  thread_id: string;
  partner: string;
  direction: ThreadView['direction'];
  type: ThreadView['type'];
  domain: ThreadView['domain'];
  status: ThreadView['status'];
  opened_at: number;
  due_at: number;
  closed_at: number | null;
  request_id: string;
  reply_id: string | null;
}

export const THREAD_COLUMNS =
  'thread_id, partner, direction, type, domain, status, opened_at, due_at, closed_at, request_id, reply_id';

export function threadView(row: ThreadRow): ThreadView {
  return {
    threadId: row.thread_id,
    partner: row.partner,
    direction: row.direction,
    type: row.type,
    domain: row.domain,
    status: row.status,
    openedAt: row.opened_at,
    dueAt: row.due_at,
    ...optional('closedAt', row.closed_at),
    requestId: row.request_id,
    ...optional('replyId', row.reply_id),
  };
}

/** The due time of a thread that `change` opens; a request always has one. */
export function openingDueAt(change: ThreadChange): number {
  if (change.dueAt === undefined) {
    throw new YrdxError('internal_error', {
      cause: new Error(`thread ${change.threadId} opened without a due time`),
    });
  }
  return change.dueAt;
}

/** A row of `audit_log`. */
export interface AuditRow {
  seq: number;
  at: number;
  kind: AuditEntry['kind'];
  message_id: string | null;
  partner: string | null;
  domain: string | null;
  type: string | null;
  sha256: string | null;
  actor: string | null;
  role: AuditEntry['role'] | null;
  action: string | null;
  outcome: AuditEntry['outcome'] | null;
  status: number | null;
  detail: string | null;
  prev: string;
  hash: string;
}

export const AUDIT_COLUMNS =
  'seq, at, kind, message_id, partner, domain, type, sha256, actor, role, action, outcome, status, detail, prev, hash';

/** The values of `AUDIT_COLUMNS` for an entry, by name and in that order; absent fields are `null`. */
export function auditParams(entry: AuditEntry): Record<string, unknown> {
  return {
    seq: entry.seq,
    at: entry.at,
    kind: entry.kind,
    messageId: entry.messageId ?? null,
    partner: entry.partner ?? null,
    domain: entry.domain ?? null,
    type: entry.type ?? null,
    sha256: entry.sha256 ?? null,
    actor: entry.actor ?? null,
    role: entry.role ?? null,
    action: entry.action ?? null,
    outcome: entry.outcome ?? null,
    status: entry.status ?? null,
    detail: entry.detail ?? null,
    prev: entry.prev,
    hash: entry.hash,
  };
}

export function auditEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    kind: row.kind,
    ...optional('messageId', row.message_id),
    ...optional('partner', row.partner),
    ...optional('domain', row.domain),
    ...optional('type', row.type),
    ...optional('sha256', row.sha256),
    ...optional('actor', row.actor),
    ...optional('role', row.role),
    ...optional('action', row.action),
    ...optional('outcome', row.outcome),
    ...optional('status', row.status),
    ...optional('detail', row.detail),
    prev: row.prev,
    hash: row.hash,
  };
}

/** A message in or out as the administrators' search reads it. */
export interface SummaryRow {
  direction: MessageSummary['direction'];
  message_id: string;
  partners: string | null;
  local_system: string | null;
  type: MessageSummary['type'];
  domain: MessageSummary['domain'];
  contract: string;
  thread: string;
  case_number: string | null;
  at: number;
}

/** The inbound half of the search: a `SummaryRow` per row of `inbound_messages i`. */
export const INBOUND_SUMMARY = `SELECT 'inbound' AS direction, i.jti AS message_id, NULL AS local_system, i.type, i.domain,
    i.contract, i.thread, i.case_number, i.received_at AS at, i.iss AS partners
  FROM inbound_messages i`;

export function messageSummary(row: SummaryRow): MessageSummary {
  return {
    direction: row.direction,
    messageId: row.message_id,
    partners: row.partners === null ? [] : row.partners.split(','),
    ...optional('localSystem', row.local_system),
    type: row.type,
    domain: row.domain,
    contract: row.contract,
    thread: row.thread,
    ...optional('caseNumber', row.case_number),
    at: row.at,
  };
}

/** A dead delivery to a partner or a local system. */
export interface DeadRow {
  kind: DeadLetter['kind'];
  delivery_id: string;
  message_id: string;
  partner: string;
  local_system: string | null;
  type: DeadLetter['type'];
  domain: DeadLetter['domain'];
  attempts: number;
  last_error: string | null;
  at: number;
}

export function deadLetter(row: DeadRow): DeadLetter {
  return {
    kind: row.kind,
    deliveryId: row.delivery_id,
    messageId: row.message_id,
    partner: row.partner,
    ...optional('localSystem', row.local_system),
    type: row.type,
    domain: row.domain,
    attempts: row.attempts,
    ...optional('lastError', row.last_error),
    at: row.at,
  };
}

/** One partner's activity, every count already defaulted to 0. */
export interface ActivityRow {
  partner: string;
  delivered: number;
  failed: number;
  queued: number;
  dead: number;
  last_success_at: number | null;
}

export function activityView(row: ActivityRow): PartnerActivity {
  return {
    partner: row.partner,
    delivered: row.delivered,
    failed: row.failed,
    queued: row.queued,
    dead: row.dead,
    ...optional('lastSuccessAt', row.last_success_at),
  };
}
