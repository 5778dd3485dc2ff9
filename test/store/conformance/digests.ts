import { expect, it } from 'vitest';
import { sha256Hex, sm3Digest } from '../../../src/envelope/digest.js';
import { DIGEST_CHANGED, verifyChain } from '../../../src/store/audit-chain.js';
import type { Store } from '../../../src/store/port.js';
import { inbound, outbound, uid, window } from './fixtures.js';

/** Opens another instance of the adapter on the same database, chaining with `digest` (kept form). */
export type ConnectWith = (digest: (text: string) => string) => Promise<Store>;

/**
 * The store conformance suite: a node that changes `cryptoProfile` (SHA-256 → SM3 → SHA-256) on the
 * same database. The log changes algorithm only at marks and verifies whole; a retry of the same
 * bytes stays a duplicate across the change, other bytes stay a conflict. Ends with a SHA-256 head,
 * as the other cases of the suite expect.
 */
export function digestSuite(connect: () => Promise<Store>, connectWith: ConnectWith): void {
  it('changes digest algorithm at a marked entry, and the whole log verifies across both changes', async () => {
    const sha = await connect();
    const gm = await connectWith(sm3Digest);
    const t = window();
    const admin = (actor: string) =>
      ({ kind: 'admin', actor, action: 'GET /admin/v1/audit', outcome: 'allowed', status: 200 }) as const;
    const before = await sha.appendAudit(admin('before'), t);
    expect(before.hash).toMatch(/^[0-9a-f]{64}$/);
    const after = await gm.appendAudit(admin('after'), t + 1);
    const again = await gm.appendAudit(admin('again'), t + 2);
    expect(after.hash).toMatch(/^sm3:[0-9a-f]{64}$/);
    const [mark] = await gm.readAudit({ fromSeq: before.seq + 1, limit: 1 });
    expect(mark).toMatchObject({
      seq: before.seq + 1,
      kind: 'admin',
      action: DIGEST_CHANGED,
      detail: 'SHA-256 -> SM3',
      prev: before.hash,
      at: t + 1,
    });
    expect(mark?.hash).toMatch(/^sm3:/);
    expect(after).toMatchObject({ seq: before.seq + 2, prev: mark?.hash });
    expect(again.prev).toBe(after.hash);

    const back = await sha.appendAudit(admin('back'), t + 3);
    const [markBack] = await sha.readAudit({ fromSeq: again.seq + 1, limit: 1 });
    expect(markBack).toMatchObject({ action: DIGEST_CHANGED, detail: 'SM3 -> SHA-256', prev: again.hash });
    expect(back).toMatchObject({ seq: again.seq + 2, prev: markBack?.hash });
    expect(back.hash).toMatch(/^[0-9a-f]{64}$/);

    const all = await sha.readAudit();
    const verdict = await verifyChain(all, sha256Hex);
    expect(verdict).toMatchObject({ ok: true, checked: all.length });
    if (!verdict.ok) return;
    expect(verdict.digests.slice(-3)).toEqual([
      { algorithm: 'SHA-256', first: expect.any(Number), last: before.seq },
      { algorithm: 'SM3', first: before.seq + 1, last: again.seq },
      { algorithm: 'SHA-256', first: again.seq + 1, last: back.seq },
    ]);
  });

  it('answers a retry of the same bytes as a duplicate, and a replay as such, across a profile change', async () => {
    const sha = await connect();
    const gm = await connectWith(sm3Digest);
    const t = window();
    const token = `header.${uid()}.signature`;
    const received = inbound(t, [], {
      token,
      sha256: await sha256Hex(token),
      receipt: { token: 'receipt.one', sha256: await sha256Hex('receipt.one') },
    });
    expect(await sha.receiveInbound(received, t)).toEqual({ status: 'stored' });
    // The same message received again after the node switched to SM3: its digest is now `sm3:…`.
    const retry = {
      ...received,
      sha256: sm3Digest(token),
      receipt: { token: 'receipt.two', sha256: sm3Digest('receipt.two') },
    };
    expect(await gm.receiveInbound(retry, t + 1)).toEqual({
      status: 'duplicate',
      receiptToken: 'receipt.one',
    });
    const other = { ...retry, token: `${token}x`, sha256: sm3Digest(`${token}x`) };
    expect(await gm.receiveInbound(other, t + 2)).toEqual({ status: 'conflict' });
    // Another digest of the stored one's algorithm: a conflict without digesting anything.
    expect(await gm.receiveInbound({ ...retry, sha256: 'f'.repeat(64) }, t + 2)).toEqual({
      status: 'conflict',
    });

    const body = JSON.stringify({ to: '320500', note: uid() });
    const key = { key: uid(), requestSha256: await sha256Hex(body), requestBody: body };
    const first = outbound(t, ['320500'], { idempotency: key });
    expect(await sha.submitOutbound(first, t)).toMatchObject({ status: 'stored' });
    const replay = outbound(t, ['320500'], {
      localSystem: first.localSystem,
      idempotency: { key: key.key, requestSha256: sm3Digest(body), requestBody: body },
    });
    expect(await gm.submitOutbound(replay, t + 1)).toEqual({
      status: 'replayed',
      messageId: first.messageId,
    });
    const changed = `${body} `;
    const conflicting = outbound(t, ['320500'], {
      localSystem: first.localSystem,
      idempotency: { key: key.key, requestSha256: sm3Digest(changed), requestBody: changed },
    });
    expect(await gm.submitOutbound(conflicting, t + 1)).toEqual({ status: 'conflict' });
    // Back to a SHA-256 head for the cases that follow.
    await sha.appendAudit(
      { kind: 'admin', actor: 'x', action: 'GET /admin/v1/audit', outcome: 'allowed' },
      t,
    );
    expect(await verifyChain(await sha.readAudit(), sha256Hex)).toMatchObject({ ok: true });
  });
}
