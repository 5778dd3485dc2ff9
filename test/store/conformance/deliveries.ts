import { expect, it } from 'vitest';
import type { Store } from '../../../src/store/port.js';
import {
  dead,
  dummyReceipt,
  HOUR,
  inbound,
  LEASE,
  lease,
  MINUTE,
  outbound,
  uid,
  window,
  worker,
} from './fixtures.js';

/** The store conformance suite: the delivery queue: claims, leases, outcomes and requeues. */
export function deliveryQueueSuite(connect: () => Promise<Store>): void {
  it('claims only due deliveries, up to the limit, leaving out excluded recipients', async () => {
    const store = await connect();
    const t = window();
    const input = outbound(
      t,
      ['r1', 'r2', 'r3', 'r4', 'r5'].map((r) => `${r}-${uid()}`),
    );
    await store.submitOutbound(input, t);
    const [r1, r2] = input.recipients as [string, string];
    expect(await store.claimDeliveries(worker('w', 2), t - 1)).toEqual([]);
    expect(await store.claimDeliveries(worker('w', 0), t)).toEqual([]);
    const first = await store.claimDeliveries(worker('w', 2, [r1, r2]), t);
    expect(first).toHaveLength(2);
    expect(first.map((c) => c.recipient)).not.toContain(r1);
    expect(first.map((c) => c.recipient)).not.toContain(r2);
    const claim = first[0];
    expect(claim).toMatchObject({
      messageId: input.messageId,
      token: input.token,
      sha256: input.sha256,
      attempts: 1,
      expiresAt: input.expiresAt,
    });
    const rest = await store.claimDeliveries(worker('w', 10, [r1]), t);
    expect(rest.map((c) => c.recipient)).toHaveLength(2);
    expect(rest.map((c) => c.recipient)).not.toContain(r1);
    const last = await store.claimDeliveries(worker('w', 10), t);
    expect(last.map((c) => c.recipient)).toEqual([r1]);
    expect(await store.claimDeliveries(worker('w', 10), t)).toEqual([]);
    const view = await store.getOutbound(input.messageId);
    expect(view?.deliveries.every((d) => d.status === 'sending' && d.attempts === 1)).toBe(true);
  });

  it('never hands a leased delivery to a second worker before the lease expires', async () => {
    const store = await connect();
    const t = window();
    const input = outbound(t, ['320500']);
    await store.submitOutbound(input, t);
    const [mine] = await store.claimDeliveries(worker('w1', 10), t);
    expect(mine).toBeDefined();
    expect(await store.claimDeliveries(worker('w2', 10), t + 1000)).toEqual([]);
    expect(await store.claimDeliveries(worker('w2', 10), t + LEASE)).toEqual([]);
    const [theirs] = await store.claimDeliveries(worker('w2', 10), t + LEASE + 1);
    expect(theirs).toMatchObject({ id: mine?.id, attempts: 2 });
    expect(theirs?.leaseToken).not.toBe(mine?.leaseToken);
    // The first worker's lease was taken over: it cannot write its (older) outcome.
    const receipt = { token: 'receipt.jws', sha256: 'receipt-digest' };
    expect(await store.completeDelivery(lease(mine), { kind: 'delivered', receipt }, t + LEASE + 2)).toBe(
      false,
    );
    expect(
      await store.completeDelivery({ id: lease(theirs).id, leaseToken: 'forged' }, dead, t + LEASE + 2),
    ).toBe(false);
    expect((await store.getOutbound(input.messageId))?.deliveries[0]?.status).toBe('sending');
    expect(
      await store.completeDelivery(lease(theirs), { kind: 'delivered', receipt }, t + 2 * LEASE + 1),
    ).toBe(true);
    const delivery = (await store.getOutbound(input.messageId))?.deliveries[0];
    expect(delivery).toMatchObject({
      status: 'delivered',
      attempts: 2,
      receipt: { ...receipt, receivedAt: t + 2 * LEASE + 1 },
    });
    expect(await store.claimDeliveries(worker('w3', 10), t + 10 * LEASE)).toEqual([]);
  });

  it('refuses an outcome once the lease has expired, even before anyone took it over', async () => {
    const store = await connect();
    const t = window();
    await store.submitOutbound(outbound(t, ['320500']), t);
    const [claim] = await store.claimDeliveries(worker('w1', 1), t);
    expect(await store.completeDelivery(lease(claim), dead, t + LEASE + 1)).toBe(false);
    const [again] = await store.claimDeliveries(worker('w2', 1), t + LEASE + 1);
    expect(again?.id).toBe(claim?.id);
  });

  it('schedules a retry and claims it again when it is due', async () => {
    const store = await connect();
    const t = window();
    const input = outbound(t, ['320500']);
    await store.submitOutbound(input, t);
    const [claim] = await store.claimDeliveries(worker('w', 1), t);
    const retry = { kind: 'retry', nextAttemptAt: t + MINUTE, error: 'HTTP 503' } as const;
    expect(await store.completeDelivery(lease(claim), retry, t + 1000)).toBe(true);
    expect((await store.getOutbound(input.messageId))?.deliveries[0]).toMatchObject({
      status: 'retry',
      attempts: 1,
      nextAttemptAt: t + MINUTE,
      lastError: 'HTTP 503',
    });
    expect(await store.completeDelivery(lease(claim), retry, t + 2000)).toBe(false);
    expect(await store.claimDeliveries(worker('w', 1), t + MINUTE - 1)).toEqual([]);
    const [next] = await store.claimDeliveries(worker('w', 1), t + MINUTE);
    expect(next).toMatchObject({ id: claim?.id, attempts: 2 });
  });

  it('treats rejected and dead as final, and requeues only dead deliveries', async () => {
    const store = await connect();
    const t = window();
    const input = outbound(t, ['310000', '320500']);
    await store.submitOutbound(input, t);
    const claims = await store.claimDeliveries(worker('w', 2), t);
    const rejected = claims.find((c) => c.recipient === '310000');
    const died = claims.find((c) => c.recipient === '320500');
    const refusal = { kind: 'rejected', status: 422, code: 'document_invalid', detail: 'bad' } as const;
    expect(await store.completeDelivery(lease(rejected), refusal, t + 1)).toBe(true);
    expect(await store.completeDelivery(lease(died), { kind: 'dead', error: 'budget spent' }, t + 1)).toBe(
      true,
    );
    expect(await store.claimDeliveries(worker('w', 10), t + HOUR)).toEqual([]);
    const view = await store.getOutbound(input.messageId);
    const byRecipient = new Map(view?.deliveries.map((d) => [d.recipient, d]));
    expect(byRecipient.get('310000')).toMatchObject({
      status: 'rejected',
      rejection: { status: 422, code: 'document_invalid', detail: 'bad' },
    });
    expect(byRecipient.get('320500')).toMatchObject({ status: 'dead', lastError: 'budget spent' });
    expect(
      await store.completeDelivery(lease(died), { kind: 'delivered', receipt: dummyReceipt }, t + 2),
    ).toBe(false);

    expect(await store.requeueDelivery(lease(rejected).id, t + HOUR)).toBe(false);
    expect(await store.requeueDelivery(`missing-${uid()}`, t + HOUR)).toBe(false);
    expect(await store.requeueDelivery(lease(died).id, t + HOUR)).toBe(true);
    expect(await store.requeueDelivery(lease(died).id, t + HOUR)).toBe(false);
    expect(
      (await store.getOutbound(input.messageId))?.deliveries.find((d) => d.recipient === '320500'),
    ).toMatchObject({ status: 'queued' });
    const [again] = await store.claimDeliveries(worker('w', 10), t + HOUR);
    expect(again?.id).toBe(lease(died).id);
    expect(await store.requeueDelivery(lease(again).id, t + HOUR)).toBe(false);
  });

  it('keeps the receipt of a rejection by receipt, with its history and its receipt-in entry', async () => {
    const store = await connect();
    const t = window();
    const input = outbound(t, ['320500']);
    await store.submitOutbound(input, t);
    const [claim] = await store.claimDeliveries(worker('w', 1), t);
    const refusal = {
      kind: 'rejected',
      status: 200,
      code: 'dialect_unsupported',
      detail: 'rejected in the partner’s signed receipt',
      receipt: dummyReceipt,
    } as const;
    expect(await store.completeDelivery(lease(claim), refusal, t + 1)).toBe(true);
    const view = await store.getOutbound(input.messageId);
    expect(view?.deliveries[0]).toMatchObject({
      status: 'rejected',
      rejection: { status: 200, code: 'dialect_unsupported' },
      receipt: { ...dummyReceipt, receivedAt: t + 1 },
    });
    expect(view?.events.slice(-2).map((e) => [e.event, e.detail])).toEqual([
      ['receipt-verified', dummyReceipt.sha256],
      ['rejected', '200 dialect_unsupported: rejected in the partner’s signed receipt'],
    ]);
    const entries = await store.auditForMessage(input.messageId);
    expect(entries.map((e) => e.kind)).toEqual(['message-out', 'receipt-in']);
    expect(entries[1]).toMatchObject({
      partner: '320500',
      sha256: dummyReceipt.sha256,
      outcome: 'refused',
      detail: 'rejected: dialect_unsupported',
      domain: input.domain,
      type: input.type,
      at: t + 1,
    });
    expect(await store.claimDeliveries(worker('w', 10), t + HOUR)).toEqual([]);
  });

  it('keeps a message’s traceparent and hands it, with domain, type and submission time, to claims', async () => {
    const store = await connect();
    const t = window();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const sent = outbound(t, [`p-${uid()}`], { traceparent });
    await store.submitOutbound(sent, t);
    expect((await store.getOutbound(sent.messageId))?.traceparent).toBe(traceparent);
    const [claim] = await store.claimDeliveries(worker('w', 1), t);
    expect(claim).toMatchObject({
      messageId: sent.messageId,
      traceparent,
      domain: sent.domain,
      type: sent.type,
      createdAt: t,
    });
    const untraced = outbound(t + 1, [`p-${uid()}`]);
    await store.submitOutbound(untraced, t + 1);
    expect((await store.getOutbound(untraced.messageId))?.traceparent).toBeUndefined();
    const [plain] = await store.claimDeliveries(worker('w', 1), t + 1);
    expect(plain?.messageId).toBe(untraced.messageId);
    expect(plain?.traceparent).toBeUndefined();

    const [push, pull] = [`push-${uid()}`, `pull-${uid()}`];
    const received = inbound(
      t,
      [
        { localSystem: push, mode: 'push', body: { n: 1 } },
        { localSystem: pull, mode: 'pull', body: { n: 2 } },
      ],
      { traceparent },
    );
    await store.receiveInbound(received, t);
    expect((await store.getInbound(received.iss, received.jti))?.traceparent).toBe(traceparent);
    const pushes = await store.claimLocalPushes(worker('w', 10), t);
    expect(pushes.find((c) => c.localSystem === push)?.traceparent).toBe(traceparent);
    expect((await store.listPull(pull, undefined, 10)).items[0]?.traceparent).toBe(traceparent);
  });
}
