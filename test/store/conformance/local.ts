import { expect, it } from 'vitest';
import type { Store } from '../../../src/store/port.js';
import { HOUR, inbound, increasing, LEASE, lease, MINUTE, uid, window, worker } from './fixtures.js';

/** The store conformance suite: local systems: pushes under lease, pulls by cursor. */
export function localSuite(connect: () => Promise<Store>): void {
  it('leases local pushes, completes them under the lease and requeues dead ones', async () => {
    const [store, other] = [await connect(), await connect()];
    const t = window();
    const [ls1, ls2, ls3] = [`ls1-${uid()}`, `ls2-${uid()}`, `ls3-${uid()}`];
    const input = inbound(t, [
      { localSystem: ls1, mode: 'push', body: { dialect: 'js', n: 1 } },
      { localSystem: ls2, mode: 'push', body: { n: 2 } },
      { localSystem: ls3, mode: 'pull', body: { n: 3 } },
    ]);
    await store.receiveInbound(input, t);
    expect(await store.claimLocalPushes(worker('w', 10), t - 1)).toEqual([]);
    const [claim, ...none] = await store.claimLocalPushes(worker('w', 10, [ls2]), t);
    expect(none).toEqual([]);
    expect(claim).toMatchObject({
      localSystem: ls1,
      iss: input.iss,
      jti: input.jti,
      type: input.type,
      domain: input.domain,
      thread: input.thread,
      body: { dialect: 'js', n: 1 },
      attempts: 1,
    });
    const [second] = await other.claimLocalPushes(worker('w2', 10), t);
    expect(second?.localSystem).toBe(ls2);
    expect(await other.claimLocalPushes(worker('w2', 10), t + LEASE)).toEqual([]);

    const retry = { kind: 'retry', nextAttemptAt: t + MINUTE, error: 'HTTP 502' } as const;
    expect(await store.completeLocalPush(lease(claim), retry, t + 1)).toBe(true);
    expect(await store.completeLocalPush(lease(claim), { kind: 'delivered' }, t + 2)).toBe(false);
    // (ls2's lease has expired by now: left out here, taken over below.)
    expect(await store.claimLocalPushes(worker('w', 10, [ls2]), t + MINUTE - 1)).toEqual([]);
    const [again] = await store.claimLocalPushes(worker('w', 10, [ls2]), t + MINUTE);
    expect(again).toMatchObject({ id: claim?.id, attempts: 2 });
    expect(again?.leaseToken).not.toBe(claim?.leaseToken);
    expect(await store.completeLocalPush(lease(again), { kind: 'delivered' }, t + MINUTE + 1)).toBe(true);

    // ls2's lease expired: a takeover wins, the first holder cannot complete.
    const [takeover] = await store.claimLocalPushes(worker('w3', 10), t + MINUTE + LEASE);
    expect(takeover).toMatchObject({ id: second?.id, attempts: 2 });
    expect(await other.completeLocalPush(lease(second), { kind: 'delivered' }, t + MINUTE + LEASE)).toBe(
      false,
    );
    const died = { kind: 'dead', error: 'refused' } as const;
    expect(await store.completeLocalPush(lease(takeover), died, t + MINUTE + LEASE + 1)).toBe(true);
    expect(await store.claimLocalPushes(worker('w', 10), t + HOUR)).toEqual([]);
    expect((await store.getInbound(input.iss, input.jti))?.localDeliveries).toEqual([
      expect.objectContaining({ localSystem: ls1, mode: 'push', status: 'delivered' }),
      expect.objectContaining({
        id: lease(takeover).id,
        localSystem: ls2,
        mode: 'push',
        status: 'dead',
        lastError: 'refused',
      }),
      expect.objectContaining({ localSystem: ls3, mode: 'pull', status: 'queued' }),
    ]);

    expect(await store.requeueLocalPush(lease(claim).id, t + HOUR)).toBe(false);
    expect(await store.requeueLocalPush(`missing-${uid()}`, t + HOUR)).toBe(false);
    expect(await store.requeueLocalPush(lease(takeover).id, t + HOUR)).toBe(true);
    const [requeued] = await store.claimLocalPushes(worker('w', 10), t + HOUR);
    expect(requeued?.id).toBe(takeover?.id);
  });

  it('pages pull deliveries by strictly increasing cursors and acknowledges up to a cursor', async () => {
    const store = await connect();
    const t = window();
    const [ls, neighbour] = [`pull-${uid()}`, `pull-${uid()}`];
    const messages = [0, 1, 2].map((n) =>
      inbound(t + n, [
        { localSystem: ls, mode: 'pull', body: { n } },
        ...(n === 0 ? [{ localSystem: neighbour, mode: 'pull', body: { n } } as const] : []),
      ]),
    );
    for (const [n, m] of messages.entries()) await store.receiveInbound(m, t + n);
    expect(await store.listPull(`pull-${uid()}`, undefined, 10)).toEqual({ items: [], cursor: undefined });

    const page1 = await store.listPull(ls, undefined, 2);
    expect(page1.items.map((i) => i.body)).toEqual([{ n: 0 }, { n: 1 }]);
    expect(page1.items[0]).toMatchObject({ localSystem: ls, iss: messages[0]?.iss, jti: messages[0]?.jti });
    expect(page1.cursor).toBe(page1.items[1]?.cursor);
    const page2 = await store.listPull(ls, page1.cursor, 2);
    expect(page2.items.map((i) => i.body)).toEqual([{ n: 2 }]);
    const empty = await store.listPull(ls, page2.cursor, 2);
    expect(empty).toEqual({ items: [], cursor: page2.cursor });
    const cursors = [...page1.items, ...page2.items].map((i) => i.cursor);
    expect(increasing(cursors)).toBe(true);
    // Items stay until acknowledged.
    expect((await store.listPull(ls, undefined, 10)).items).toHaveLength(3);

    expect(await store.ackPull(ls, cursors[1] ?? '', t + 10)).toBe(2);
    expect(await store.ackPull(ls, cursors[1] ?? '', t + 11)).toBe(0);
    expect((await store.listPull(ls, undefined, 10)).items.map((i) => i.body)).toEqual([{ n: 2 }]);
    expect((await store.listPull(neighbour, undefined, 10)).items.map((i) => i.body)).toEqual([{ n: 0 }]);
    expect((await store.getInbound(messages[0]?.iss ?? '', messages[0]?.jti ?? ''))?.localDeliveries).toEqual(
      [
        expect.objectContaining({ localSystem: ls, mode: 'pull', status: 'acked' }),
        expect.objectContaining({ localSystem: neighbour, mode: 'pull', status: 'queued' }),
      ],
    );

    const later = inbound(t + 20, [{ localSystem: ls, mode: 'pull', body: { n: 3 } }]);
    await store.receiveInbound(later, t + 20);
    const rest = await store.listPull(ls, undefined, 10);
    expect(rest.items.map((i) => i.body)).toEqual([{ n: 2 }, { n: 3 }]);
    expect(increasing([...cursors, rest.items[1]?.cursor ?? ''])).toBe(true);
    expect(await store.ackPull(ls, rest.cursor ?? '', t + 21)).toBe(2);
    expect(await store.listPull(ls, undefined, 10)).toEqual({ items: [], cursor: undefined });
  });

  it('keeps what each local system could not carry, and gives each its canonical document', async () => {
    const store = await connect();
    const t = window();
    const [zj, js, stranger] = [`zj-${uid()}`, `js-${uid()}`, `other-${uid()}`];
    const losses = { pointers: ['/parties/1', '/pollutants/0/code', '/案件/名称'], omitted: 2 };
    const canonical = {
      case: { caseNumber: '湖市监案〔2026〕12号' },
      parties: [{ name: '甲' }, { name: '乙' }],
    };
    const input = inbound(
      t,
      [
        { localSystem: zj, mode: 'push', body: { AJBH: 1 }, losses },
        { localSystem: js, mode: 'pull', body: { case_no: 1 }, losses: { pointers: [], omitted: 0 } },
      ],
      { canonical },
    );
    await store.receiveInbound(input, t);
    const [claim] = await store.claimLocalPushes(worker('w', 10, [js]), t);
    expect(claim).toMatchObject({ localSystem: zj, losses });
    const [pulled] = (await store.listPull(js, undefined, 10)).items;
    expect(pulled?.losses).toBeUndefined();

    expect(await store.localCanonical(zj, input.jti)).toEqual({
      iss: input.iss,
      jti: input.jti,
      type: input.type,
      domain: input.domain,
      contract: input.contract,
      canonical,
      losses,
    });
    expect(await store.localCanonical(js, input.jti)).toMatchObject({ canonical });
    expect((await store.localCanonical(js, input.jti))?.losses).toBeUndefined();
    // Another local system's message is as unknown as a missing one.
    expect(await store.localCanonical(stranger, input.jti)).toBeUndefined();
    expect(await store.localCanonical(zj, `missing-${uid()}`)).toBeUndefined();
  });
}
