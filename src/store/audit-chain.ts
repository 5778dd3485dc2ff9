import {
  type DigestAlgorithm,
  digestAlgorithmOf,
  type Sha256,
  sha256Hex,
  sm3Digest,
} from '../envelope/digest.js';
import type { AdminRole } from '../vocabulary/roles.js';
import { boundRecord } from './audit-bounds.js';

/** What an audit entry records: a message or receipt that went in or out, or an admin action. */
export type AuditKind =
  | 'message-out'
  | 'message-in'
  | 'receipt-out'
  | 'receipt-in'
  | 'files-receipt-out'
  | 'files-receipt-in'
  | 'admin';

export const AUDIT_KINDS: readonly AuditKind[] = [
  'message-out',
  'message-in',
  'receipt-out',
  'receipt-in',
  'files-receipt-out',
  'files-receipt-in',
  'admin',
];

/**
 * What is appended to the audit log. Messages and receipts are recorded by the digest of their
 * compact JWS bytes (SHA-256, or SM3 under the national profile), never by their payload: the payload may be removed after its retention while
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
  /** The digest of the exact JWS bytes (message or receipt), in the kept form (envelope/digest.ts). */
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
  /**
   * The digest of `canonicalEntry(this)` in the kept form, which names its algorithm: 64 hex digits
   * for SHA-256, `sm3:` and 64 hex digits for SM3.
   */
  readonly hash: string;
}

/** The `prev` of the first entry. */
export const GENESIS = '0'.repeat(64);

/**
 * Marks the serialisation, so that a future layout can never be confused with this one. The tag also
 * names the digest algorithm (domain separation): the bytes an SM3 entry is hashed over are never the
 * bytes of a SHA-256 entry, so an entry cannot be moved from one algorithm's form to the other's.
 * SHA-256 keeps the tag it had before the national profile, so existing logs keep verifying.
 */
const FORMATS: Readonly<Record<DigestAlgorithm, string>> = {
  'SHA-256': 'yrdx-audit/1',
  SM3: 'yrdx-audit/1+sm3',
};

/**
 * The bytes an entry's hash is taken over: a JSON array with the format tag of the algorithm, every
 * field in a fixed order, absent fields as `null`, and `prev` last. JSON strings are escaped and
 * delimited, so no two different entries serialise to the same text.
 */
export function canonicalEntry(
  entry: Omit<AuditEntry, 'hash'>,
  algorithm: DigestAlgorithm = 'SHA-256',
): string {
  return JSON.stringify([
    FORMATS[algorithm],
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

/** The algorithm of a digest function, read from what it returns (the kept form names it). */
const algorithms = new WeakMap<(text: string) => string, DigestAlgorithm>();
export function digesterAlgorithm(digest: (text: string) => string): DigestAlgorithm {
  let algorithm = algorithms.get(digest);
  if (algorithm === undefined) {
    algorithm = digestAlgorithmOf(digest(''));
    if (algorithm === undefined) throw new Error('the audit digest does not return a kept digest');
    algorithms.set(digest, algorithm);
  }
  return algorithm;
}

/**
 * Chains a record after the entry `(seq - 1, prev)` with a synchronous digest in the kept form
 * (inside a store unit); the entry's algorithm is the digest's. Its text fields are cut to their
 * bounds first (see ./bounds.ts): what is hashed is what is kept.
 */
export function chainEntry(
  record: AuditRecord,
  seq: number,
  prev: string,
  digest: (text: string) => string,
): AuditEntry {
  const unhashed = { ...boundRecord(record), seq, prev };
  return { ...unhashed, hash: digest(canonicalEntry(unhashed, digesterAlgorithm(digest))) };
}

/** The `action` of the admin entry that marks where the log changes digest algorithm. */
export const DIGEST_CHANGED = 'audit.digest-changed';

/** The `detail` of a mark: the algorithm of the entry before, then the mark's own. */
export function digestChangeDetail(from: DigestAlgorithm, to: DigestAlgorithm): string {
  return `${from} -> ${to}`;
}

/**
 * The mark a store appends before its first entry under another algorithm than the head's (a node
 * restarted with another `cryptoProfile`, or an instance of the other profile during a rolling
 * change): an `admin` entry, itself chained under the new algorithm, that names both. Undefined when
 * no mark is due: an empty log, or the same algorithm.
 */
export function digestChangeMark(
  head: ChainPoint,
  algorithm: DigestAlgorithm,
  at: number,
): AuditRecord | undefined {
  const from = head.seq === 0 ? undefined : digestAlgorithmOf(head.hash);
  if (from === undefined || from === algorithm) return undefined;
  return {
    at,
    kind: 'admin',
    actor: 'yrdx',
    action: DIGEST_CHANGED,
    outcome: 'allowed',
    detail: digestChangeDetail(from, algorithm),
  };
}

/**
 * Chains records after `head` with a synchronous digest, the mark of an algorithm change first when
 * one is due. Every store's unit appends through this (D1 through its own asynchronous loop).
 */
export function chainAfter(
  head: ChainPoint,
  records: readonly AuditRecord[],
  digest: (text: string) => string,
): AuditEntry[] {
  const first = records[0];
  if (first === undefined) return [];
  const mark = digestChangeMark(head, digesterAlgorithm(digest), first.at);
  const entries: AuditEntry[] = [];
  let { seq, hash } = head.seq === 0 ? CHAIN_START : head;
  for (const record of mark === undefined ? records : [mark, ...records]) {
    const entry = chainEntry(record, ++seq, hash, digest);
    entries.push(entry);
    hash = entry.hash;
  }
  return entries;
}

/** Why a chain does not verify, at the first entry that breaks it. */
export type ChainFault =
  /** The entry's hash is not the hash of its contents: a field was changed. */
  | 'changed'
  /** The sequence jumps: this entry (and maybe more) was deleted; `seq` names the first missing one. */
  | 'missing'
  /** `prev` is not the hash of the entry before: entries were reordered, or one was replaced. */
  | 'out-of-order'
  /**
   * The entry's digest algorithm differs from the entry before's and it is not the mark of that
   * change, or a mark names another change than the one it stands at: an entry was re-hashed under
   * another algorithm.
   */
  | 'algorithm';

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

/** The prev of the first entry. */
export const CHAIN_START: ChainPoint = { seq: 0, hash: GENESIS };

/** A run of consecutive entries hashed under one algorithm (`first`–`last`, inclusive). */
export interface DigestRun {
  readonly algorithm: DigestAlgorithm;
  readonly first: number;
  readonly last: number;
}

export type ChainVerdict =
  | {
      readonly ok: true;
      readonly checked: number;
      readonly last: ChainPoint;
      /** The algorithms of the entries checked, run by run; a new run starts at a mark. */
      readonly digests: readonly DigestRun[];
    }
  | { readonly ok: false; readonly checked: number; readonly broken: ChainBreak };

/**
 * Verifies a run of entries in the order given, continuing after `from` (the genesis by default;
 * pass the last point of the previous page to verify a long log page by page). Per entry, in this
 * order: its seq follows the previous one; its `prev` is the previous hash; its algorithm (the one its
 * hash names) is the previous entry's, or it is the mark of the change; its hash is the digest of its
 * contents by that algorithm. Stops at the first entry that breaks the chain. `sha256` is the
 * SHA-256 to use (Web Crypto's by default); SM3 is always the JavaScript one.
 */
export async function verifyChain(
  entries: readonly AuditEntry[],
  sha256: Sha256 = sha256Hex,
  from: ChainPoint = CHAIN_START,
): Promise<ChainVerdict> {
  let last = from;
  let checked = 0;
  const digests: DigestRun[] = [];
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
    const algorithm = digestAlgorithmOf(hash);
    if (algorithm === undefined)
      return broken(
        checked,
        entry.seq,
        'changed',
        'its hash is not a digest yrdx keeps (a field was changed)',
      );
    const before = last.seq === 0 ? undefined : digestAlgorithmOf(last.hash);
    const fault = markFault(entry, before, algorithm);
    if (fault !== undefined) return broken(checked, entry.seq, 'algorithm', fault);
    const canonical = canonicalEntry(unhashed, algorithm);
    const actual = algorithm === 'SM3' ? sm3Digest(canonical) : await sha256(canonical);
    if (actual !== hash) {
      return broken(
        checked,
        entry.seq,
        'changed',
        'its hash does not match its contents (a field was changed)',
      );
    }
    const run = digests.at(-1);
    if (run?.algorithm === algorithm) digests[digests.length - 1] = { ...run, last: entry.seq };
    else digests.push({ algorithm, first: entry.seq, last: entry.seq });
    last = { seq: entry.seq, hash };
    checked++;
  }
  return { ok: true, checked, last, digests };
}

/**
 * Why an entry breaks the rule of algorithm changes, or undefined: the algorithm may change only at
 * a mark, and a mark must name the change it stands at (`before` undefined: the first entry, any
 * algorithm, and a mark there would name no change).
 */
function markFault(
  entry: AuditEntry,
  before: DigestAlgorithm | undefined,
  algorithm: DigestAlgorithm,
): string | undefined {
  const isMark = entry.kind === 'admin' && entry.action === DIGEST_CHANGED;
  if (before === undefined || before === algorithm) {
    return isMark ? 'it marks a change of digest algorithm where there is none' : undefined;
  }
  if (!isMark)
    return `its digest algorithm (${algorithm}) is not that of the entry before (${before}) and it is not the mark of a change`;
  if (entry.detail !== digestChangeDetail(before, algorithm))
    return `it marks another change of digest algorithm than ${before} to ${algorithm}`;
  return undefined;
}

function broken(checked: number, seq: number, fault: ChainFault, reason: string): ChainVerdict {
  return { ok: false, checked, broken: { seq, fault, reason } };
}

/** Joins the algorithm runs of consecutive pages of one log. */
export function joinDigestRuns(runs: readonly DigestRun[], more: readonly DigestRun[]): DigestRun[] {
  const out = [...runs];
  for (const run of more) {
    const tail = out.at(-1);
    if (tail !== undefined && tail.algorithm === run.algorithm && tail.last + 1 === run.first)
      out[out.length - 1] = { ...tail, last: run.last };
    else out.push(run);
  }
  return out;
}
