import { expect, it } from 'vitest';
import type { Store } from '../../../src/store/port.js';
import { dummyReceipt, inbound, lease, outbound, uid, window, worker } from './fixtures.js';

/** The store conformance suite: migrating, and what outlives closing the store. */
export function lifecycleSuite(connect: () => Promise<Store>): void {
  it('migrates twice without harm', async () => {
    const store = await connect();
    await store.migrate();
    const t = window();
    const input = outbound(t, ['320500']);
    expect(await store.submitOutbound(input, t)).toEqual({ status: 'stored', messageId: input.messageId });
    await store.migrate();
    expect(await store.getOutbound(input.messageId)).toBeDefined();
  });

  it('keeps everything across closing and reopening the store', async () => {
    const first = await connect();
    const t = window();
    const message = outbound(t, ['320500'], { idempotency: { key: uid(), requestSha256: 'd' } });
    await first.submitOutbound(message, t);
    const [claim] = await first.claimDeliveries(worker('w', 1), t);
    const received = inbound(t, [{ localSystem: `pull-${uid()}`, mode: 'pull', body: { kept: true } }]);
    await first.receiveInbound(received, t);
    const before = await first.getOutbound(message.messageId);
    await first.close();

    const second = await connect();
    expect(await second.getOutbound(message.messageId)).toEqual(before);
    expect(await second.submitOutbound({ ...message, messageId: uid() }, t + 1)).toEqual({
      status: 'replayed',
      messageId: message.messageId,
    });
    expect(await second.receiveInbound(received, t + 1)).toMatchObject({ status: 'duplicate' });
    expect(await second.claimDeliveries(worker('w2', 1), t + 1)).toEqual([]);
    expect(
      await second.completeDelivery(lease(claim), { kind: 'delivered', receipt: dummyReceipt }, t + 2),
    ).toBe(true);
    const local = received.localDeliveries[0]?.localSystem ?? '';
    expect((await second.listPull(local, undefined, 10)).items.map((i) => i.body)).toEqual([{ kept: true }]);
  });
}
