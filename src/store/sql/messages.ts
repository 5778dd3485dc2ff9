import type { ReceiveInbound, SubmitOutbound } from '../port.js';
import { toJson } from '../rows/values.js';

// Storing and reading messages in and out, the same in SQLite, D1 and
// PostgreSQL: written once with `@name` parameters (the SQLite store binds them as they are, D1
// and PostgreSQL through ./bind.ts).

/** The columns of a new outbound message; followed by `VALUES (…)` or a guarded `SELECT … WHERE`. */
export const INSERT_OUTBOUND_MESSAGE = `INSERT INTO outbound_messages (message_id, local_system, type, domain,
  contract, thread, in_reply_to, token, sha256, canonical, case_number, created_at, expires_at, traceparent)`;

/** The values of `INSERT_OUTBOUND_MESSAGE`, bound by `outboundMessageParams`. */
export const OUTBOUND_MESSAGE_VALUES = `@messageId, @localSystem, @type, @domain, @contract, @thread, @inReplyTo,
  @token, @sha256, @canonical, @caseNumber, @now, @expiresAt, @traceparent`;

export function outboundMessageParams(input: SubmitOutbound, now: number): Record<string, unknown> {
  return {
    messageId: input.messageId,
    localSystem: input.localSystem,
    type: input.type,
    domain: input.domain,
    contract: input.contract,
    thread: input.thread,
    inReplyTo: input.inReplyTo ?? null,
    token: input.token,
    sha256: input.sha256,
    canonical: toJson(input.canonical),
    caseNumber: input.caseNumber ?? null,
    now,
    expiresAt: input.expiresAt,
    traceparent: input.traceparent ?? null,
  };
}

/** The outbox view's reads, by `@messageId` (the deliveries' order is the dialect's: see SELECT_DELIVERIES). */
export const SELECT_OUTBOUND_MESSAGE = `SELECT message_id, local_system, type, domain, contract, thread, in_reply_to,
  token, sha256, created_at, expires_at, purged_at, traceparent
  FROM outbound_messages WHERE message_id = @messageId`;
export const SELECT_EVENTS =
  'SELECT at, event, recipient, detail FROM history_events WHERE message_id = @messageId ORDER BY seq';

/** The columns of a new inbound message; followed by `VALUES (…)` or a guarded `SELECT … WHERE`. */
export const INSERT_INBOUND_MESSAGE = `INSERT INTO inbound_messages (iss, jti, sha256, token, type, domain,
  contract, thread, in_reply_to, canonical, case_number, receipt_token, receipt_sha256, expires_at, received_at,
  traceparent)`;

/** The values of `INSERT_INBOUND_MESSAGE`, bound by `inboundMessageParams`. */
export const INBOUND_MESSAGE_VALUES = `@iss, @jti, @sha256, @token, @type, @domain, @contract, @thread, @inReplyTo,
  @canonical, @caseNumber, @receiptToken, @receiptSha256, @expiresAt, @now, @traceparent`;

export function inboundMessageParams(input: ReceiveInbound, now: number): Record<string, unknown> {
  return {
    iss: input.iss,
    jti: input.jti,
    sha256: input.sha256,
    token: input.token,
    type: input.type,
    domain: input.domain,
    contract: input.contract,
    thread: input.thread,
    inReplyTo: input.inReplyTo ?? null,
    canonical: toJson(input.canonical),
    caseNumber: input.caseNumber ?? null,
    receiptToken: input.receipt.token,
    receiptSha256: input.receipt.sha256,
    expiresAt: input.expiresAt,
    now,
    traceparent: input.traceparent ?? null,
  };
}

/** The inbound view's reads, by `@iss` and `@jti`. */
export const SELECT_INBOUND_MESSAGE = `SELECT iss, jti, sha256, token, type, domain, thread, received_at,
  receipt_token, purged_at, traceparent
  FROM inbound_messages WHERE iss = @iss AND jti = @jti`;
export const SELECT_LOCAL_DELIVERIES = `SELECT local_delivery_id, local_system, mode, status, attempts, last_error
  FROM local_deliveries WHERE iss = @iss AND jti = @jti ORDER BY seq`;
