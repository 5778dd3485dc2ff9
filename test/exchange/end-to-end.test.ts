import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/contracts/translate.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Huzhou (Zhejiang dialect) and Suzhou (Jiangsu dialect) as real nodes on 127.0.0.1 with real
 * SQLite files: a food-safety assistance request travels from Huzhou's case system to Suzhou's,
 * each in its own dialect, with a verified receipt; Suzhou's reply closes the thread.
 */
let huzhou: LiveNode;
let suzhou: LiveNode;
const example = (dialect: string, type: string) =>
  JSON.parse(
    readFileSync(`contracts/food-safety/2.0.0/dialects/${dialect}/examples/${type}.json`, 'utf8'),
  ) as Record<string, unknown>;

beforeAll(async () => {
  const nodes = await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj' },
      { id: '320500', name: '苏州市', province: 'js', algorithm: 'EdDSA' },
    ],
    tempDir('yrdx-e2e-'),
  );
  huzhou = nodes[0]!;
  suzhou = nodes[1]!;
}, patient(30_000));

afterAll(async () => {
  await Promise.all([huzhou?.stop(), suzhou?.stop()]);
});

describe('a cooperation request between two cities', () => {
  it(
    'arrives in the recipient’s dialect with the same canonical content, with a verified receipt, and the reply closes the thread',
    async () => {
      const body = example('zj', 'assistance-request');
      const submitted = await huzhou.submit(
        { to: '320500', domain: 'food-safety', type: 'assistance-request', body },
        { 'idempotency-key': 'req-0001' },
      );
      expect(submitted.status).toBe(202);
      const accepted = (await submitted.json()) as { id: string; links: { status: string }; thread: string };
      expect(accepted.links.status).toBe(`/v1/messages/${accepted.id}`);

      // Suzhou's case system receives the Jiangsu dialect, with the yrdx headers.
      const pushed = await eventually(
        () => suzhou.pushed.find((p) => p.headers['x-yrdx-message-id'] === accepted.id),
        15_000,
        'the push to Suzhou',
      );
      expect(pushed.headers).toMatchObject({
        'x-yrdx-sender': '330500',
        'x-yrdx-type': 'assistance-request',
        'x-yrdx-domain': 'food-safety',
        'x-yrdx-thread': accepted.thread,
      });
      expect(Object.keys(pushed.body).every((k) => /^[a-z0-9_]+$/.test(k))).toBe(true);
      const contract = huzhou.state.contracts.latest('food-safety')!;
      expect(translate(contract, 'js', 'canonical', 'assistance-request', pushed.body)).toEqual(
        translate(contract, 'zj', 'canonical', 'assistance-request', body),
      );

      // Huzhou holds the receipt and says delivered.
      const status = await eventually(
        async () => {
          const res = await fetch(`${huzhou.url}${accepted.links.status}`, {
            headers: { authorization: `Bearer ${huzhou.apiKey}` },
          });
          const doc = (await res.json()) as {
            status: string;
            deliveries: { receipt?: { sha256: string } }[];
            history: { event: string }[];
          };
          return doc.status === 'delivered' ? doc : undefined;
        },
        15_000,
        'delivered status',
      );
      expect(status.deliveries[0]?.receipt?.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(status.history.map((h) => h.event)).toEqual(expect.arrayContaining(['submitted', 'delivered']));
      const thread = await huzhou.exchange.deps.store.getThread(accepted.thread);
      expect(thread).toMatchObject({ status: 'open', partner: '320500', direction: 'outbound' });

      // The same request again under the same Idempotency-Key: the same answer, nothing new sent.
      const again = await huzhou.submit(
        { to: '320500', domain: 'food-safety', type: 'assistance-request', body },
        { 'idempotency-key': 'req-0001' },
      );
      expect(((await again.json()) as { id: string }).id).toBe(accepted.id);
      const conflict = await huzhou.submit(
        { to: '320500', domain: 'food-safety', type: 'notification', body: example('zj', 'notification') },
        { 'idempotency-key': 'req-0001' },
      );
      expect(conflict.status).toBe(409);

      // Suzhou replies in its own dialect; Huzhou's thread closes.
      const reply = await suzhou.submit({
        to: '330500',
        domain: 'food-safety',
        type: 'assistance-reply',
        inReplyTo: accepted.id,
        body: example('js', 'assistance-reply'),
      });
      expect(reply.status).toBe(202);
      const closed = await eventually(
        async () => {
          const t = await huzhou.exchange.deps.store.getThread(accepted.thread);
          return t?.status === 'closed' ? t : undefined;
        },
        15_000,
        'the thread to close',
      );
      expect(closed.replyId).toBe(((await reply.json()) as { id: string }).id);
      await eventually(
        () => huzhou.pushed.find((p) => p.headers['x-yrdx-type'] === 'assistance-reply'),
        15_000,
        'the reply at Huzhou',
      );
    },
    patient(60_000),
  );
});

describe('yrdx threads and messages commands on a running node’s store', () => {
  it('list the open thread and show the message', async () => {
    const { cli } = await import('../helpers/cli.js');
    const file = `${huzhou.state.config.dataDir}/node.json`;
    const threads = await cli(['threads', '--config', file, '--json']);
    expect(threads.status, threads.stderr).toBe(0);
    const rows = threads.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { status: string; overdue: boolean });
    expect(rows.length).toBeGreaterThan(0);
    const later = await cli(['threads', '--config', file, '--overdue'], {
      now: () => Date.now() + 40 * 86_400_000,
    });
    expect(later.stdout).toMatch(/共 \d+ 个协作事项，其中 \d+ 个逾期/);
    const missing = await cli(['messages', 'status', '--config', file, '01NOTAMESSAGE']);
    expect(missing.stderr).toMatch(/^message_not_in_store/);
  });
});
