import { expect, it } from 'vitest';
import { sha256Hex } from '../../../src/envelope/digest.js';
import { verifyChain } from '../../../src/store/audit-chain.js';
import type { Store } from '../../../src/store/port.js';
import { DAY, dead, dummyReceipt, inbound, lease, outbound, uid, window, worker } from './fixtures.js';

/** The store conformance suite: retention. */
export function retentionSuite(connect: () => Promise<Store>): void {
  it('removes payloads after retention once nothing is left to deliver, keeping digests and the log', async () => {
    const store = await connect();
    const t = window();
    const caseNumber = `湖环罚〔2026〕${uid()}`;
    const canonical = { case: { caseNumber, cause: '超标排放' } };
    const done = outbound(t, ['320500'], { domain: 'pollution', canonical, caseNumber });
    const pending = outbound(t, ['320500'], { domain: 'pollution' });
    const young = outbound(t + 3 * DAY, ['320500'], { domain: 'pollution' });
    const other = outbound(t, ['320500'], { domain: 'road-transport' });
    for (const m of [done, pending, other]) await store.submitOutbound(m, t);
    await store.submitOutbound(young, t + 3 * DAY);
    const claims = await store.claimDeliveries(worker('w', 10), t + 3 * DAY);
    for (const c of claims) {
      if (c.messageId === done.messageId || c.messageId === other.messageId)
        await store.completeDelivery(lease(c), { kind: 'delivered', receipt: dummyReceipt }, t + 3 * DAY);
      if (c.messageId === young.messageId) await store.completeDelivery(lease(c), dead, t + 3 * DAY);
    }
    const delivered = inbound(t, [], { domain: 'pollution', canonical, caseNumber });
    const waiting = inbound(t, [{ localSystem: `pull-${uid()}`, mode: 'pull', body: { waiting: true } }], {
      domain: 'pollution',
    });
    await store.receiveInbound(delivered, t);
    await store.receiveInbound(waiting, t);
    const logBefore = await store.readAudit();

    const now = t + 4 * DAY;
    const outcome = await store.purgePayloads({ pollution: now - 2 * DAY }, now);
    expect(outcome).toEqual({ outbound: 1, inbound: 1, blobs: [] });
    const purged = await store.getOutbound(done.messageId);
    expect(purged).toMatchObject({ token: '', sha256: done.sha256, purgedAt: now });
    expect(purged?.deliveries[0]?.receipt?.sha256).toBe(dummyReceipt.sha256);
    for (const kept of [pending, young, other]) {
      const view = await store.getOutbound(kept.messageId);
      expect(view?.token).toBe(kept.token);
      expect(view?.purgedAt).toBeUndefined();
    }
    expect(await store.getInbound(delivered.iss, delivered.jti)).toMatchObject({
      token: '',
      sha256: delivered.sha256,
      receiptToken: delivered.receipt.token,
      purgedAt: now,
    });
    expect((await store.getInbound(waiting.iss, waiting.jti))?.token).toBe(waiting.token);
    // A retry of the same bytes still gets its receipt: the digest is kept.
    expect(await store.receiveInbound(delivered, now)).toEqual({
      status: 'duplicate',
      receiptToken: delivered.receipt.token,
    });
    expect(await store.readAudit({ limit: logBefore.length })).toEqual(logBefore);
    expect(await verifyChain(await store.readAudit(), sha256Hex)).toMatchObject({ ok: true });
    expect(await store.purgePayloads({ pollution: now - 2 * DAY }, now + 1)).toEqual({
      outbound: 0,
      inbound: 0,
      blobs: [],
    });
    // The case number outlives the body it came from: both messages are still found by it.
    const found = await store.searchMessages({ caseNumber });
    expect(found.map((m) => m.messageId).sort()).toEqual([done.messageId, delivered.jti].sort());
    expect(found.map((m) => m.caseNumber)).toEqual([caseNumber, caseNumber]);
  });

  it('does not requeue a delivery whose payload was removed', async () => {
    const store = await connect();
    const t = window();
    const message = outbound(t, [`gone-${uid()}`], { domain: 'ip-protection' });
    await store.submitOutbound(message, t);
    const [claim] = (await store.claimDeliveries(worker('w', 10), t)).filter(
      (c) => c.messageId === message.messageId,
    );
    await store.completeDelivery(lease(claim), dead, t);
    await store.purgePayloads({ 'ip-protection': t + 1 }, t + 2);
    expect(await store.requeueDelivery(claim?.id ?? '', t + 3)).toBe(false);
  });
}
