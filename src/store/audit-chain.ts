import type { Sha256 } from '../envelope/digest.js';
import type { AdminRole } from '../vocabulary/roles.js';
import { boundRecord } from './audit-bounds.js';

/** What an audit entry records: a message or receipt that went in or out, or an admin action. */
export type AuditKind = 'message-out' | 'message-in' | 'receipt-out' | 'receipt-in' | 'admin';

export const AUDIT_KINDS: readonly AuditKind[] = [
  'message-out',
  'message-in',
  'receipt-out',
  'receipt-in',
  'admin',
];

/**
 * What is appended to the audit log. Messages and receipts are recorded by the SHA-256 of their
 * compact JWS bytes, never by their payload: the payload may be removed after its retention while
 * the log, which commits only to the digest, stays verifiable.
 */
export interface AuditRecord {
  readonly at: number;
  readonly kind: AuditKind;
  /** The message's id (`jti`); for a receipt, the id of the message it acknowledges. */
  readonly messageId?: string;
  /** The other node: the recipient of what went out, the sender of what came in. */
  readonly partner?: string;
  readonly domain?: string;
  readonly type?: string;
  /** Lower-case hex SHA-256 of the exact JWS bytes (message or receipt). */
  readonly sha256?: string;
  /** Admin actions: who, in which role, did what, with which outcome and HTTP status. */
  readonly actor?: string;
  readonly role?: AdminRole;
  readonly action?: string;
  readonly outcome?: 'allowed' | 'refused';
  readonly status?: number;
  readonly detail?: string;
}

/** One entry of the hash-chained log: the record, its position and the two hashes that chain it. */
export interface AuditEntry extends AuditRecord {
  /** 1, 2, 3, … without gaps. */
  readonly seq: number;
  /** The `hash` of the entry before (`GENESIS` for seq 1). */
  readonly prev: string;
  /** SHA-256 of `canonicalEntry(this)`. */
  readonly hash: string;
}

/** The `prev` of the first entry. */
export const GENESIS = '0'.repeat(64);

/** Marks the serialisation, so that a future layout can never be confused with this one. */
const FORMAT = 'yrdx-audit/1';

/**
 * The bytes an entry's hash is taken over: a JSON array with every field in a fixed order, absent
 * fields as `null`, and `prev` last. JSON strings are escaped and delimited, so no two different
 * entries serialise to the same text.
 */
export function canonicalEntry(entry: Omit<AuditEntry, 'hash'>): string {
  return JSON.stringify([
    FORMAT,
    entry.seq,
    entry.at,
    entry.kind,
    entry.messageId ?? null,
    entry.partner ?? null,
    entry.domain ?? null,
    entry.type ?? null,
    entry.sha256 ?? null,
    entry.actor ?? null,
    entry.role ?? null,
    entry.action ?? null,
    entry.outcome ?? null,
    entry.status ?? null,
    entry.detail ?? null,
    entry.prev,
  ]);
}

/**
 * Chains a record after the entry `(seq - 1, prev)` with a synchronous SHA-256 (inside a store unit).
 * Its text fields are cut to their bounds first (see ./bounds.ts): what is hashed is what is kept.
 */
export function chainEntry(
  record: AuditRecord,
  seq: number,
  prev: string,
  sha256: (text: string) => string,
): AuditEntry {
  const unhashed = { ...boundRecord(record), seq, prev };
  return { ...unhashed, hash: sha256(canonicalEntry(unhashed)) };
}

/** Why a chain does not verify, at the first entry that breaks it. */
export type ChainFault =
  /** The entry's hash is not the hash of its contents: a field was changed. */
  | 'changed'
  /** The sequence jumps: this entry (and maybe more) was deleted; `seq` names the first missing one. */
  | 'missing'
  /** `prev` is not the hash of the entry before: entries were reordered, or one was replaced. */
  | 'out-of-order';

export interface ChainBreak {
  readonly seq: number;
  readonly fault: ChainFault;
  /** An English explanation for operators (the CLI prints it beside the problem code). */
  readonly reason: string;
}

/** Where a run of entries continues from: the last verified entry (or the genesis). */
export interface ChainPoint {
  readonly seq: number;
  readonly hash: string;
}

export const CHAIN_START: ChainPoint = { seq: 0, hash: GENESIS };

export type ChainVerdict =
  | { readonly ok: true; readonly checked: number; readonly last: ChainPoint }
  | { readonly ok: false; readonly checked: number; readonly broken: ChainBreak };

/**
 * Verifies a run of entries in the order given, continuing after `from` (the genesis by default;
 * pass the last point of the previous page to verify a long log page by page). Per entry, in this
 * order: its seq follows the previous one; its `prev` is the previous hash; its hash is the hash of
 * its contents. Stops at the first entry that breaks the chain.
 */
export async function verifyChain(
  entries: readonly AuditEntry[],
  sha256: Sha256,
  from: ChainPoint = CHAIN_START,
): Promise<ChainVerdict> {
  let last = from;
  let checked = 0;
  for (const entry of entries) {
    const expected = last.seq + 1;
    if (entry.seq > expected) {
      const gap =
        entry.seq - 1 === expected ? `entry ${expected} is` : `entries ${expected}–${entry.seq - 1} are`;
      return broken(checked, expected, 'missing', `${gap} missing (deleted) before entry ${entry.seq}`);
    }
    if (entry.seq < expected) {
      return broken(checked, expected, 'out-of-order', `entry ${entry.seq} appears where ${expected} should`);
    }
    if (entry.prev !== last.hash) {
      return broken(
        checked,
        entry.seq,
        'out-of-order',
        `its prev is not the hash of entry ${last.seq} (entries reordered or replaced)`,
      );
    }
    const { hash, ...unhashed } = entry;
    if ((await sha256(canonicalEntry(unhashed))) !== hash) {
      return broken(
        checked,
        entry.seq,
        'changed',
        'its hash does not match its contents (a field was changed)',
      );
    }
    last = { seq: entry.seq, hash };
    checked++;
  }
  return { ok: true, checked, last };
}

function broken(checked: number, seq: number, fault: ChainFault, reason: string): ChainVerdict {
  return { ok: false, checked, broken: { seq, fault, reason } };
}
