import type { DeadLetter, LocalSystemActivity, MessageSummary, PartnerActivity } from '../port.js';
import { optional } from './values.js';

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

export interface LocalActivityRow {
  local_system: string;
  last_submission_at: number | string | null;
  last_delivery_at: number | string | null;
  pending: number | string | null;
}

/** A row of `LOCAL_SYSTEM_ACTIVITY` (PostgreSQL answers sums and maxima of BIGINT as strings). */
export function localActivityView(row: LocalActivityRow): LocalSystemActivity {
  const at = (v: number | string | null) => (v === null ? null : Number(v));
  return {
    localSystem: row.local_system,
    pending: Number(row.pending ?? 0),
    ...optional('lastSubmissionAt', at(row.last_submission_at)),
    ...optional('lastDeliveryAt', at(row.last_delivery_at)),
  };
}
