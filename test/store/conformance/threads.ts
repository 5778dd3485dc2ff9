import { expect, it } from 'vitest';
import type { Store } from '../../../src/store/port.js';
import { DAY, HOUR, inbound, MINUTE, moveThread, openThread, outbound, uid, window } from './fixtures.js';

/**
 * The store conformance suite: cooperation threads. A request opens a thread with one track per
 * counterpart; a message moves a track only from the state the move leaves; every move is recorded;
 * the thread closes when every track is final, and its due time is the earliest of its open tracks.
 */
export function threadSuite(connect: () => Promise<Store>, options: { refusesStaleMoves: boolean }): void {
  it('opens a thread with a track per counterpart, in the same unit as its message', async () => {
    const store = await connect();
    const t = window();
    const [a, b] = [`partner-${uid()}`, `partner-${uid()}`];
    const [one, two] = [`thread-${uid()}`, `thread-${uid()}`];
    const request = outbound(t, [a, b], { threadChange: openThread(one, [a, b], uid(), t + HOUR) });
    await store.submitOutbound(request, t);
    await store.submitOutbound(
      outbound(t + 1, [a], { threadChange: openThread(two, a, uid(), t + 2 * HOUR) }),
      t + 1,
    );
    // Opening an open thread again changes nothing.
    await store.submitOutbound(
      outbound(t + 2, [b], { threadChange: openThread(one, b, uid(), t + 9 * HOUR) }),
      t + 2,
    );
    const thread = await store.getThread(one);
    expect(thread).toMatchObject({
      threadId: one,
      partner: a,
      direction: 'outbound',
      type: 'assistance-request',
      domain: 'food-safety',
      workflow: 'assistance',
      status: 'open',
      openedAt: t,
      dueAt: t + HOUR,
      requestId: request.threadChange?.messageId,
      facts: '{"values":{},"lists":{}}',
    });
    expect(thread?.tracks).toEqual(
      [
        { partner: a, state: 'requested', enteredAt: t, dueAt: t + HOUR },
        { partner: b, state: 'requested', enteredAt: t, dueAt: t + HOUR },
      ].sort((x, y) => (x.partner < y.partner ? -1 : 1)),
    );
    expect(thread?.transitions.map((x) => [x.partner, x.from, x.to, x.by])).toEqual(
      [
        [a, '', 'requested', 'requester'],
        [b, '', 'requested', 'requester'],
      ].sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
    );
    // Listed by counterpart (any track's), status and overdue, with their tracks.
    expect((await store.listThreads({ partner: b })).map((x) => x.threadId)).toEqual([one]);
    expect((await store.listThreads({ partner: a, status: 'open' })).map((x) => x.threadId)).toEqual([
      one,
      two,
    ]);
    expect((await store.listThreads({ partner: a, limit: 1 })).map((x) => x.tracks.length)).toEqual([2]);
    expect((await store.listThreads({ overdueAt: t + HOUR, partner: a })).map((x) => x.threadId)).toEqual([]);
    expect((await store.listThreads({ overdueAt: t + 3 * HOUR, partner: a })).map((x) => x.threadId)).toEqual(
      [one, two],
    );
    expect(await store.getThread(`thread-${uid()}`)).toBeUndefined();
  });

  it('moves a track from the state it is in, records the move, and closes the thread when every track is final', async () => {
    const store = await connect();
    const t = window();
    const [a, b] = [`partner-${uid()}`, `partner-${uid()}`];
    const id = `thread-${uid()}`;
    await store.submitOutbound(
      outbound(t, [a, b], { threadChange: openThread(id, [a, b], uid(), t + HOUR) }),
      t,
    );
    // a reports progress (a state that is not final, due later), then finishes late.
    const progress = moveThread(id, a, `m-${uid()}`, {
      from: 'requested',
      to: 'in-progress',
      dueAt: t + 5 * HOUR,
    });
    await store.receiveInbound(inbound(t + MINUTE, [], { iss: a, threadChange: progress }), t + MINUTE);
    let thread = await store.getThread(id);
    expect(thread?.status).toBe('open');
    expect(thread?.dueAt).toBe(t + HOUR); // b's track is still due first
    expect(thread?.tracks.find((k) => k.partner === a)).toMatchObject({
      state: 'in-progress',
      dueAt: t + 5 * HOUR,
    });
    const done = moveThread(id, a, `m-${uid()}`, {
      from: 'in-progress',
      to: 'done',
      final: true,
      late: true,
    });
    await store.receiveInbound(inbound(t + 6 * HOUR, [], { iss: a, threadChange: done }), t + 6 * HOUR);
    thread = await store.getThread(id);
    expect(thread?.tracks.find((k) => k.partner === a)).toMatchObject({
      state: 'done',
      closedAt: t + 6 * HOUR,
    });
    expect(thread?.tracks.find((k) => k.partner === a)).not.toHaveProperty('dueAt');
    expect(thread?.status).toBe('open');
    expect(thread?.transitions.filter((x) => x.partner === a).map((x) => [x.from, x.to, x.late])).toEqual([
      ['', 'requested', false],
      ['requested', 'in-progress', false],
      ['in-progress', 'done', true],
    ]);
    // b finishes: every track final, the thread closes with b's message.
    const last = moveThread(id, b, `m-${uid()}`, { from: 'requested', to: 'done', final: true });
    await store.receiveInbound(inbound(t + 7 * HOUR, [], { iss: b, threadChange: last }), t + 7 * HOUR);
    thread = await store.getThread(id);
    expect(thread).toMatchObject({ status: 'closed', closedAt: t + 7 * HOUR, replyId: last.messageId });
    expect(thread).not.toHaveProperty('dueAt');
    expect((await store.listThreads({ partner: b, status: 'closed' })).map((x) => x.threadId)).toEqual([id]);
    expect(
      (await store.listThreads({ partner: b, overdueAt: t + 100 * HOUR })).map((x) => x.threadId),
    ).toEqual([]);
  });

  it('never moves a track out of a state it is not in', async () => {
    const store = await connect();
    const t = window();
    const a = `partner-${uid()}`;
    const id = `thread-${uid()}`;
    await store.submitOutbound(outbound(t, [a], { threadChange: openThread(id, a, uid(), t + DAY) }), t);
    const stale = moveThread(id, a, `m-${uid()}`, { from: 'in-progress', to: 'done', final: true });
    const message = inbound(t + MINUTE, [], { iss: a, threadChange: stale });
    if (options.refusesStaleMoves) {
      // SQLite and PostgreSQL refuse the whole unit: the message is not stored either.
      await expect(store.receiveInbound(message, t + MINUTE)).rejects.toMatchObject({
        code: 'workflow_concurrent',
      });
      expect(await store.getInbound(a, message.jti)).toBeUndefined();
    } else {
      // D1 cannot refuse a batch from inside it: the message is stored, the track unmoved.
      await store.receiveInbound(message, t + MINUTE);
    }
    const thread = await store.getThread(id);
    expect(thread?.tracks).toEqual([{ partner: a, state: 'requested', enteredAt: t, dueAt: t + DAY }]);
    expect(thread?.transitions).toHaveLength(1);
    expect(thread?.status).toBe('open');
  });

  it('keeps the tracks of a thread this node received apart from the ones it sent', async () => {
    const store = await connect();
    const t = window();
    const hefei = `partner-${uid()}`;
    const theirs = `thread-${uid()}`;
    const opened = { ...openThread(theirs, hefei, uid(), t + DAY), direction: 'inbound' as const };
    await store.receiveInbound(inbound(t, [], { iss: hefei, threadChange: opened }), t);
    const answer = moveThread(theirs, hefei, `m-${uid()}`, {
      from: 'requested',
      to: 'answered',
      final: true,
      direction: 'inbound',
    });
    await store.submitOutbound(outbound(t + HOUR, [hefei], { threadChange: answer }), t + HOUR);
    expect(await store.getThread(theirs)).toMatchObject({
      direction: 'inbound',
      partner: hefei,
      status: 'closed',
      replyId: answer.messageId,
      tracks: [{ partner: hefei, state: 'answered', closedAt: t + HOUR }],
    });
  });
}
