import { expect, it } from 'vitest';
import type { Store } from '../../../src/store/port.js';
import { dummyReceipt, inbound, lease, MINUTE, outbound, uid, window, worker } from './fixtures.js';

/** The store conformance suite: administrators' search: messages, dead letters, partner activity. */
export function searchSuite(connect: () => Promise<Store>): void {
  it('searches messages in and out by id, partner, domain, type, thread, case number and time', async () => {
    const store = await connect();
    const t = window();
    const [p1, p2] = [`p1-${uid()}`, `p2-${uid()}`];
    const caseNumber = `湖市监案〔2026〕${uid()}`;
    const sent = outbound(t, [p1, p2], {
      canonical: { case: { caseNumber, cause: '抽检不合格' } },
      caseNumber,
    });
    const later = outbound(t + MINUTE, [p2], { type: 'notification', domain: 'pollution' });
    await store.submitOutbound(sent, t);
    await store.submitOutbound(later, t + MINUTE);
    const got = inbound(t + 2 * MINUTE, [], {
      iss: p1,
      thread: sent.thread,
      canonical: { case: { caseNumber, cause: '回复' } },
      caseNumber,
    });
    await store.receiveInbound(got, t + 2 * MINUTE);

    const ids = (list: readonly { messageId: string }[]) => list.map((m) => m.messageId);
    expect(await store.searchMessages({ id: sent.messageId })).toEqual([
      {
        direction: 'outbound',
        messageId: sent.messageId,
        partners: [p1, p2].sort(),
        localSystem: sent.localSystem,
        type: sent.type,
        domain: sent.domain,
        contract: sent.contract,
        thread: sent.thread,
        caseNumber,
        at: t,
      },
    ]);
    expect(ids(await store.searchMessages({ caseNumber }))).toEqual([got.jti, sent.messageId]);
    expect(await store.searchMessages({ caseNumber, direction: 'inbound' })).toEqual([
      {
        direction: 'inbound',
        messageId: got.jti,
        partners: [p1],
        type: got.type,
        domain: got.domain,
        contract: got.contract,
        thread: sent.thread,
        caseNumber,
        at: t + 2 * MINUTE,
      },
    ]);
    expect(ids(await store.searchMessages({ partner: p2 }))).toEqual([later.messageId, sent.messageId]);
    expect(ids(await store.searchMessages({ partner: p1 }))).toEqual([got.jti, sent.messageId]);
    expect(ids(await store.searchMessages({ partner: p2, domain: 'pollution' }))).toEqual([later.messageId]);
    expect(ids(await store.searchMessages({ partner: p2, type: 'assistance-request' }))).toEqual([
      sent.messageId,
    ]);
    expect(ids(await store.searchMessages({ thread: sent.thread }))).toEqual([got.jti, sent.messageId]);
    expect(ids(await store.searchMessages({ partner: p2, from: t + MINUTE, to: t + 2 * MINUTE }))).toEqual([
      later.messageId,
    ]);
    expect(ids(await store.searchMessages({ partner: p2, limit: 1 }))).toEqual([later.messageId]);
    expect(await store.searchMessages({ id: `missing-${uid()}` })).toEqual([]);
  });

  it('lists dead letters to partners and local systems, and counts activity per partner', async () => {
    const store = await connect();
    const t = window();
    const [ok, bad] = [`ok-${uid()}`, `bad-${uid()}`];
    const input = outbound(t, [ok, bad]);
    await store.submitOutbound(input, t);
    const waiting = outbound(t, [bad]);
    await store.submitOutbound(waiting, t);
    const claims = await store.claimDeliveries(worker('w', 10, []), t);
    const toOk = claims.find((c) => c.messageId === input.messageId && c.recipient === ok);
    const toBad = claims.find((c) => c.messageId === input.messageId && c.recipient === bad);
    const next = { kind: 'retry', nextAttemptAt: t + 10, error: 'timeout' } as const;
    expect(await store.completeDelivery(lease(toBad), next, t + 1)).toBe(true);
    expect(
      await store.completeDelivery(lease(toOk), { kind: 'delivered', receipt: dummyReceipt }, t + 2),
    ).toBe(true);
    const [again] = (await store.claimDeliveries(worker('w', 10), t + 10)).filter((c) => c.id === toBad?.id);
    expect(await store.completeDelivery(lease(again), { kind: 'dead', error: 'budget spent' }, t + 11)).toBe(
      true,
    );

    const received = inbound(t, [{ localSystem: `ls-${uid()}`, mode: 'push', body: {} }], { iss: bad });
    await store.receiveInbound(received, t);
    const [push] = (await store.claimLocalPushes(worker('w', 100), t)).filter((c) => c.jti === received.jti);
    expect(await store.completeLocalPush(lease(push), { kind: 'dead', error: 'local 500' }, t + 12)).toBe(
      true,
    );

    expect(await store.listDeadLetters({ partner: bad })).toEqual([
      {
        kind: 'partner',
        deliveryId: toBad?.id,
        messageId: input.messageId,
        partner: bad,
        type: input.type,
        domain: input.domain,
        attempts: 2,
        lastError: 'budget spent',
        at: t + 11,
      },
      {
        kind: 'local',
        deliveryId: push?.id,
        messageId: received.jti,
        partner: bad,
        localSystem: received.localDeliveries[0]?.localSystem,
        type: received.type,
        domain: received.domain,
        attempts: 1,
        lastError: 'local 500',
        at: t + 12,
      },
    ]);
    expect(await store.listDeadLetters({ partner: ok })).toEqual([]);
    expect((await store.listDeadLetters({})).length).toBeGreaterThanOrEqual(2);

    const activity = new Map((await store.partnerActivity(t)).map((a) => [a.partner, a]));
    expect(activity.get(ok)).toEqual({
      partner: ok,
      delivered: 1,
      failed: 0,
      queued: 0,
      dead: 0,
      lastSuccessAt: t + 2,
    });
    expect(activity.get(bad)).toEqual({ partner: bad, delivered: 0, failed: 2, queued: 1, dead: 1 });
    const recent = new Map((await store.partnerActivity(t + 5)).map((a) => [a.partner, a]));
    expect(recent.get(bad)).toMatchObject({ failed: 1, queued: 1, dead: 1 });
    expect(recent.get(ok)).toMatchObject({ delivered: 0, lastSuccessAt: t + 2 });

    expect(await store.requeueDelivery(toBad?.id ?? '', t + 20)).toBe(true);
    expect(await store.listDeadLetters({ partner: bad })).toHaveLength(1);
  });

  it("reports each local system's last submission, last delivery (push or acknowledged pull) and what waits", async () => {
    const store = await connect();
    const t = window();
    const [pusher, puller, stuck] = [`push-${uid()}`, `pull-${uid()}`, `stuck-${uid()}`];
    await store.submitOutbound(outbound(t, [`p-${uid()}`], { localSystem: pusher }), t);
    await store.submitOutbound(outbound(t + 1, [`p-${uid()}`], { localSystem: pusher }), t + 1);
    await store.receiveInbound(
      inbound(t + 2, [
        { localSystem: pusher, mode: 'push', body: { n: 1 } },
        { localSystem: puller, mode: 'pull', body: { n: 2 } },
        { localSystem: stuck, mode: 'push', body: { n: 3 } },
      ]),
      t + 2,
    );
    const mine = async () =>
      new Map(
        (await store.localSystemActivity())
          .filter((a) => [pusher, puller, stuck].includes(a.localSystem))
          .map((a) => [a.localSystem, a]),
      );
    expect(await mine()).toEqual(
      new Map([
        [pusher, { localSystem: pusher, lastSubmissionAt: t + 1, pending: 1 }],
        [puller, { localSystem: puller, pending: 1 }],
        [stuck, { localSystem: stuck, pending: 1 }],
      ]),
    );
    const claims = await store.claimLocalPushes(worker('w', 10), t + 3);
    const pushed = claims.find((c) => c.localSystem === pusher);
    expect(await store.completeLocalPush(lease(pushed), { kind: 'delivered' }, t + 4)).toBe(true);
    const page = await store.listPull(puller, undefined, 10);
    expect(await store.ackPull(puller, page.cursor ?? '', t + 5)).toBe(1);
    expect(await mine()).toEqual(
      new Map([
        [pusher, { localSystem: pusher, lastSubmissionAt: t + 1, lastDeliveryAt: t + 4, pending: 0 }],
        [puller, { localSystem: puller, lastDeliveryAt: t + 5, pending: 0 }],
        // Being sent (leased, not answered): still waiting.
        [stuck, { localSystem: stuck, pending: 1 }],
      ]),
    );
  });
}
