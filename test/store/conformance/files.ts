import { expect, it } from 'vitest';
import type { AttachmentRef, NewUpload, Store, StoredFilesReceipt } from '../../../src/store/port.js';
import {
  DAY,
  dummyReceipt,
  HOUR,
  inbound,
  increasing,
  LEASE,
  lease,
  MINUTE,
  outbound,
  uid,
  window,
  worker,
} from './fixtures.js';

// Kept digests: bare hex SHA-256 and `sm3:` hex.
const HEX_A = 'a'.repeat(64);
const HEX_B = `sm3:${'b'.repeat(64)}`;

function upload(now: number, extra: Partial<NewUpload> = {}): NewUpload {
  return {
    id: `up-${uid()}`,
    localSystem: `case-system-${uid()}`,
    name: '检测报告.pdf',
    length: 1000,
    algorithm: 'SHA-256',
    expiresAt: now + HOUR,
    ...extra,
  };
}

/** The files of a message, as its `attachments` claim lists them. */
function files(): AttachmentRef[] {
  return [
    { index: 0, name: '检测报告.pdf', mediaType: 'application/pdf', size: 1000, digest: HEX_A },
    { index: 1, name: 'photo.jpg', mediaType: 'image/jpeg', size: 2_500_000, digest: HEX_B },
  ];
}

const settledReceipt = (sha: string) => ({ token: `files-receipt.${sha}`, sha256: sha });

/** A kept digest of its own (bare hex SHA-256 or `sm3:` hex), shared with no other test. */
const digestOf = (sm3 = false) => `${sm3 ? 'sm3:' : ''}${uid().replace(/-/g, '')}${uid().replace(/-/g, '')}`;

const fileWith = (index: number, digest: string): AttachmentRef => ({
  index,
  name: `材料${index}.pdf`,
  mediaType: 'application/pdf',
  size: 100 + index,
  digest,
});

/** The store conformance suite: case files (uploads, message files, transfer jobs, files receipts). */
export function filesSuite(connect: () => Promise<Store>): void {
  it('creates, advances, finishes and removes uploads, each visible only to its local system', async () => {
    const store = await connect();
    const t = window();
    const up = upload(t, { declaredType: 'application/pdf', expectedDigest: HEX_A });
    await store.createUpload(up, t);
    expect(await store.getUpload(up.id, up.localSystem)).toEqual({ ...up, offset: 0, createdAt: t });
    expect(await store.getUpload(up.id, `other-${uid()}`)).toBeUndefined();
    expect(await store.getUpload(`up-${uid()}`, up.localSystem)).toBeUndefined();

    await store.setUploadOffset(up.id, 400, t + 1);
    expect(await store.getUpload(up.id, up.localSystem)).toMatchObject({ offset: 400 });
    await store.completeUpload(up.id, { digest: HEX_A, mediaType: 'application/pdf' }, t + 2);
    const done = await store.getUpload(up.id, up.localSystem);
    expect(done).toMatchObject({
      offset: 1000,
      completedAt: t + 2,
      digest: HEX_A,
      mediaType: 'application/pdf',
    });
    // A finished upload's offset no longer moves.
    await store.setUploadOffset(up.id, 10, t + 3);
    expect((await store.getUpload(up.id, up.localSystem))?.offset).toBe(1000);

    // Optional fields stay absent.
    const bare = upload(t, { algorithm: 'SM3' });
    await store.createUpload(bare, t);
    const row = await store.getUpload(bare.id, bare.localSystem);
    expect(row).toEqual({ ...bare, offset: 0, createdAt: t });
    expect(row && 'declaredType' in row).toBe(false);
    expect(row && 'digest' in row).toBe(false);

    await store.deleteUpload(up.id);
    expect(await store.getUpload(up.id, up.localSystem)).toBeUndefined();
    await store.deleteUpload(up.id);
  });

  it('lists uploads past their expiry, oldest first', async () => {
    const store = await connect();
    const t = window();
    const late = upload(t, { expiresAt: t + 2 * HOUR });
    const early = upload(t, { expiresAt: t + HOUR });
    const kept = upload(t, { expiresAt: t + 3 * HOUR });
    for (const u of [late, early, kept]) await store.createUpload(u, t);
    expect(await store.expiredUploads(t + HOUR - 1, 10)).toEqual([]);
    expect((await store.expiredUploads(t + HOUR, 10)).map((u) => u.id)).toEqual([early.id]);
    const expired = await store.expiredUploads(t + 2 * HOUR, 10);
    expect(expired.map((u) => u.id)).toEqual([early.id, late.id]);
    expect(expired[0]).toMatchObject({ localSystem: early.localSystem, name: early.name, offset: 0 });
    expect((await store.expiredUploads(t + 2 * HOUR, 1)).map((u) => u.id)).toEqual([early.id]);
    await store.deleteUpload(early.id);
    expect((await store.expiredUploads(t + 2 * HOUR, 10)).map((u) => u.id)).toEqual([late.id]);
  });

  it('counts the open uploads of a local system and the bytes they declared', async () => {
    const store = await connect();
    const t = window();
    const localSystem = `case-system-${uid()}`;
    expect(await store.openUploads(localSystem, t)).toEqual({ count: 0, bytes: 0 });
    const [a, b, done, old] = [
      upload(t, { localSystem, length: 1000 }),
      upload(t, { localSystem, length: 2_500_000_000 }),
      upload(t, { localSystem, length: 7 }),
      upload(t, { localSystem, length: 9, expiresAt: t + MINUTE }),
    ];
    for (const u of [a, b, done, old, upload(t)]) await store.createUpload(u, t);
    await store.completeUpload(done.id, { digest: HEX_A, mediaType: 'application/pdf' }, t);
    // A finished upload counts by its bytes only; expired ones and other systems' do not count.
    expect(await store.openUploads(localSystem, t + MINUTE)).toEqual({ count: 2, bytes: 2_500_001_007 });
    await store.deleteUpload(a.id);
    expect(await store.openUploads(localSystem, t + MINUTE)).toEqual({ count: 1, bytes: 2_500_000_007 });
  });

  it('keeps the files of a submission and consumes its uploads in the same unit, once', async () => {
    const store = await connect();
    const t = window();
    const localSystem = `case-system-${uid()}`;
    const [a, b, spare] = [
      upload(t, { localSystem }),
      upload(t, { localSystem }),
      upload(t, { localSystem }),
    ];
    for (const u of [a, b, spare]) {
      await store.createUpload(u, t);
      await store.completeUpload(u.id, { digest: HEX_A, mediaType: 'application/pdf' }, t);
    }
    const [f0, f1] = files() as [AttachmentRef, AttachmentRef];
    const key = { key: uid(), requestSha256: 'digest-a' };
    const input = outbound(t + 1, ['320500'], {
      localSystem,
      idempotency: key,
      attachments: [
        { ...f0, uploadId: a.id },
        { ...f1, uploadId: b.id },
      ],
    });
    expect(await store.submitOutbound(input, t + 1)).toEqual({
      status: 'stored',
      messageId: input.messageId,
    });
    expect(await store.outboundFiles(input.messageId)).toEqual([
      { ...f0, state: 'arrived', bytes: f0.size, updatedAt: t + 1 },
      { ...f1, state: 'arrived', bytes: f1.size, updatedAt: t + 1 },
    ]);
    expect(await store.getUpload(a.id, localSystem)).toBeUndefined();
    expect(await store.getUpload(b.id, localSystem)).toBeUndefined();
    expect(await store.inboundFiles('', input.messageId)).toEqual([]);
    expect(await store.filesReceipts(input.messageId)).toEqual([]);

    // A replay under the same key writes nothing: no second set of files, no upload consumed.
    const replay = outbound(t + 2, ['320500'], {
      localSystem,
      idempotency: key,
      attachments: [{ ...f0, uploadId: spare.id }],
    });
    expect(await store.submitOutbound(replay, t + 2)).toEqual({
      status: 'replayed',
      messageId: input.messageId,
    });
    expect(await store.outboundFiles(input.messageId)).toHaveLength(2);
    expect(await store.outboundFiles(replay.messageId)).toEqual([]);
    expect(await store.getUpload(spare.id, localSystem)).toMatchObject({ id: spare.id });

    // A message without files has none.
    const plain = outbound(t + 3, ['320500']);
    await store.submitOutbound(plain, t + 3);
    expect(await store.outboundFiles(plain.messageId)).toEqual([]);
  });

  it('holds the local deliveries of a message with files and queues one transfer job', async () => {
    const store = await connect();
    const t = window();
    const [pushed, pulled] = [`push-${uid()}`, `pull-${uid()}`];
    const input = inbound(
      t,
      [
        { localSystem: pushed, mode: 'push', body: { n: 1 } },
        { localSystem: pulled, mode: 'pull', body: { n: 2 } },
      ],
      { attachments: files(), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    );
    expect(await store.receiveInbound(input, t)).toEqual({ status: 'stored' });
    expect(await store.inboundFiles(input.iss, input.jti)).toEqual(
      files().map((f) => ({ ...f, state: 'pending', bytes: 0, updatedAt: t })),
    );
    expect(await store.outboundFiles(input.jti)).toEqual([]);
    expect(await store.claimLocalPushes(worker('w', 10), t + 1)).toEqual([]);
    expect((await store.listPull(pulled, undefined, 10)).items).toEqual([]);
    const view = await store.getInbound(input.iss, input.jti);
    expect(view?.localDeliveries).toHaveLength(2);
    expect(view?.localDeliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ localSystem: pushed, mode: 'push', status: 'held' }),
        expect.objectContaining({ localSystem: pulled, mode: 'pull', status: 'held' }),
      ]),
    );
    // The audit log says what came in, as for any message.
    expect((await store.auditForMessage(input.jti)).map((e) => e.kind)).toEqual([
      'message-in',
      'receipt-out',
    ]);
    // A duplicate reception queues nothing more.
    expect(await store.receiveInbound(input, t + 1)).toMatchObject({ status: 'duplicate' });

    expect(await store.claimFileFetches(worker('f', 10), t - 1)).toEqual([]);
    expect(await store.claimFileFetches(worker('f', 0), t)).toEqual([]);
    const claims = await store.claimFileFetches(worker('f', 10), t);
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({
      iss: input.iss,
      jti: input.jti,
      attempts: 1,
      traceparent: input.traceparent,
      files: files().map((f) => ({ ...f, state: 'pending', bytes: 0 })),
    });
    expect(claims[0]?.filesReceipt).toBeUndefined();
    expect(claims[0]?.leaseToken).toEqual(expect.any(String));
  });

  it('leases a transfer job to one claimant until its lease expires, and a lost lease writes nothing', async () => {
    const [store, other] = [await connect(), await connect()];
    const t = window();
    const ls = `push-${uid()}`;
    const input = inbound(t, [{ localSystem: ls, mode: 'push', body: { n: 1 } }], { attachments: files() });
    await store.receiveInbound(input, t);
    const [first] = await store.claimFileFetches(worker('f1', 10), t);
    expect(first).toMatchObject({ jti: input.jti, attempts: 1 });
    expect(first?.traceparent).toBeUndefined();
    expect(await other.claimFileFetches(worker('f2', 10), t + 1)).toEqual([]);
    expect(await other.claimFileFetches(worker('f2', 10), t + LEASE)).toEqual([]);
    const [second] = await other.claimFileFetches(worker('f2', 10), t + LEASE + 1);
    expect(second).toMatchObject({ id: first?.id, jti: input.jti, attempts: 2 });
    expect(second?.leaseToken).not.toBe(first?.leaseToken);

    const settled = { outcome: 'arrived', receipt: settledReceipt('lost'), detail: '2 arrived' } as const;
    expect(await store.settleFiles(lease(first), settled, t + LEASE + 2)).toBe(false);
    expect(await store.completeFileFetch(lease(first), { kind: 'done' }, t + LEASE + 2)).toBe(false);
    expect((await store.auditForMessage(input.jti)).map((e) => e.kind)).toEqual([
      'message-in',
      'receipt-out',
    ]);
    expect((await store.getInbound(input.iss, input.jti))?.localDeliveries).toEqual([
      expect.objectContaining({ localSystem: ls, status: 'held' }),
    ]);
    expect(await store.claimLocalPushes(worker('w', 10), t + LEASE + 3)).toEqual([]);
    // The holder's lease also ends at its expiry.
    const late = 2 * LEASE + 2;
    expect(await other.settleFiles(lease(second), settled, t + late)).toBe(false);
    expect(await other.completeFileFetch(lease(second), { kind: 'done' }, t + late)).toBe(false);
    const [third] = await store.claimFileFetches(worker('f3', 10), t + late);
    expect(third).toMatchObject({ id: first?.id, attempts: 3 });
  });

  it('records the progress of each file, never going back from arrived', async () => {
    const store = await connect();
    const t = window();
    const input = inbound(t, [], { attachments: files() });
    await store.receiveInbound(input, t);
    await store.recordFileProgress(input.iss, input.jti, 1, { state: 'pending', bytes: 65_536 }, t + 1);
    await store.recordFileProgress(input.iss, input.jti, 0, { state: 'arrived', bytes: 1000 }, t + 2);
    expect(await store.inboundFiles(input.iss, input.jti)).toEqual([
      { ...files()[0], state: 'arrived', bytes: 1000, updatedAt: t + 2 },
      { ...files()[1], state: 'pending', bytes: 65_536, updatedAt: t + 1 },
    ]);
    await store.recordFileProgress(input.iss, input.jti, 0, { state: 'pending', bytes: 0 }, t + 3);
    const refusal = { state: 'refused', bytes: 10, error: 'attachment_digest_mismatch' } as const;
    await store.recordFileProgress(input.iss, input.jti, 1, refusal, t + 4);
    expect(await store.inboundFiles(input.iss, input.jti)).toEqual([
      { ...files()[0], state: 'arrived', bytes: 1000, updatedAt: t + 2 },
      { ...files()[1], state: 'refused', bytes: 10, error: 'attachment_digest_mismatch', updatedAt: t + 4 },
    ]);
    // Another sender's message of the same jti is another message.
    expect(await store.inboundFiles('310000', input.jti)).toEqual([]);
  });

  it('releases held deliveries when every file arrived, after what a pull client already read', async () => {
    const store = await connect();
    const t = window();
    const [pushed, pulled] = [`push-${uid()}`, `pull-${uid()}`];
    const withFiles = inbound(
      t,
      [
        { localSystem: pushed, mode: 'push', body: { n: 1 } },
        { localSystem: pulled, mode: 'pull', body: { n: 'files' } },
      ],
      { attachments: files() },
    );
    await store.receiveInbound(withFiles, t);
    // A later message without files goes straight to the pull client, which moves its cursor past it.
    const plain = inbound(t + 1, [{ localSystem: pulled, mode: 'pull', body: { n: 'plain' } }]);
    await store.receiveInbound(plain, t + 1);
    const page = await store.listPull(pulled, undefined, 10);
    expect(page.items.map((i) => i.body)).toEqual([{ n: 'plain' }]);
    expect(await store.ackPull(pulled, page.cursor ?? '', t + 2)).toBe(1);

    const [claim] = await store.claimFileFetches(worker('f', 10), t + 3);
    for (const f of files())
      await store.recordFileProgress(
        withFiles.iss,
        withFiles.jti,
        f.index,
        { state: 'arrived', bytes: f.size },
        t + 4,
      );
    const receipt = settledReceipt(`files-${uid()}`);
    const settled = { outcome: 'arrived', receipt, detail: '2 arrived' } as const;
    expect(await store.settleFiles(lease(claim), settled, t + 5)).toBe(true);

    const released = await store.listPull(pulled, page.cursor, 10);
    expect(released.items.map((i) => [i.jti, i.body])).toEqual([[withFiles.jti, { n: 'files' }]]);
    expect(increasing([page.cursor ?? '', released.cursor ?? ''])).toBe(true);
    expect((await store.listPull(pulled, undefined, 10)).items.map((i) => i.jti)).toEqual([withFiles.jti]);
    expect(await store.claimLocalPushes(worker('w', 10), t + 4)).toEqual([]);
    const pushes = await store.claimLocalPushes(worker('w', 10), t + 5);
    expect(pushes).toHaveLength(1);
    expect(pushes[0]).toMatchObject({ localSystem: pushed, jti: withFiles.jti, body: { n: 1 }, attempts: 1 });
    const view = await store.getInbound(withFiles.iss, withFiles.jti);
    expect(view?.localDeliveries).toHaveLength(2);
    expect(view?.localDeliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ localSystem: pushed, status: 'sending', attempts: 1 }),
        expect.objectContaining({ localSystem: pulled, status: 'queued', attempts: 0 }),
      ]),
    );
    expect(view?.localDeliveries.every((l) => l.id !== '')).toBe(true);
    expect(await store.localCanonical(pulled, withFiles.jti)).toMatchObject({
      canonical: withFiles.canonical,
    });

    const audit = await store.auditForMessage(withFiles.jti);
    expect(audit.map((e) => e.kind)).toEqual(['message-in', 'receipt-out', 'files-receipt-out']);
    expect(audit[2]).toMatchObject({
      at: t + 5,
      messageId: withFiles.jti,
      partner: withFiles.iss,
      sha256: receipt.sha256,
      detail: '2 arrived',
    });

    // Sending the receipt failed: the job comes back with the receipt to send, and fetches nothing.
    const retry = { kind: 'retry', nextAttemptAt: t + MINUTE, error: 'HTTP 503' } as const;
    expect(await store.completeFileFetch(lease(claim), retry, t + 6)).toBe(true);
    expect(await store.completeFileFetch(lease(claim), { kind: 'done' }, t + 7)).toBe(false);
    expect(await store.claimFileFetches(worker('f', 10), t + MINUTE - 1)).toEqual([]);
    const [again] = await store.claimFileFetches(worker('f', 10), t + MINUTE);
    expect(again).toMatchObject({ id: claim?.id, attempts: 2, filesReceipt: receipt });
    expect(again?.files.every((f) => f.state === 'arrived')).toBe(true);
    expect(await store.completeFileFetch(lease(again), { kind: 'done' }, t + MINUTE + 1)).toBe(true);
    expect(await store.claimFileFetches(worker('f', 10), t + HOUR)).toEqual([]);
    // Nothing is delivered twice.
    expect((await store.listPull(pulled, undefined, 10)).items).toHaveLength(1);
    expect(await store.claimLocalPushes(worker('w', 10), t + HOUR)).toEqual([
      expect.objectContaining({ localSystem: pushed, attempts: 2 }),
    ]);
  });

  it('keeps deliveries held after a refusal until the job is requeued and the files arrive', async () => {
    const store = await connect();
    const t = window();
    const ls = `push-${uid()}`;
    const input = inbound(t, [{ localSystem: ls, mode: 'push', body: { n: 1 } }], { attachments: files() });
    await store.receiveInbound(input, t);
    // A job still queued, or unknown, is not requeued.
    expect(await store.requeueFileFetch(input.iss, input.jti, t)).toBe(false);
    expect(await store.requeueFileFetch(input.iss, `missing-${uid()}`, t)).toBe(false);

    const [claim] = await store.claimFileFetches(worker('f', 10), t);
    await store.recordFileProgress(input.iss, input.jti, 0, { state: 'arrived', bytes: 1000 }, t + 1);
    const refusal = { state: 'refused', bytes: 0, error: 'attachment_digest_mismatch' } as const;
    await store.recordFileProgress(input.iss, input.jti, 1, refusal, t + 1);
    const receipt = settledReceipt(`refused-${uid()}`);
    const refused = { outcome: 'refused', receipt, detail: 'refused: attachment_digest_mismatch' } as const;
    expect(await store.settleFiles(lease(claim), refused, t + 2)).toBe(true);
    expect(await store.claimLocalPushes(worker('w', 10), t + 2)).toEqual([]);
    expect((await store.getInbound(input.iss, input.jti))?.localDeliveries).toEqual([
      expect.objectContaining({ localSystem: ls, status: 'held' }),
    ]);
    expect((await store.auditForMessage(input.jti)).at(-1)).toMatchObject({
      kind: 'files-receipt-out',
      sha256: receipt.sha256,
      detail: 'refused: attachment_digest_mismatch',
    });
    expect(await store.completeFileFetch(lease(claim), { kind: 'done' }, t + 3)).toBe(true);
    expect(await store.claimFileFetches(worker('f', 10), t + HOUR)).toEqual([]);

    // The sender fixed its side: the refused file is fetched again, the arrived one is kept.
    expect(await store.requeueFileFetch(input.iss, input.jti, t + HOUR)).toBe(true);
    expect(await store.requeueFileFetch(input.iss, input.jti, t + HOUR)).toBe(false);
    expect(await store.inboundFiles(input.iss, input.jti)).toEqual([
      { ...files()[0], state: 'arrived', bytes: 1000, updatedAt: t + 1 },
      { ...files()[1], state: 'pending', bytes: 0, updatedAt: t + HOUR },
    ]);
    const [again] = await store.claimFileFetches(worker('f', 10), t + HOUR);
    expect(again).toMatchObject({ id: claim?.id, attempts: 1 });
    expect(again?.filesReceipt).toBeUndefined();
    await store.recordFileProgress(
      input.iss,
      input.jti,
      1,
      { state: 'arrived', bytes: 2_500_000 },
      t + HOUR + 1,
    );
    const arrived = {
      outcome: 'arrived',
      receipt: settledReceipt(`ok-${uid()}`),
      detail: '2 arrived',
    } as const;
    expect(await store.settleFiles(lease(again), arrived, t + HOUR + 2)).toBe(true);
    expect(await store.claimLocalPushes(worker('w', 10), t + HOUR + 2)).toEqual([
      expect.objectContaining({ localSystem: ls, jti: input.jti }),
    ]);
  });

  it('requeues a job that died fetching, and ends one that died', async () => {
    const store = await connect();
    const t = window();
    const ls = `pull-${uid()}`;
    const input = inbound(t, [{ localSystem: ls, mode: 'pull', body: { n: 1 } }], { attachments: files() });
    await store.receiveInbound(input, t);
    expect(await store.fileFetchJob(input.iss, input.jti)).toEqual({
      status: 'queued',
      attempts: 0,
      nextAttemptAt: t,
      updatedAt: t,
    });
    const [claim] = await store.claimFileFetches(worker('f', 10), t);
    expect(await store.fileFetchJob(input.iss, input.jti)).toMatchObject({ status: 'sending', attempts: 1 });
    const died = { kind: 'dead', error: 'sender unreachable' } as const;
    expect(await store.completeFileFetch(lease(claim), died, t + 1)).toBe(true);
    expect(await store.fileFetchJob(input.iss, input.jti)).toEqual({
      status: 'dead',
      attempts: 1,
      lastError: 'sender unreachable',
      updatedAt: t + 1,
    });
    expect(await store.claimFileFetches(worker('f', 10), t + HOUR)).toEqual([]);
    expect((await store.listPull(ls, undefined, 10)).items).toEqual([]);
    expect(await store.requeueFileFetch(input.iss, input.jti, t + HOUR)).toBe(true);
    const [again] = await store.claimFileFetches(worker('f', 10), t + HOUR);
    expect(again).toMatchObject({ id: claim?.id, attempts: 1 });
    expect(again?.files.map((f) => f.state)).toEqual(['pending', 'pending']);
  });

  it('stores files receipts from recipients of the message, the newest of each', async () => {
    const store = await connect();
    const t = window();
    const sent = outbound(t, ['320500', '310000']);
    await store.submitOutbound(sent, t);
    const receipt = (
      recipient: string,
      issuedAt: number,
      status: 'arrived' | 'refused',
    ): StoredFilesReceipt => ({
      messageId: sent.messageId,
      recipient,
      token: `files-receipt.${recipient}.${issuedAt}`,
      sha256: `sha-${recipient}-${issuedAt}`,
      status,
      files:
        status === 'arrived'
          ? [
              { index: 0, status: 'arrived' },
              { index: 1, status: 'arrived' },
            ]
          : [
              { index: 0, status: 'arrived' },
              { index: 1, status: 'refused', reason: 'attachment_digest_mismatch' },
            ],
      issuedAt,
    });

    expect(await store.recordFilesReceipt(receipt('330100', t + 1, 'arrived'), t + 1)).toBe(false);
    expect(
      await store.recordFilesReceipt(
        { ...receipt('320500', t, 'arrived'), messageId: `missing-${uid()}` },
        t,
      ),
    ).toBe(false);
    expect(await store.filesReceipts(sent.messageId)).toEqual([]);

    const refused = receipt('320500', t + 10, 'refused');
    expect(await store.recordFilesReceipt(refused, t + 11)).toBe(true);
    expect(await store.filesReceipts(sent.messageId)).toEqual([{ ...refused, receivedAt: t + 11 }]);
    // An older one (or the same one again) does not replace it, and appends nothing.
    expect(await store.recordFilesReceipt(receipt('320500', t + 5, 'arrived'), t + 12)).toBe(true);
    expect(await store.recordFilesReceipt(refused, t + 13)).toBe(true);
    expect(await store.filesReceipts(sent.messageId)).toEqual([{ ...refused, receivedAt: t + 11 }]);

    const arrived = receipt('320500', t + 20, 'arrived');
    const other = receipt('310000', t + 15, 'arrived');
    expect(await store.recordFilesReceipt(arrived, t + 21)).toBe(true);
    expect(await store.recordFilesReceipt(other, t + 22)).toBe(true);
    expect(await store.filesReceipts(sent.messageId)).toEqual([
      { ...other, receivedAt: t + 22 },
      { ...arrived, receivedAt: t + 21 },
    ]);

    const audit = (await store.auditForMessage(sent.messageId)).filter((e) => e.kind === 'files-receipt-in');
    expect(audit.map((e) => [e.partner, e.sha256, e.detail, e.at])).toEqual([
      ['320500', refused.sha256, 'refused', t + 11],
      ['320500', arrived.sha256, 'arrived', t + 21],
      ['310000', other.sha256, 'arrived', t + 22],
    ]);
  });

  it('delivers a message without files as before: nothing held, no transfer job', async () => {
    const store = await connect();
    const t = window();
    const [pushed, pulled] = [`push-${uid()}`, `pull-${uid()}`];
    const input = inbound(
      t,
      [
        { localSystem: pushed, mode: 'push', body: { n: 1 } },
        { localSystem: pulled, mode: 'pull', body: { n: 2 } },
      ],
      { attachments: [] },
    );
    await store.receiveInbound(input, t);
    expect(await store.inboundFiles(input.iss, input.jti)).toEqual([]);
    expect(await store.claimFileFetches(worker('f', 10), t + HOUR)).toEqual([]);
    expect((await store.getInbound(input.iss, input.jti))?.localDeliveries).toEqual([
      expect.objectContaining({ localSystem: pushed, status: 'queued' }),
      expect.objectContaining({ localSystem: pulled, status: 'queued' }),
    ]);
    expect(await store.claimLocalPushes(worker('w', 10), t)).toEqual([
      expect.objectContaining({ localSystem: pushed, jti: input.jti }),
    ]);
    expect((await store.listPull(pulled, undefined, 10)).items.map((i) => i.jti)).toEqual([input.jti]);
    expect(await store.requeueFileFetch(input.iss, input.jti, t + HOUR)).toBe(false);
    expect(await store.fileFetchJob(input.iss, input.jti)).toBeUndefined();
  });

  it('reads back the files receipt the recipient signed, the last one after a requeue', async () => {
    const store = await connect();
    const t = window();
    const input = inbound(t, [{ localSystem: `pull-${uid()}`, mode: 'pull', body: { n: 1 } }], {
      attachments: files(),
    });
    await store.receiveInbound(input, t);
    expect(await store.filesReceiptOut(input.iss, input.jti)).toBeUndefined();
    expect(await store.filesReceiptOut(input.iss, `jti-${uid()}`)).toBeUndefined();
    const [claim] = await store.claimFileFetches(worker('f', 10), t);
    const refusedReceipt = settledReceipt(`refused-${uid()}`);
    await store.recordFileProgress(input.iss, input.jti, 1, { state: 'refused', bytes: 0, error: 'x' }, t);
    const refused = { outcome: 'refused', receipt: refusedReceipt, detail: 'refused: x' } as const;
    expect(await store.settleFiles(lease(claim), refused, t + 1)).toBe(true);
    expect(await store.filesReceiptOut(input.iss, input.jti)).toEqual(refusedReceipt);
    await store.completeFileFetch(lease(claim), { kind: 'done' }, t + 2);
    // Requeued after a refusal: the refusing receipt is no longer the one to send.
    expect(await store.requeueFileFetch(input.iss, input.jti, t + 3)).toBe(true);
    expect(await store.filesReceiptOut(input.iss, input.jti)).toBeUndefined();
    const [again] = await store.claimFileFetches(worker('f', 10), t + 3);
    const arrivedReceipt = settledReceipt(`arrived-${uid()}`);
    const arrived = { outcome: 'arrived', receipt: arrivedReceipt, detail: '2 arrived' } as const;
    expect(await store.settleFiles(lease(again), arrived, t + 4)).toBe(true);
    expect(await store.filesReceiptOut(input.iss, input.jti)).toEqual(arrivedReceipt);
    // The sender's side of the same id is another message.
    expect(await store.filesReceiptOut('', input.jti)).toBeUndefined();
  });

  it('frees the files of messages removed after retention, a shared blob only once no message or upload holds it', async () => {
    const store = await connect();
    const t = window();
    const domain = 'road-transport';
    const [shared, own, uploaded, inOnly, leased] = [
      digestOf(),
      digestOf(true),
      digestOf(),
      digestOf(true),
      digestOf(),
    ];
    const send = async (at: number, digests: string[]) => {
      const m = outbound(at, ['320500'], {
        domain,
        attachments: digests.map((d, i) => ({ ...fileWith(i, d), uploadId: `up-${uid()}` })),
      });
      await store.submitOutbound(m, at);
      return m;
    };
    const old = await send(t, [shared, own]);
    const young = await send(t + 3 * DAY, [shared]);
    const alsoUploaded = await send(t, [uploaded]);
    const localSystem = `case-system-${uid()}`;
    const pendingUpload = upload(t, { localSystem });
    await store.createUpload(pendingUpload, t);
    await store.completeUpload(pendingUpload.id, { digest: uploaded, mediaType: 'application/pdf' }, t);
    for (const c of await store.claimDeliveries(worker('w', 50), t + 3 * DAY))
      if ([old, young, alsoUploaded].some((m) => m.messageId === c.messageId))
        await store.completeDelivery(lease(c), { kind: 'delivered', receipt: dummyReceipt }, t + 3 * DAY);
    // Inbound: one whose files never came (deliveries held, job queued), one being fetched right now.
    const ls = `pull-${uid()}`;
    const stuck = inbound(t, [{ localSystem: ls, mode: 'pull', body: { n: 'held' } }], {
      domain,
      attachments: [fileWith(0, inOnly), fileWith(1, shared)],
    });
    const fetching = inbound(t, [{ localSystem: ls, mode: 'pull', body: { n: 'fetching' } }], {
      domain,
      attachments: [fileWith(0, leased)],
    });
    await store.receiveInbound(stuck, t);
    await store.receiveInbound(fetching, t);
    const now = t + 4 * DAY;
    const claimed = (await store.claimFileFetches(worker('f', 50), now)).filter(
      (c) => c.jti === fetching.jti || c.jti === stuck.jti,
    );
    const live = claimed.find((c) => c.jti === fetching.jti);
    // Only the transfer of `fetching` stays leased; the other is given back to be due again.
    const back = claimed.find((c) => c.jti === stuck.jti);
    const retry = { kind: 'retry', nextAttemptAt: now + HOUR, error: 'HTTP 503' } as const;
    expect(await store.completeFileFetch(lease(back), retry, now)).toBe(true);

    const first = await store.purgePayloads({ [domain]: now - 2 * DAY }, now);
    expect(first.outbound).toBe(2);
    expect(first.inbound).toBe(1);
    // `shared` is still the young message's; `uploaded` is an upload's; `leased` is being fetched.
    expect(first.blobs).toEqual([own, inOnly].sort());
    expect(await store.outboundFiles(old.messageId)).toEqual([]);
    expect(await store.outboundFiles(alsoUploaded.messageId)).toEqual([]);
    expect(await store.outboundFiles(young.messageId)).toHaveLength(1);
    expect(await store.inboundFiles(stuck.iss, stuck.jti)).toEqual([]);
    expect(await store.inboundFiles(fetching.iss, fetching.jti)).toHaveLength(1);
    // The held delivery is gone, never to be released with a removed body; its job ended.
    expect((await store.getInbound(stuck.iss, stuck.jti))?.localDeliveries).toEqual([]);
    expect(await store.requeueFileFetch(stuck.iss, stuck.jti, now + 2 * HOUR)).toBe(false);
    expect(await store.claimFileFetches(worker('f', 50), now + 1)).toEqual([]);
    expect((await store.listPull(ls, undefined, 10)).items).toEqual([]);
    expect(await store.getUpload(pendingUpload.id, localSystem)).toMatchObject({ digest: uploaded });

    // The transfer's lease ran out: the message goes now, with its file.
    const later = now + LEASE + 1;
    const second = await store.purgePayloads({ [domain]: now - 2 * DAY }, later);
    expect(second).toEqual({ outbound: 0, inbound: 1, blobs: [leased] });
    expect(live).toBeDefined();
    expect(
      await store.settleFiles(
        lease(live),
        { outcome: 'arrived', receipt: settledReceipt('x'), detail: '' },
        later,
      ),
    ).toBe(false);
    expect(await store.claimFileFetches(worker('f', 50), later + HOUR)).toEqual([]);

    // The young message's turn: the shared blob is freed at last.
    const last = await store.purgePayloads({ [domain]: now + 2 * DAY }, now + 5 * DAY);
    expect(last).toEqual({ outbound: 1, inbound: 0, blobs: [shared] });
    expect(await store.outboundFiles(young.messageId)).toEqual([]);
  });
}
