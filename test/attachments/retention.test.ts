import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signGrant } from '../../src/attachments/grant.js';
import { retentionWorker } from '../../src/exchange/retention/retention.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { tempDir } from '../helpers/tmp.js';
import { example, pdfBytes, sha256, tusUpload } from './helpers.js';

/**
 * Retention takes the case files with the payload: Huzhou sends Suzhou two messages carrying the same
 * file (one blob on each node); removing the first message's payload keeps the blob, the second's
 * removes it from disk, and the sender then answers a recipient's download with attachment_not_found.
 */
const dir = tempDir('yrdx-files-retention-');
let huzhou: LiveNode;
let suzhou: LiveNode;

beforeAll(async () => {
  [huzhou, suzhou] = (await startNodes(
    [
      { id: '330500', name: '湖州', province: 'zj', contractMajors: { 'food-safety': 1 } },
      { id: '320500', name: '苏州', province: 'js', contractMajors: { 'food-safety': 1 } },
    ],
    dir,
  )) as [LiveNode, LiveNode];
});

afterAll(async () => {
  await Promise.all([huzhou?.stop(), suzhou?.stop()]);
});

const blobFile = (node: LiveNode, digest: string) =>
  join(node.state.config.dataDir, 'files', 'blobs', 'sha256', digest.slice(0, 2), digest);

/** Sends the file and waits until Suzhou confirmed it and delivered the message to its local system. */
async function send(bytes: Uint8Array): Promise<{ id: string; createdAt: number; receivedAt: number }> {
  const { id: upload } = await tusUpload(huzhou.url, huzhou.apiKey, bytes);
  const res = await huzhou.submit({
    to: suzhou.id,
    domain: 'food-safety',
    type: 'assistance-request',
    body: example('food-safety', 'zj', 'assistance-request'),
    attachments: [{ upload }],
  });
  expect(res.status, await res.clone().text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  const store = huzhou.exchange.deps.store;
  await eventually(async () => {
    const [receipt] = await store.filesReceipts(id);
    const view = await store.getOutbound(id);
    return receipt?.status === 'arrived' && view?.deliveries.every((d) => d.status === 'delivered')
      ? true
      : undefined;
  });
  const received = await eventually(async () => {
    const view = await suzhou.exchange.deps.store.getInbound(huzhou.id, id);
    return view?.localDeliveries.every((l) => l.status === 'delivered') ? view : undefined;
  });
  return { id, createdAt: (await store.getOutbound(id))!.createdAt, receivedAt: received.receivedAt };
}

/** Suzhou asks Huzhou for file 0 of a message, with a grant it signed. */
async function download(id: string, digest: string): Promise<Response> {
  const grant = await signGrant({
    self: suzhou.id,
    sender: huzhou.id,
    messageId: id,
    index: 0,
    digest,
    lifetimeSeconds: 60,
    now: Date.now(),
    signer: suzhou.exchange.deps.keyring().signer,
  });
  return fetch(`${huzhou.url}/v1/attachments/${id}/0`, { headers: { authorization: `Bearer ${grant}` } });
}

/** One retention run of `node` as if it were `at`, with every food-safety payload stored before `at` due. */
const retain = (node: LiveNode, at: number) =>
  retentionWorker({
    ...node.exchange.deps,
    now: () => at,
    config: { ...node.exchange.deps.config, retentionDays: { 'food-safety': 0 } },
  }).runOnce();

describe('retention of messages with case files', () => {
  it('deletes a blob once no message holds it, and the sender then answers attachment_not_found', async () => {
    const bytes = pdfBytes(300_000, 7);
    const digest = sha256(bytes);
    const first = await send(bytes);
    const second = await send(bytes);
    expect(second.createdAt).toBeGreaterThan(first.createdAt + 1);
    expect(second.receivedAt).toBeGreaterThan(first.receivedAt + 1);
    for (const node of [huzhou, suzhou]) expect(existsSync(blobFile(node, digest))).toBe(true);

    // The first message's payload goes; the second still holds the file on both nodes.
    await retain(huzhou, first.createdAt + 1);
    await retain(suzhou, first.receivedAt + 1);
    expect((await huzhou.exchange.deps.store.getOutbound(first.id))?.purgedAt).toBeDefined();
    expect((await huzhou.exchange.deps.store.getOutbound(second.id))?.purgedAt).toBeUndefined();
    for (const node of [huzhou, suzhou]) expect(existsSync(blobFile(node, digest))).toBe(true);
    const gone = await download(first.id, digest);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { code: string }).code).toBe('attachment_not_found');
    const kept = await download(second.id, digest);
    expect(kept.status).toBe(200);
    expect(sha256(new Uint8Array(await kept.arrayBuffer()))).toBe(digest);

    // The second's turn: the blob leaves both disks.
    const later = Date.now() + 1000;
    await retain(huzhou, later);
    await retain(suzhou, later);
    for (const node of [huzhou, suzhou]) expect(existsSync(blobFile(node, digest))).toBe(false);
    const none = await download(second.id, digest);
    expect(none.status).toBe(404);
    expect(((await none.json()) as { code: string }).code).toBe('attachment_not_found');
    // The recipient's local system no longer finds the message (its payload is gone).
    const local = await fetch(`${suzhou.url}/v1/inbox/messages/${second.id}/attachments/0`, {
      headers: { authorization: `Bearer ${suzhou.apiKey}` },
    });
    expect(local.status).toBe(404);
    // What is kept: digests, receipts and the files receipts.
    expect(await huzhou.exchange.deps.store.filesReceipts(second.id)).toEqual([
      expect.objectContaining({ recipient: suzhou.id, status: 'arrived' }),
    ]);
    expect(await suzhou.exchange.deps.store.filesReceiptOut(huzhou.id, second.id)).toMatchObject({
      token: expect.any(String),
    });
  });
});
