import type { AuditEntry } from '../audit-chain.js';
import { optional } from './values.js';

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
