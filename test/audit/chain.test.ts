import { describe, expect, it } from 'vitest';
import { sha256Hex, sm3Digest } from '../../src/envelope/digest.js';
import { nodeSha256 } from '../../src/runtime/node/sha256.js';
import {
  type AuditEntry,
  type AuditRecord,
  CHAIN_START,
  canonicalEntry,
  chainAfter,
  chainEntry,
  DIGEST_CHANGED,
  GENESIS,
  verifyChain,
} from '../../src/store/audit-chain.js';

const records: AuditRecord[] = [
  {
    at: 1,
    kind: 'message-out',
    messageId: 'm1',
    partner: '320500',
    domain: 'food-safety',
    type: 'consultation',
    sha256: 'a'.repeat(64),
  },
  { at: 2, kind: 'receipt-in', messageId: 'm1', partner: '320500', sha256: 'b'.repeat(64) },
  { at: 3, kind: 'message-in', messageId: 'm2', partner: '310000', sha256: 'c'.repeat(64) },
  { at: 4, kind: 'receipt-out', messageId: 'm2', partner: '310000', sha256: 'd'.repeat(64) },
  {
    at: 5,
    kind: 'admin',
    actor: 'key-1',
    role: 'admin',
    action: 'POST /admin/v1/x',
    outcome: 'allowed',
    status: 200,
  },
];

function chain(): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (const r of records) out.push(chainEntry(r, out.length + 1, out.at(-1)?.hash ?? GENESIS, nodeSha256));
  return out;
}

describe('the audit chain', () => {
  it('chains each entry to the one before from the genesis, and verifies with any SHA-256', async () => {
    const entries = chain();
    expect(entries[0]?.prev).toBe(GENESIS);
    expect(entries[1]?.prev).toBe(entries[0]?.hash);
    const verdict = {
      ok: true,
      checked: 5,
      last: { seq: 5, hash: entries[4]?.hash },
      digests: [{ algorithm: 'SHA-256', first: 1, last: 5 }],
    };
    expect(await verifyChain(entries, sha256Hex)).toEqual(verdict);
    expect(await verifyChain(entries, nodeSha256)).toEqual(verdict);
    // Page by page: the second page continues from the last point of the first.
    const first = await verifyChain(entries.slice(0, 2), nodeSha256);
    expect(first.ok && (await verifyChain(entries.slice(2), nodeSha256, first.last))).toMatchObject({
      ok: true,
    });
  });

  it('serialises without ambiguity: moving text between fields changes the hash', () => {
    const base = { seq: 1, at: 1, kind: 'admin', prev: GENESIS } as const;
    const a = canonicalEntry({ ...base, actor: 'a,b', action: 'c' });
    const b = canonicalEntry({ ...base, actor: 'a', action: 'b,c' });
    const c = canonicalEntry({ ...base, actor: 'a', detail: 'null' });
    const d = canonicalEntry({ ...base, actor: 'a' });
    expect(new Set([a, b, c, d]).size).toBe(4);
  });

  const cases: [string, (e: AuditEntry[]) => AuditEntry[], { seq: number; fault: string }][] = [
    [
      'a changed field',
      (e) => e.map((x) => (x.seq === 3 ? { ...x, sha256: 'e'.repeat(64) } : x)),
      { seq: 3, fault: 'changed' },
    ],
    [
      'a changed time',
      (e) => e.map((x) => (x.seq === 2 ? { ...x, at: 99 } : x)),
      { seq: 2, fault: 'changed' },
    ],
    [
      'an added field',
      (e) => e.map((x) => (x.seq === 5 ? { ...x, detail: 'hidden' } : x)),
      { seq: 5, fault: 'changed' },
    ],
    ['a deleted entry', (e) => e.filter((x) => x.seq !== 2), { seq: 2, fault: 'missing' }],
    ['two deleted entries', (e) => e.filter((x) => x.seq !== 2 && x.seq !== 3), { seq: 2, fault: 'missing' }],
    ['a deleted first entry', (e) => e.slice(1), { seq: 1, fault: 'missing' }],
    [
      'two entries swapped with their seq',
      (e) => [e[0]!, { ...e[2]!, seq: 2 }, { ...e[1]!, seq: 3 }, ...e.slice(3)],
      { seq: 2, fault: 'out-of-order' },
    ],
    // Listed out of order (as in an edited bundle): entry 2 is not where it should be.
    [
      'two entries listed in the wrong order',
      (e) => [e[0]!, e[2]!, e[1]!, ...e.slice(3)],
      { seq: 2, fault: 'missing' },
    ],
    [
      'a changed entry whose hash was recomputed',
      (e) => {
        const forged = chainEntry({ ...records[1]!, partner: '999999' }, 2, e[0]!.hash, nodeSha256);
        return [e[0]!, forged, ...e.slice(2)];
      },
      { seq: 3, fault: 'out-of-order' },
    ],
  ];
  for (const [what, tamper, expected] of cases) {
    it(`names the first broken entry after ${what}`, async () => {
      const verdict = await verifyChain(tamper(chain()), nodeSha256);
      expect(verdict.ok).toBe(false);
      expect(!verdict.ok && verdict.broken).toMatchObject(expected);
    });
  }
});

/** Records 1–3 chained under SHA-256, then 4–5 under SM3 after the mark: six entries, the mark at 4. */
function changing(): AuditEntry[] {
  const first = chainAfter(CHAIN_START, records.slice(0, 3), nodeSha256);
  const last = first.at(-1)!;
  return [...first, ...chainAfter(last, records.slice(3), sm3Digest)];
}

/** An entry re-hashed as its contents are, under SHA-256 (as a forger moving it to the other form would). */
const asSha256 = (e: AuditEntry): AuditEntry => {
  const { hash: _, ...unhashed } = e;
  return { ...e, hash: nodeSha256(canonicalEntry(unhashed, 'SHA-256')) };
};

describe('an audit chain that changes digest algorithm', () => {
  it('marks the first entry of the new algorithm, and verifies each entry by the algorithm its hash names', async () => {
    const entries = changing();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    const mark = entries[3]!;
    expect(mark).toMatchObject({
      kind: 'admin',
      action: DIGEST_CHANGED,
      detail: 'SHA-256 -> SM3',
      prev: entries[2]!.hash,
    });
    expect(entries.slice(0, 3).every((e) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
    expect(entries.slice(3).every((e) => /^sm3:[0-9a-f]{64}$/.test(e.hash))).toBe(true);
    for (const sha of [sha256Hex, nodeSha256]) {
      expect(await verifyChain(entries, sha)).toEqual({
        ok: true,
        checked: 6,
        last: { seq: 6, hash: entries[5]!.hash },
        digests: [
          { algorithm: 'SHA-256', first: 1, last: 3 },
          { algorithm: 'SM3', first: 4, last: 6 },
        ],
      });
    }
    // Page by page across the change.
    const head = await verifyChain(entries.slice(0, 3), nodeSha256);
    expect(head.ok && (await verifyChain(entries.slice(3), nodeSha256, head.last))).toMatchObject({
      ok: true,
    });
    // A log that starts under SM3 needs no mark.
    expect(await verifyChain(chainAfter(CHAIN_START, records, sm3Digest))).toMatchObject({
      ok: true,
      digests: [{ algorithm: 'SM3', first: 1, last: 5 }],
    });
  });

  it('hashes an SM3 entry over other bytes than a SHA-256 one (the format tag names the algorithm)', () => {
    const entry = { seq: 1, at: 1, kind: 'admin', prev: GENESIS } as const;
    expect(canonicalEntry(entry, 'SM3')).not.toBe(canonicalEntry(entry, 'SHA-256'));
    expect(canonicalEntry(entry)).toBe(canonicalEntry(entry, 'SHA-256'));
    expect(JSON.parse(canonicalEntry(entry))[0]).toBe('yrdx-audit/1');
  });

  const cases: [string, (e: AuditEntry[]) => AuditEntry[], { seq: number; fault: string }][] = [
    [
      'a field changed before the change',
      (e) => e.map((x) => (x.seq === 2 ? { ...x, partner: '999999' } : x)),
      { seq: 2, fault: 'changed' },
    ],
    [
      'a field changed after the change',
      (e) => e.map((x) => (x.seq === 5 ? { ...x, partner: '999999' } : x)),
      { seq: 5, fault: 'changed' },
    ],
    [
      'the last SM3 entry rewritten in SHA-256 form',
      (e) => e.map((x) => (x.seq === 6 ? asSha256(x) : x)),
      { seq: 6, fault: 'algorithm' },
    ],
    [
      'an SM3 entry in the middle rewritten in SHA-256 form',
      (e) => e.map((x) => (x.seq === 5 ? asSha256(x) : x)),
      { seq: 5, fault: 'algorithm' },
    ],
    [
      'an SM3 entry hashed with SHA-256 over its SM3 bytes, named as SM3',
      (e) =>
        e.map((x) => {
          if (x.seq !== 6) return x;
          const { hash: _, ...unhashed } = x;
          return { ...x, hash: `sm3:${nodeSha256(canonicalEntry(unhashed, 'SM3'))}` };
        }),
      { seq: 6, fault: 'changed' },
    ],
    [
      'the mark removed (the next entry renumbered and re-chained under SM3)',
      (e) => {
        const renumbered = chainEntry(records[3]!, 4, e[2]!.hash, sm3Digest);
        return [...e.slice(0, 3), renumbered];
      },
      { seq: 4, fault: 'algorithm' },
    ],
    [
      'the mark naming another change',
      (e) => {
        const forged = chainEntry({ ...e[3]!, detail: 'SM3 -> SHA-256' }, 4, e[2]!.hash, sm3Digest);
        return [...e.slice(0, 3), forged, ...e.slice(4)];
      },
      { seq: 4, fault: 'algorithm' },
    ],
    [
      'the whole SM3 tail rewritten in SHA-256 form, mark included',
      (e) => {
        const out = e.slice(0, 3);
        for (const x of e.slice(3)) out.push(chainEntry(x, x.seq, out.at(-1)!.hash, nodeSha256));
        return out;
      },
      { seq: 4, fault: 'algorithm' },
    ],
    [
      'a mark where the algorithm does not change',
      (e) => {
        const mark = chainEntry({ ...e[3]!, detail: 'SHA-256 -> SHA-256' }, 4, e[2]!.hash, nodeSha256);
        return [...e.slice(0, 3), mark];
      },
      { seq: 4, fault: 'algorithm' },
    ],
    [
      'a hash in no kept form',
      (e) => e.map((x) => (x.seq === 5 ? { ...x, hash: `sha512:${x.hash.slice(4)}` } : x)),
      { seq: 5, fault: 'changed' },
    ],
  ];
  for (const [what, tamper, expected] of cases) {
    it(`names the first broken entry after ${what}`, async () => {
      const verdict = await verifyChain(tamper(changing()), nodeSha256);
      expect(verdict.ok).toBe(false);
      expect(!verdict.ok && verdict.broken).toMatchObject(expected);
    });
  }
});
