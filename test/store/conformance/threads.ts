import { expect, it } from 'vitest';
import type { Store, ThreadChange } from '../../../src/store/port.js';
import { DAY, HOUR, inbound, MINUTE, openThread, outbound, uid, window } from './fixtures.js';

/** The store conformance suite: cooperation threads. */
export function threadSuite(connect: () => Promise<Store>): void {
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
}
