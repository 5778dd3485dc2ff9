import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/envelope/digest.js';
import { nodeSha256 } from '../../src/runtime/node/sha256.js';
import {
  type AuditEntry,
  type AuditRecord,
  canonicalEntry,
  chainEntry,
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
    const verdict = { ok: true, checked: 5, last: { seq: 5, hash: entries[4]?.hash } };
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
