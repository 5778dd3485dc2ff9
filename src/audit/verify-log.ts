import type { Sha256 } from '../envelope/digest.js';
import {
  CHAIN_START,
  type ChainBreak,
  type ChainPoint,
  type DigestRun,
  joinDigestRuns,
  verifyChain,
} from '../store/audit-chain.js';
import type { AuditStore } from '../store/port.js';
import { type KindTally, tallyKinds } from './kinds.js';

/** The outcome of verifying a whole stored audit log. */
export type LogVerdict =
  | {
      readonly ok: true;
      readonly entries: number;
      readonly head: ChainPoint;
      /** The digest algorithms of the log, run by run: each new run starts at a mark. */
      readonly digests: readonly DigestRun[];
      /** How many entries of each kind (`files-receipt-out` …), in the order of `AUDIT_KINDS`. */
      readonly kinds: KindTally;
    }
  | { readonly ok: false; readonly checked: number; readonly broken: ChainBreak };

/** Why a chain breaks, in 简体中文 (the English reason comes with the break). */
export const CHAIN_FAULT_ZH: Record<ChainBreak['fault'], string> = {
  changed: '该条记录的哈希与其内容不符（字段被修改）',
  missing: '此前的记录缺失（被删除）',
  'out-of-order': '其 prev 不是上一条记录的哈希（记录被调换顺序或替换）',
  algorithm:
    '其摘要算法与上一条记录不同，却不是算法变更标记，或标记所写的变更与实际不符（记录被改用另一算法重新计算）',
};

/** Entries read and checked per page, so that a long log never sits in memory at once. */
export const AUDIT_PAGE = 10_000;

/**
 * Verifies the whole audit log of a store, page by page from the first entry, and then that no entry
 * was deleted from its end (the store's high-water mark). `yrdx audit verify` and the console's audit
 * page both verify the log this way.
 */
export async function verifyStoredLog(
  store: AuditStore,
  sha256: Sha256,
  options: { readonly pageSize?: number; readonly onPage?: (checked: number) => void } = {},
): Promise<LogVerdict> {
  const size = options.pageSize ?? AUDIT_PAGE;
  let point: ChainPoint = CHAIN_START;
  let digests: DigestRun[] = [];
  let kinds: KindTally = [];
  for (;;) {
    const page = await store.readAudit({ fromSeq: point.seq + 1, limit: size });
    if (page.length === 0) break;
    const verdict = await verifyChain(page, sha256, point);
    if (!verdict.ok) return { ok: false, checked: point.seq + verdict.checked, broken: verdict.broken };
    point = verdict.last;
    digests = joinDigestRuns(digests, verdict.digests);
    kinds = tallyKinds(kinds, page);
    if (page.length === size) options.onPage?.(point.seq);
    // A gap at the start of the next page shows up as `missing` in its first entry.
    if (page.length < size) break;
  }
  const highWater = await store.auditHighWater();
  if (highWater > point.seq) {
    return {
      ok: false,
      checked: point.seq,
      broken: {
        seq: point.seq + 1,
        fault: 'missing',
        reason: `entries ${point.seq + 1}–${highWater} were deleted from the end of the log`,
      },
    };
  }
  return { ok: true, entries: point.seq, head: point, digests, kinds };
}
