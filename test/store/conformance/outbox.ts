import { expect, it } from 'vitest';
import type { Store } from '../../../src/store/port.js';
import { dummyReceipt, HOUR, lease, openThread, outbound, uid, window, worker } from './fixtures.js';

/** The store conformance suite: the outbox: submissions, idempotency keys and history. */
export function outboxSuite(connect: () => Promise<Store>): void {
  it('stores a submitted message with one queued delivery per recipient and its history', async () => {
    const store = await connect();
    const t = window();
    const input = outbound(t, ['320500', '310000', '320500'], { inReplyTo: 'earlier' });
    expect(await store.submitOutbound(input, t)).toEqual({ status: 'stored', messageId: input.messageId });
    const view = await store.getOutbound(input.messageId);
    expect(view).toMatchObject({
      messageId: input.messageId,
      localSystem: input.localSystem,
      type: input.type,
      domain: input.domain,
      contract: input.contract,
      thread: input.thread,
      inReplyTo: 'earlier',
      token: input.token,
      sha256: input.sha256,
      createdAt: t,
      expiresAt: input.expiresAt,
    });
    const deliveries = view?.deliveries ?? [];
    expect(deliveries.map((d) => d.recipient).sort()).toEqual(['310000', '320500']);
    for (const d of deliveries) {
      expect(d).toMatchObject({ status: 'queued', attempts: 0, nextAttemptAt: t });
      expect(d.receipt).toBeUndefined();
      expect(d.rejection).toBeUndefined();
    }
    expect(new Set(deliveries.map((d) => d.deliveryId)).size).toBe(2);
    expect(view?.events.map((e) => [e.event, e.at])).toEqual([
      ['submitted', t],
      ['sealed', t],
    ]);
    expect(await store.getOutbound(`missing-${uid()}`)).toBeUndefined();
  });

  it('replays the same idempotency key and digest, and refuses another digest writing nothing', async () => {
    const store = await connect();
    const t = window();
    const key = { key: uid(), requestSha256: 'digest-a' };
    const first = outbound(t, ['320500'], { idempotency: key });
    expect(await store.findIdempotencyKey(first.localSystem, key.key)).toBeUndefined();
    expect(await store.submitOutbound(first, t)).toEqual({ status: 'stored', messageId: first.messageId });
    expect(await store.findIdempotencyKey(first.localSystem, key.key)).toEqual({
      messageId: first.messageId,
      requestSha256: 'digest-a',
    });
    expect(await store.findIdempotencyKey(`other-${uid()}`, key.key)).toBeUndefined();
    const again = outbound(t + 1000, ['320500'], { idempotency: key, localSystem: first.localSystem });
    expect(await store.submitOutbound(again, t + 1000)).toEqual({
      status: 'replayed',
      messageId: first.messageId,
    });
    const other = outbound(t + 2000, ['320500'], {
      idempotency: { key: key.key, requestSha256: 'digest-b' },
      localSystem: first.localSystem,
      threadChange: openThread(uid(), '320500', uid(), t + HOUR),
    });
    expect(await store.submitOutbound(other, t + 2000)).toEqual({ status: 'conflict' });
    expect(await store.getOutbound(again.messageId)).toBeUndefined();
    expect(await store.getOutbound(other.messageId)).toBeUndefined();
    expect(await store.getThread(other.threadChange?.threadId ?? '')).toBeUndefined();
    const firstView = await store.getOutbound(first.messageId);
    expect(firstView?.deliveries).toHaveLength(1);
    expect(firstView?.events).toHaveLength(2);
    // The key belongs to one local system; another may use the same key.
    const elsewhere = outbound(t, ['320500'], { idempotency: key });
    expect(await store.submitOutbound(elsewhere, t)).toEqual({
      status: 'stored',
      messageId: elsewhere.messageId,
    });
  });

  it('resolves concurrent submissions under one idempotency key to one message', async () => {
    const [a, b] = [await connect(), await connect()];
    const t = window();
    const key = { key: uid(), requestSha256: 'digest' };
    const one = outbound(t, ['320500'], { idempotency: key });
    const two = outbound(t, ['320500'], { idempotency: key, localSystem: one.localSystem });
    const outcomes = await Promise.all([a.submitOutbound(one, t), b.submitOutbound(two, t)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['replayed', 'stored']);
    const ids = outcomes.map((o) => ('messageId' in o ? o.messageId : undefined));
    expect(ids[0]).toBe(ids[1]);
  });

  it('records the history of a message in order', async () => {
    const store = await connect();
    const t = window();
    const input = outbound(t, ['320500']);
    await store.submitOutbound(input, t);
    const [first] = await store.claimDeliveries(worker('w', 1), t + 1);
    await store.completeDelivery(
      lease(first),
      { kind: 'retry', nextAttemptAt: t + 10, error: 'timeout' },
      t + 2,
    );
    const [second] = await store.claimDeliveries(worker('w', 1), t + 10);
    await store.completeDelivery(lease(second), { kind: 'dead', error: 'budget spent' }, t + 11);
    await store.requeueDelivery(lease(second).id, t + 20);
    const [third] = await store.claimDeliveries(worker('w', 1), t + 21);
    await store.completeDelivery(lease(third), { kind: 'delivered', receipt: dummyReceipt }, t + 22);
    const events = (await store.getOutbound(input.messageId))?.events ?? [];
    expect(events.map((e) => [e.event, e.at])).toEqual([
      ['submitted', t],
      ['sealed', t],
      ['sending', t + 1],
      ['retry', t + 2],
      ['sending', t + 10],
      ['dead', t + 11],
      ['requeued', t + 20],
      ['sending', t + 21],
      ['receipt-verified', t + 22],
      ['delivered', t + 22],
    ]);
    expect(events.slice(2).every((e) => e.recipient === '320500')).toBe(true);
    expect(events.find((e) => e.event === 'retry')?.detail).toBe('timeout');
  });
}
