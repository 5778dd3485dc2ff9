import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfBytes, sha256 } from '../attachments/helpers.js';
import { eventually } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';
import { type Administered, caseFileNodes, sendFile, type Tokens, transferIs } from './case-files-setup.js';

/**
 * Case files in the admin API between two real nodes: the files of a message in both views, the
 * download (admin and auditor, never operator; byte-identical, with ranges; audited), and the requeue
 * of a refused or dead transfer (admin and operator; audited).
 */
let nodes: Awaited<ReturnType<typeof caseFileNodes>>;
let huzhou: Administered;
let suzhou: Administered;
let tokens: Tokens;
const bytes = pdfBytes(300 * 1024 + 7, 3);
let arrived = '';

const call = (
  at: Administered,
  as: keyof Tokens | 'none',
  path: string,
  init: RequestInit & { headers?: Record<string, string> } = {},
) =>
  fetch(`${at.url}/admin/v1${path}`, {
    ...init,
    headers: { ...(as === 'none' ? {} : { authorization: `Bearer ${tokens[as]}` }), ...init.headers },
  });

const view = async (at: Administered, id: string) => {
  const res = await call(at, 'auditor', `/messages/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as {
    outbound?: {
      attachments?: Record<string, unknown>[];
      filesReceipts?: { recipient: string; status: string; files: { index: number; status: string }[] }[];
    };
    inbound: {
      attachments?: { state: string; bytes: number; size: number; error?: string }[];
      transfer?: { status: string; attempts: number; requeueable: boolean; lastError?: string };
    }[];
  };
};

beforeAll(async () => {
  nodes = await caseFileNodes(tempDir('yrdx-admin-files-'));
  ({ huzhou, suzhou, tokens } = nodes);
  arrived = await sendFile(huzhou.node, bytes);
  await transferIs(suzhou.node, arrived, 'done');
}, patient(60_000));

afterAll(async () => {
  await nodes?.stop();
});

describe('a message’s case files in the admin API', () => {
  it('outbound: each file as signed, and what each recipient’s files receipt says', async () => {
    const doc = await eventually(async () => {
      const v = await view(huzhou, arrived);
      return v.outbound?.filesReceipts?.[0]?.status === 'arrived' ? v : undefined;
    });
    expect(doc.outbound?.attachments).toEqual([
      {
        index: 0,
        name: '案件材料.pdf',
        mediaType: 'application/pdf',
        size: bytes.length,
        digest: sha256(bytes),
        sha256: sha256(bytes),
      },
    ]);
    expect(doc.outbound?.filesReceipts).toEqual([
      expect.objectContaining({
        recipient: '320500',
        status: 'arrived',
        files: [expect.objectContaining({ index: 0, status: 'arrived' })],
        receipt: expect.objectContaining({ token: expect.any(String) }),
      }),
    ]);
  });

  it('inbound: each file’s state and bytes held, and the transfer job', async () => {
    const doc = await view(suzhou, arrived);
    expect(doc.inbound[0]?.attachments).toEqual([
      expect.objectContaining({
        index: 0,
        name: '案件材料.pdf',
        size: bytes.length,
        sha256: sha256(bytes),
        state: 'arrived',
        bytes: bytes.length,
      }),
    ]);
    expect(doc.inbound[0]?.transfer).toMatchObject({ status: 'done', attempts: 1, requeueable: false });
  });

  it('a message without files shows none', async () => {
    const res = await huzhou.node.submit({
      to: '320500',
      domain: 'food-safety',
      type: 'assistance-request',
      body: (await import('../attachments/helpers.js')).example('food-safety', 'zj', 'assistance-request'),
    });
    const { id } = (await res.json()) as { id: string };
    const doc = await view(huzhou, id);
    expect(doc.outbound).toBeDefined();
    expect(doc.outbound).not.toHaveProperty('attachments');
    expect(doc.outbound).not.toHaveProperty('filesReceipts');
  });
});

describe('downloading a case file', () => {
  it('gives admin and auditor the bytes as signed, whole or by range, as a download named as written', async () => {
    for (const [at, as] of [
      [suzhou, 'admin'],
      [suzhou, 'auditor'],
      [huzhou, 'auditor'],
    ] as const) {
      const res = await call(at, as, `/messages/${arrived}/attachments/0`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent('案件材料.pdf')}`,
      );
      expect(res.headers.get('content-length')).toBe(String(bytes.length));
      expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(sha256(bytes));
    }
    const part = await call(suzhou, 'auditor', `/messages/${arrived}/attachments/0`, {
      headers: { range: 'bytes=1000-' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-${bytes.length - 1}/${bytes.length}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.subarray(1000));
    const outside = await call(suzhou, 'auditor', `/messages/${arrived}/attachments/0`, {
      headers: { range: `bytes=${bytes.length}-` },
    });
    expect(outside.status).toBe(416);
    expect(((await outside.json()) as { code: string }).code).toBe('range_not_satisfiable');
  });

  it('records who downloaded which file of which message, and which bytes', async () => {
    expect(suzhou.audit.events).toContainEqual(
      expect.objectContaining({
        actor: 'inspector',
        role: 'auditor',
        action: `GET /admin/v1/messages/${arrived}/attachments/0`,
        outcome: 'allowed',
        status: 200,
        detail: `downloaded file 0 "案件材料.pdf" (${sha256(bytes)}, ${bytes.length} bytes) of inbound message ${arrived} from 330500`,
      }),
    );
    expect(suzhou.audit.events).toContainEqual(
      expect.objectContaining({
        actor: 'inspector',
        status: 206,
        detail: expect.stringContaining(`(bytes=1000-) of inbound message ${arrived}`),
      }),
    );
  });

  it('refuses the operator, anonymous callers, other indexes and messages, and files not yet arrived', async () => {
    const operator = await call(suzhou, 'operator', `/messages/${arrived}/attachments/0`);
    expect(operator.status).toBe(403);
    expect(((await operator.json()) as { code: string }).code).toBe('admin_forbidden');
    expect(suzhou.audit.events).toContainEqual(
      expect.objectContaining({ actor: 'duty-operator', outcome: 'refused', status: 403 }),
    );
    expect((await call(suzhou, 'none', `/messages/${arrived}/attachments/0`)).status).toBe(401);
    for (const [path, code] of [
      [`/messages/${arrived}/attachments/1`, 'attachment_not_found'],
      [`/messages/${arrived}/attachments/-1`, 'attachment_not_found'],
      [`/messages/${arrived}/attachments/0x0`, 'attachment_not_found'],
      ['/messages/no-such-message/attachments/0', 'message_not_found'],
    ] as const) {
      const res = await call(suzhou, 'admin', path);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { code: string }).code, path).toBe(code);
    }
  });
});

describe('requeueing a transfer', () => {
  it('refuses one that neither died nor refused a file, and the auditor', async () => {
    const res = await call(suzhou, 'operator', `/messages/${arrived}/attachments/requeue`, {
      method: 'POST',
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe('transfer_not_requeueable');
    const auditor = await call(suzhou, 'auditor', `/messages/${arrived}/attachments/requeue`, {
      method: 'POST',
    });
    expect(auditor.status).toBe(403);
  });

  it('a refused file: shown with its code, requeued by the operator (audited), then fetched', async () => {
    nodes.sender.answer = 404;
    const id = await sendFile(huzhou.node, pdfBytes(64 * 1024, 5));
    await transferIs(suzhou.node, id, 'done');
    const refused = await view(suzhou, id);
    expect(refused.inbound[0]?.attachments?.[0]).toMatchObject({
      state: 'refused',
      error: 'attachment_not_found',
    });
    expect(refused.inbound[0]?.transfer).toMatchObject({ status: 'done', requeueable: true });
    // The pending file cannot be downloaded.
    const early = await call(suzhou, 'admin', `/messages/${id}/attachments/0`);
    expect(early.status).toBe(409);
    expect(((await early.json()) as { code: string }).code).toBe('attachment_not_ready');
    nodes.sender.answer = undefined;
    // A files receipt replaces an earlier one only when issued in a later second (its iat).
    await new Promise((r) => setTimeout(r, 1100));
    const res = await call(suzhou, 'operator', `/messages/${id}/attachments/requeue`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ requeued: id, senders: ['330500'] });
    expect(suzhou.audit.events).toContainEqual(
      expect.objectContaining({
        actor: 'duty-operator',
        role: 'operator',
        action: `POST /admin/v1/messages/${id}/attachments/requeue`,
        outcome: 'allowed',
        detail: `requeued the file transfer of message ${id} from 330500`,
      }),
    );
    await eventually(async () => {
      const v = await view(suzhou, id);
      return v.inbound[0]?.attachments?.[0]?.state === 'arrived' && v.inbound[0].transfer?.status === 'done'
        ? true
        : undefined;
    });
    // The sender learns of the later receipt.
    await eventually(async () =>
      (await view(huzhou, id)).outbound?.filesReceipts?.[0]?.status === 'arrived' ? true : undefined,
    );
  });

  it('a dead transfer: shown dead with its error, requeued by the admin, then fetched', async () => {
    nodes.sender.answer = 503;
    const id = await sendFile(huzhou.node, pdfBytes(32 * 1024, 7));
    await transferIs(suzhou.node, id, 'dead');
    const dead = await view(suzhou, id);
    expect(dead.inbound[0]?.attachments?.[0]).toMatchObject({ state: 'pending', bytes: 0 });
    expect(dead.inbound[0]?.transfer).toMatchObject({
      status: 'dead',
      attempts: 2,
      requeueable: true,
      lastError: expect.stringContaining('503'),
    });
    nodes.sender.answer = undefined;
    const res = await call(suzhou, 'admin', `/messages/${id}/attachments/requeue?sender=330500`, {
      method: 'POST',
    });
    expect(res.status).toBe(200);
    await transferIs(suzhou.node, id, 'done');
    expect((await view(suzhou, id)).inbound[0]?.attachments?.[0]?.state).toBe('arrived');
    // A sender the message did not come from has nothing to requeue.
    const other = await call(suzhou, 'admin', `/messages/${id}/attachments/requeue?sender=310000`, {
      method: 'POST',
    });
    expect(other.status).toBe(409);
  });
});
