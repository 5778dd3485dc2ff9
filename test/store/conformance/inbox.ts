import { expect, it } from 'vitest';
import type { Store } from '../../../src/store/port.js';
import { inbound, uid, window } from './fixtures.js';

/** The store conformance suite: the inbox: receptions, duplicates and conflicts. */
export function inboxSuite(connect: () => Promise<Store>): void {
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
}
