import type { AuditEntry, AuditRecord } from '../audit-chain.js';

/** The hash-chained audit log: admin actions appended, every entry read back. */
export interface AuditStore {
  /** Appends one entry (an admin action; the exchange's entries are appended by the units above). */
  appendAudit(record: Omit<AuditRecord, 'at'>, now: number): Promise<AuditEntry>;
  /** Entries in seq order from `fromSeq` (inclusive; default 1) up to `toSeq` (inclusive), at most `limit`. */
  readAudit(range?: AuditRange): Promise<AuditEntry[]>;
  /** The entries of one message (the message and its receipts), in seq order. */
  auditForMessage(messageId: string): Promise<AuditEntry[]>;
  /**
   * The highest seq the log ever assigned, 0 when empty. Adapters that remember it apart from the
   * entries (SQLite's AUTOINCREMENT sequence) reveal entries deleted from the end of the log.
   */
  auditHighWater(): Promise<number>;
}

export interface AuditRange {
  readonly fromSeq?: number;
  readonly toSeq?: number;
  readonly limit?: number;
}
