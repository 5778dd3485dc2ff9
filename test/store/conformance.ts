import { afterEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/envelope/digest.js';
import { AUDIT_FIELD_LIMITS } from '../../src/store/audit-bounds.js';
import { GENESIS, verifyChain } from '../../src/store/audit-chain.js';
import type { ReceiveInbound, Store, SubmitOutbound, ThreadChange } from '../../src/store/port.js';

/**
 * The conformance suite of the storage port: every adapter (SQLite, PostgreSQL, D1) runs it.
 * Written only against `Store`, so it says what the port promises and nothing about tables.
 *
 * `open` returns a new instance of the adapter on the *same* database each time it is called (so
 * closing one and opening another shows what persists). The suite migrates and, after each test,
 * closes every instance it opened. It never needs an empty database: each test uses its own ids and
 * its own window of time, earlier than the window of every test run before it, so rows left by
 * earlier tests are never due, never expired and never overdue in a later test.
 */
export function storeConformance(name: string, open: () => Promise<Store>): void {
  describe(`store conformance: ${name}`, () => {
    const opened: Store[] = [];
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });
    const connect = async (): Promise<Store> => {
      const store = await open();
      opened.push(store);
      await store.migrate();
      return store;
    };

    it('migrates twice without harm', async () => {
      const store = await connect();
      await store.migrate();
      const t = window();
      const input = outbound(t, ['320500']);
      expect(await store.submitOutbound(input, t)).toEqual({ status: 'stored', messageId: input.messageId });
      await store.migrate();
      expect(await store.getOutbound(input.messageId)).toBeDefined();
    });

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

    it('stores an inbound message once, answering a retry with its receipt and other bytes with conflict', async () => {
      const store = await connect();
      const t = window();
      const input = inbound(t, [{ localSystem: 'case-system', mode: 'push', body: { n: 1 } }]);
      expect(await store.receiveInbound(input, t)).toEqual({ status: 'stored' });
      const retry = { ...input, receipt: { token: 'another.receipt', sha256: 'x' } };
      expect(await store.receiveInbound(retry, t + 1000)).toEqual({
        status: 'duplicate',
        receiptToken: input.receipt.token,
      });
      const forged = { ...input, sha256: 'other-bytes', token: 'other.jws' };
      expect(await store.receiveInbound(forged, t + 2000)).toEqual({ status: 'conflict' });
      expect(await store.getInbound(input.iss, input.jti)).toEqual({
        iss: input.iss,
        jti: input.jti,
        sha256: input.sha256,
        token: input.token,
        type: input.type,
        domain: input.domain,
        thread: input.thread,
        receivedAt: t,
        receiptToken: input.receipt.token,
        localDeliveries: [
          { id: expect.any(String), localSystem: 'case-system', mode: 'push', status: 'queued', attempts: 0 },
        ],
      });
      expect(await store.getInbound(input.iss, `missing-${uid()}`)).toBeUndefined();
      expect(await store.getInbound(`other-${uid()}`, input.jti)).toBeUndefined();
    });

    it('lets exactly one of concurrent receptions of one (iss, jti) store it', async () => {
      const [a, b] = [await connect(), await connect()];
      const t = window();
      const input = inbound(t, [{ localSystem: 'case-system', mode: 'push', body: {} }]);
      const same = await Promise.all([a.receiveInbound(input, t), a.receiveInbound(input, t)]);
      expect(same.filter((o) => o.status === 'stored')).toHaveLength(1);
      expect(same.filter((o) => o.status === 'duplicate')).toHaveLength(1);
      const other = inbound(t, []);
      const twoInstances = await Promise.all([
        a.receiveInbound(other, t),
        b.receiveInbound({ ...other, sha256: 'different' }, t),
      ]);
      expect(twoInstances.map((o) => o.status).sort()).toEqual(['conflict', 'stored']);
      expect((await b.getInbound(input.iss, input.jti))?.localDeliveries).toHaveLength(1);
    });

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
      expect(
        (await store.getInbound(messages[0]?.iss ?? '', messages[0]?.jti ?? ''))?.localDeliveries,
      ).toEqual([
        expect.objectContaining({ localSystem: ls, mode: 'pull', status: 'acked' }),
        expect.objectContaining({ localSystem: neighbour, mode: 'pull', status: 'queued' }),
      ]);

      const later = inbound(t + 20, [{ localSystem: ls, mode: 'pull', body: { n: 3 } }]);
      await store.receiveInbound(later, t + 20);
      const rest = await store.listPull(ls, undefined, 10);
      expect(rest.items.map((i) => i.body)).toEqual([{ n: 2 }, { n: 3 }]);
      expect(increasing([...cursors, rest.items[1]?.cursor ?? ''])).toBe(true);
      expect(await store.ackPull(ls, rest.cursor ?? '', t + 21)).toBe(2);
      expect(await store.listPull(ls, undefined, 10)).toEqual({ items: [], cursor: undefined });
    });

    it('opens, closes and lists cooperation threads in the same unit as their messages', async () => {
      const store = await connect();
      const t = window();
      const partner = `partner-${uid()}`;
      const [a, b] = [`thread-${uid()}`, `thread-${uid()}`];
      const request = outbound(t, [partner], { threadChange: openThread(a, partner, uid(), t + HOUR) });
      await store.submitOutbound(request, t);
      const second = outbound(t + 1, [partner], {
        threadChange: openThread(b, partner, uid(), t + 2 * HOUR),
      });
      await store.submitOutbound(second, t + 1);
      // Opening an open thread again changes nothing.
      const reopen = outbound(t + 2, [partner], {
        threadChange: openThread(a, partner, uid(), t + 9 * HOUR),
      });
      await store.submitOutbound(reopen, t + 2);
      expect(await store.getThread(a)).toEqual({
        threadId: a,
        partner,
        direction: 'outbound',
        type: 'assistance-request',
        domain: 'food-safety',
        status: 'open',
        openedAt: t,
        dueAt: t + HOUR,
        requestId: request.threadChange?.messageId,
      });
      expect((await store.listThreads({ partner, status: 'open' })).map((x) => x.threadId)).toEqual([a, b]);
      expect((await store.listThreads({ partner, limit: 1 })).map((x) => x.threadId)).toEqual([a]);
      expect((await store.listThreads({ overdueAt: t + HOUR })).map((x) => x.threadId)).toEqual([]);
      expect((await store.listThreads({ overdueAt: t + HOUR + 1 })).map((x) => x.threadId)).toEqual([a]);
      expect((await store.listThreads({ overdueAt: t + 3 * HOUR, partner })).map((x) => x.threadId)).toEqual([
        a,
        b,
      ]);

      const closing: ThreadChange = { ...openThread(a, partner, `reply-${uid()}`), action: 'close' };
      const reply = inbound(t + MINUTE, [], { threadChange: closing });
      await store.receiveInbound(reply, t + MINUTE);
      expect(await store.getThread(a)).toMatchObject({
        status: 'closed',
        closedAt: t + MINUTE,
        replyId: closing.messageId,
        requestId: request.threadChange?.messageId,
      });
      await store.receiveInbound(inbound(t + MINUTE + 1, [], { threadChange: closing }), t + MINUTE + 1);
      expect((await store.getThread(a))?.closedAt).toBe(t + MINUTE);
      expect((await store.listThreads({ partner, status: 'closed' })).map((x) => x.threadId)).toEqual([a]);
      expect((await store.listThreads({ partner, status: 'open' })).map((x) => x.threadId)).toEqual([b]);
      expect((await store.listThreads({ overdueAt: t + 3 * HOUR, partner })).map((x) => x.threadId)).toEqual([
        b,
      ]);
      // Closing a thread this node never opened records nothing.
      const stray = { ...closing, threadId: `thread-${uid()}` };
      await store.receiveInbound(inbound(t, [], { threadChange: stray }), t);
      expect(await store.getThread(stray.threadId)).toBeUndefined();
      expect(await store.getThread(`thread-${uid()}`)).toBeUndefined();
    });

    it('closes a thread only by a reply from its counterpart, travelling the other way', async () => {
      const store = await connect();
      const t = window();
      const [hefei, suzhou] = [`partner-${uid()}`, `partner-${uid()}`];
      // A thread this node opened with Hefei, and one Hefei opened with this node.
      const ours = `thread-${uid()}`;
      const theirs = `thread-${uid()}`;
      await store.submitOutbound(
        outbound(t, [hefei], { threadChange: openThread(ours, hefei, uid(), t + DAY) }),
        t,
      );
      await store.receiveInbound(
        inbound(t, [], {
          iss: hefei,
          threadChange: { ...openThread(theirs, hefei, uid(), t + DAY), direction: 'inbound' },
        }),
        t,
      );
      const reply = (threadId: string, partner: string, direction: 'outbound' | 'inbound'): ThreadChange => ({
        ...openThread(threadId, partner, `reply-${uid()}`),
        type: 'assistance-reply',
        action: 'close',
        direction,
      });
      // A reply received from a third partner, on either thread: stored, and no thread changes.
      const stray = inbound(t + 1, [], { iss: suzhou, threadChange: reply(ours, suzhou, 'outbound') });
      expect(await store.receiveInbound(stray, t + 1)).toEqual({ status: 'stored' });
      expect(await store.getInbound(suzhou, stray.jti)).toBeDefined();
      await store.receiveInbound(
        inbound(t + 1, [], { iss: suzhou, threadChange: reply(theirs, suzhou, 'inbound') }),
        t + 1,
      );
      // A reply sent to a third partner on Hefei's thread: stored and queued, and no thread changes.
      const misdirected = outbound(t + 2, [suzhou], { threadChange: reply(theirs, suzhou, 'inbound') });
      expect(await store.submitOutbound(misdirected, t + 2)).toMatchObject({ status: 'stored' });
      // Hefei's reply in the wrong direction: one we send on our own thread, or one we receive on theirs.
      await store.submitOutbound(
        outbound(t + 3, [hefei], { threadChange: reply(ours, hefei, 'inbound') }),
        t + 3,
      );
      await store.receiveInbound(
        inbound(t + 3, [], { iss: hefei, threadChange: reply(theirs, hefei, 'outbound') }),
        t + 3,
      );
      expect(await store.getThread(ours)).toMatchObject({
        status: 'open',
        partner: hefei,
        direction: 'outbound',
      });
      expect(await store.getThread(theirs)).toMatchObject({
        status: 'open',
        partner: hefei,
        direction: 'inbound',
      });
      expect(await store.getThread(ours)).not.toHaveProperty('replyId');

      // The counterpart's replies close them.
      const answer = reply(ours, hefei, 'outbound');
      await store.receiveInbound(inbound(t + 4, [], { iss: hefei, threadChange: answer }), t + 4);
      const ourReply = reply(theirs, hefei, 'inbound');
      await store.submitOutbound(outbound(t + 5, [hefei], { threadChange: ourReply }), t + 5);
      expect(await store.getThread(ours)).toMatchObject({
        status: 'closed',
        replyId: answer.messageId,
        closedAt: t + 4,
      });
      expect(await store.getThread(theirs)).toMatchObject({
        status: 'closed',
        replyId: ourReply.messageId,
        closedAt: t + 5,
      });
    });

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
      expect(ids(await store.searchMessages({ partner: p2, domain: 'pollution' }))).toEqual([
        later.messageId,
      ]);
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
      const [again] = (await store.claimDeliveries(worker('w', 10), t + 10)).filter(
        (c) => c.id === toBad?.id,
      );
      expect(
        await store.completeDelivery(lease(again), { kind: 'dead', error: 'budget spent' }, t + 11),
      ).toBe(true);

      const received = inbound(t, [{ localSystem: `ls-${uid()}`, mode: 'push', body: {} }], { iss: bad });
      await store.receiveInbound(received, t);
      const [push] = (await store.claimLocalPushes(worker('w', 100), t)).filter(
        (c) => c.jti === received.jti,
      );
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
      expect((await second.listPull(local, undefined, 10)).items.map((i) => i.body)).toEqual([
        { kept: true },
      ]);
    });

    it('appends message-out with the submission, message-in and receipt-out with a reception, receipt-in with a delivery', async () => {
      const store = await connect();
      const t = window();
      const sent = outbound(t, ['320500', '310000']);
      await store.submitOutbound(sent, t);
      expect(await store.auditForMessage(sent.messageId)).toMatchObject([
        {
          kind: 'message-out',
          at: t,
          messageId: sent.messageId,
          partner: '320500,310000',
          domain: sent.domain,
          type: sent.type,
          sha256: sent.sha256,
        },
      ]);
      const claims = await store.claimDeliveries(worker('w', 10), t);
      const mine = claims.filter((c) => c.messageId === sent.messageId);
      expect(mine).toHaveLength(2);
      const [first, second] = mine;
      const retry = { kind: 'retry', nextAttemptAt: t + MINUTE, error: 'HTTP 503' } as const;
      expect(await store.completeDelivery(lease(first), retry, t + 1)).toBe(true);
      expect(
        await store.completeDelivery(lease(second), { kind: 'delivered', receipt: dummyReceipt }, t + 2),
      ).toBe(true);
      // A lost lease writes nothing, so it appends nothing either.
      expect(
        await store.completeDelivery(lease(second), { kind: 'delivered', receipt: dummyReceipt }, t + 3),
      ).toBe(false);
      const entries = await store.auditForMessage(sent.messageId);
      expect(entries.map((e) => e.kind)).toEqual(['message-out', 'receipt-in']);
      expect(entries[1]).toMatchObject({
        partner: second?.recipient,
        sha256: dummyReceipt.sha256,
        domain: sent.domain,
        type: sent.type,
        at: t + 2,
      });

      const received = inbound(t, []);
      await store.receiveInbound(received, t);
      expect(await store.receiveInbound(received, t + 1)).toMatchObject({ status: 'duplicate' });
      expect(await store.auditForMessage(received.jti)).toMatchObject([
        { kind: 'message-in', partner: received.iss, sha256: received.sha256, domain: received.domain },
        { kind: 'receipt-out', partner: received.iss, sha256: received.receipt.sha256 },
      ]);
    });

    it('appends nothing for a replayed or refused submission', async () => {
      const store = await connect();
      const t = window();
      const key = { key: uid(), requestSha256: 'digest-a' };
      const first = outbound(t, ['320500'], { idempotency: key });
      await store.submitOutbound(first, t);
      const before = await store.auditHighWater();
      const again = outbound(t, ['320500'], { idempotency: key, localSystem: first.localSystem });
      await store.submitOutbound(again, t);
      const other = { ...again, messageId: uid(), idempotency: { key: key.key, requestSha256: 'digest-b' } };
      expect(await store.submitOutbound(other, t)).toEqual({ status: 'conflict' });
      expect(await store.auditHighWater()).toBe(before);
      expect(await store.auditForMessage(again.messageId)).toEqual([]);
    });

    it('chains every entry to the one before, and reads the log in order and by range', async () => {
      const store = await connect();
      const t = window();
      const admin = await store.appendAudit(
        {
          kind: 'admin',
          actor: 'ops-key-1',
          role: 'operator',
          action: 'POST /admin/v1/partners/320500/suspend',
          outcome: 'allowed',
          status: 200,
          detail: 'partner 320500 suspended',
        },
        t,
      );
      const all = await store.readAudit();
      expect(all.at(-1)).toEqual(admin);
      expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
      expect(all[0]?.prev).toBe(GENESIS);
      expect(await store.auditHighWater()).toBe(admin.seq);
      const verdict = await verifyChain(all, sha256Hex);
      expect(verdict).toEqual({ ok: true, checked: all.length, last: { seq: admin.seq, hash: admin.hash } });

      const refused = await store.appendAudit(
        {
          kind: 'admin',
          actor: 'anonymous',
          action: 'GET /admin/v1/partners',
          outcome: 'refused',
          status: 401,
        },
        t + 1,
      );
      expect(refused).toMatchObject({ seq: admin.seq + 1, prev: admin.hash, at: t + 1 });
      expect(await store.readAudit({ fromSeq: admin.seq })).toEqual([admin, refused]);
      expect(await store.readAudit({ fromSeq: admin.seq, toSeq: admin.seq })).toEqual([admin]);
      expect(await store.readAudit({ fromSeq: admin.seq, limit: 1 })).toEqual([admin]);
      expect(await verifyChain([refused], sha256Hex, { seq: admin.seq, hash: admin.hash })).toMatchObject({
        ok: true,
      });
    });

    it('cuts every text field of an entry to its bound, and the chain verifies over what it keeps', async () => {
      const store = await connect();
      const t = window();
      const long = 'é'.repeat(20_000);
      const entry = await store.appendAudit(
        {
          kind: 'admin',
          actor: long,
          action: `GET /admin/v1/${long}`,
          outcome: 'refused',
          status: 404,
          detail: long,
        },
        t,
      );
      expect(entry.actor).toHaveLength(AUDIT_FIELD_LIMITS.actor);
      expect(entry.action).toHaveLength(AUDIT_FIELD_LIMITS.action);
      expect(entry.detail).toHaveLength(AUDIT_FIELD_LIMITS.detail);
      expect(entry.detail?.endsWith('…')).toBe(true);
      const [stored] = await store.readAudit({ fromSeq: entry.seq, limit: 1 });
      expect(stored).toEqual(entry);
      expect(await verifyChain([entry], sha256Hex, { seq: entry.seq - 1, hash: entry.prev })).toMatchObject({
        ok: true,
      });
    });

    it('keeps one unbroken chain when several instances append at once', async () => {
      const [a, b] = [await connect(), await connect()];
      const t = window();
      const before = await a.auditHighWater();
      await Promise.all([
        ...[1, 2, 3].map((i) => a.submitOutbound(outbound(t, [`r-${i}`]), t)),
        ...[1, 2, 3].map((i) => b.receiveInbound(inbound(t, []), t + i)),
        b.appendAudit({ kind: 'admin', actor: 'x', action: 'GET /admin/v1/audit', outcome: 'allowed' }, t),
      ]);
      const all = await a.readAudit();
      expect(all.length).toBe(before + 10);
      expect(await verifyChain(all, sha256Hex)).toMatchObject({ ok: true });
    });

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
      expect(outcome).toEqual({ outbound: 1, inbound: 1 });
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
      });
      // The case number outlives the body it came from: both messages are still found by it.
      const found = await store.searchMessages({ caseNumber });
      expect(found.map((m) => m.messageId).sort()).toEqual([done.messageId, delivered.jti].sort());
      expect(found.map((m) => m.caseNumber)).toEqual([caseNumber, caseNumber]);
    });

    it('keeps console sessions: renewed while used, never past their end, gone when ended or idle', async () => {
      const store = await connect();
      const t = window();
      const session = (idHash: string, startedAt: number) => ({
        idHash,
        credential: 'ops-1',
        role: 'operator' as const,
        csrf: `csrf-${idHash}`,
        startedAt,
        endsAt: startedAt + 8 * HOUR,
        expiresAt: startedAt + 30 * MINUTE,
      });
      const [a, b, c] = [`a-${uid()}`, `b-${uid()}`, `c-${uid()}`];
      await store.startConsoleSession(session(a, t), t);
      await store.startConsoleSession(session(b, t), t);
      // Used after 20 minutes: alive, its idle time renewed from then.
      expect(await store.touchConsoleSession(a, t + 20 * MINUTE, t + 50 * MINUTE)).toEqual({
        ...session(a, t),
        expiresAt: t + 50 * MINUTE,
      });
      // Idle past its expiry: gone.
      expect(await store.touchConsoleSession(b, t + 31 * MINUTE, t + 61 * MINUTE)).toBeUndefined();
      // Renewal stops at the session's end, and after it the session is gone however active.
      let at = t + 20 * MINUTE;
      while (at < t + 8 * HOUR - 20 * MINUTE) {
        at += 20 * MINUTE;
        expect((await store.touchConsoleSession(a, at, at + 30 * MINUTE))?.expiresAt).toBe(
          Math.min(at + 30 * MINUTE, t + 8 * HOUR),
        );
      }
      expect(await store.touchConsoleSession(a, t + 8 * HOUR, t + 8 * HOUR + 30 * MINUTE)).toBeUndefined();
      // Ended: gone at once.
      await store.startConsoleSession(session(c, t), t);
      await store.endConsoleSession(c);
      expect(await store.touchConsoleSession(c, t + 1, t + 30 * MINUTE)).toBeUndefined();
      expect(await store.touchConsoleSession(`unknown-${uid()}`, t, t + 30 * MINUTE)).toBeUndefined();
    });

    it('refuses NUL and lone surrogates in any text with text_invalid, writing nothing', async () => {
      const store = await connect();
      const t = window();
      for (const bad of ['协\u0000查', '\ud800', 'x\udc00', '\udbff\u0000']) {
        const input = outbound(t, ['320500'], { canonical: { note: bad } });
        await expect(store.submitOutbound(input, t)).rejects.toMatchObject({
          code: 'text_invalid',
          status: 400,
        });
        expect(await store.getOutbound(input.messageId)).toBeUndefined();
        const named = outbound(t, ['320500'], { canonical: { [bad]: 1 } });
        await expect(store.submitOutbound(named, t)).rejects.toMatchObject({ code: 'text_invalid' });
        const received = inbound(t, [], { thread: `thread-${bad}` });
        await expect(store.receiveInbound(received, t)).rejects.toMatchObject({ code: 'text_invalid' });
        expect(await store.getInbound(received.iss, received.jti)).toBeUndefined();
        // Reads too: PostgreSQL cannot even compare with such text.
        await expect(store.getOutbound(`msg-${bad}`)).rejects.toMatchObject({ code: 'text_invalid' });
        await expect(store.searchMessages({ caseNumber: bad })).rejects.toMatchObject({
          code: 'text_invalid',
        });
        await expect(
          store.appendAudit(
            { kind: 'admin', actor: 'x', action: `GET /admin/v1/${bad}`, outcome: 'refused' },
            t,
          ),
        ).rejects.toMatchObject({ code: 'text_invalid' });
      }
      // A surrogate pair is one character, and stored as such.
      const pair = outbound(t, ['320500'], { canonical: { note: '𠀀😀' } });
      expect(await store.submitOutbound(pair, t)).toMatchObject({ status: 'stored' });
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
  });
}

// --- fixtures --------------------------------------------------------------------------------------

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const LEASE = 30_000;
const dead = { kind: 'dead', error: 'x' } as const;
const dummyReceipt = { token: 'receipt.jws', sha256: 'receipt-digest' };

let windowStart = Date.UTC(2040, 0, 1);
/** The start of a fresh window of time, 30 days before the previous one (see the suite's comment). */
function window(): number {
  windowStart -= 30 * 24 * HOUR;
  return windowStart;
}

function uid(): string {
  return crypto.randomUUID();
}

function worker(name: string, limit: number, exclude?: readonly string[]) {
  return { worker: name, leaseMs: LEASE, limit, ...(exclude === undefined ? {} : { exclude }) };
}

function lease(claim: { id: string; leaseToken: string } | undefined): { id: string; leaseToken: string } {
  if (claim === undefined) throw new Error('expected a claim');
  return { id: claim.id, leaseToken: claim.leaseToken };
}

function increasing(values: readonly string[]): boolean {
  return values.every((value, i) => i === 0 || (values[i - 1] ?? '') < value);
}

function openThread(threadId: string, partner: string, messageId: string, dueAt?: number): ThreadChange {
  return {
    action: 'open',
    threadId,
    partner,
    direction: 'outbound',
    type: 'assistance-request',
    domain: 'food-safety',
    messageId,
    ...(dueAt === undefined ? {} : { dueAt }),
  };
}

function outbound(
  now: number,
  recipients: readonly string[],
  extra: Partial<SubmitOutbound> = {},
): SubmitOutbound {
  const messageId = extra.messageId ?? `msg-${uid()}`;
  return {
    messageId,
    localSystem: `case-system-${uid()}`,
    type: 'assistance-request',
    domain: 'food-safety',
    contract: 'food-safety@1.2.0',
    thread: `thread-${uid()}`,
    token: `header.${messageId}.signature`,
    sha256: `sha-${messageId}`,
    expiresAt: now + 24 * HOUR,
    recipients,
    canonical: { caseNumber: '湖市监案〔2026〕12号', note: '请协查' },
    ...extra,
  };
}

function inbound(
  now: number,
  localDeliveries: ReceiveInbound['localDeliveries'],
  extra: Partial<ReceiveInbound> = {},
): ReceiveInbound {
  const jti = `jti-${uid()}`;
  return {
    iss: '330500',
    jti,
    sha256: `sha-${jti}`,
    token: `header.${jti}.signature`,
    type: 'assistance-request',
    domain: 'food-safety',
    contract: 'food-safety@1.2.0',
    thread: `thread-${uid()}`,
    expiresAt: now + 24 * HOUR,
    canonical: { caseNumber: '湖市监案〔2026〕12号' },
    receipt: { token: `receipt.${jti}`, sha256: `receipt-sha-${jti}` },
    localDeliveries,
    ...extra,
  };
}
