import { expect, it } from 'vitest';
import { sha256Hex } from '../../../src/envelope/digest.js';
import { AUDIT_FIELD_LIMITS } from '../../../src/store/audit-bounds.js';
import { GENESIS, verifyChain } from '../../../src/store/audit-chain.js';
import type { Store } from '../../../src/store/port.js';
import { dummyReceipt, inbound, lease, MINUTE, outbound, uid, window, worker } from './fixtures.js';

/** The store conformance suite: the audit log. */
export function auditSuite(connect: () => Promise<Store>): void {
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
    expect(verdict).toMatchObject({
      ok: true,
      checked: all.length,
      last: { seq: admin.seq, hash: admin.hash },
    });

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
}
