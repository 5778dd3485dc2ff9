import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Huzhou, Suzhou and Hefei as real nodes: a thread belongs to the cities that hold it. A reply from
 * a third city, naming the thread's id, is refused by the thread's holder (`workflow_wrong_sender`)
 * and closes nothing; a local system that answers a thread of another partner is told so at
 * submission (422).
 */
let huzhou: LiveNode;
let suzhou: LiveNode;
let hefei: LiveNode;
const example = (dialect: string, type: string) =>
  JSON.parse(
    readFileSync(`contracts/food-safety/2.0.0/dialects/${dialect}/examples/${type}.json`, 'utf8'),
  ) as Record<string, unknown>;

beforeAll(async () => {
  [huzhou, suzhou, hefei] = (await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj' },
      { id: '320500', name: '苏州市', province: 'js', algorithm: 'EdDSA' },
      { id: '340100', name: '合肥市', province: 'ah' },
    ],
    tempDir('yrdx-threads-'),
  )) as [LiveNode, LiveNode, LiveNode];
}, patient(30_000));

afterAll(async () => {
  await Promise.all([huzhou?.stop(), suzhou?.stop(), hefei?.stop()]);
});

async function accepted(response: Response): Promise<{ id: string; thread: string }> {
  expect(response.status, await response.clone().text()).toBe(202);
  return (await response.json()) as { id: string; thread: string };
}

async function statusAt(node: LiveNode, id: string): Promise<string> {
  const res = await fetch(`${node.url}/v1/messages/${id}`, {
    headers: { authorization: `Bearer ${node.apiKey}` },
  });
  return ((await res.json()) as { status: string }).status;
}

const delivered = (node: LiveNode, id: string) =>
  eventually(async () => ((await statusAt(node, id)) === 'delivered' ? true : undefined), 15_000, 'delivery');

describe('a cooperation thread', () => {
  it(
    'is closed only by its counterpart’s reply; a third partner naming its id is refused',
    async () => {
      const request = await accepted(
        await huzhou.submit({
          to: '340100',
          domain: 'food-safety',
          type: 'assistance-request',
          body: example('zj', 'assistance-request'),
        }),
      );
      await delivered(huzhou, request.id);
      expect(await huzhou.exchange.deps.store.getThread(request.thread)).toMatchObject({
        status: 'open',
        partner: '340100',
        direction: 'outbound',
      });

      // Suzhou answers Huzhou's thread with Hefei: Suzhou knows no such thread, so it sends it.
      const stray = await accepted(
        await suzhou.submit({
          to: '330500',
          domain: 'food-safety',
          type: 'assistance-reply',
          thread: request.thread,
          inReplyTo: request.id,
          body: example('js', 'assistance-reply'),
        }),
      );
      // Huzhou refuses it (Suzhou is no party to the thread): nothing is stored or delivered there,
      // Suzhou's delivery ends rejected with the reason, and the thread stays open.
      await eventually(
        async () => ((await statusAt(suzhou, stray.id)) === 'rejected' ? true : undefined),
        15_000,
        'the stray reply refused',
      );
      const view = await suzhou.exchange.deps.store.getOutbound(stray.id);
      expect(JSON.stringify(view)).toContain('workflow_wrong_sender');
      expect(await huzhou.exchange.deps.store.getInbound('320500', stray.id)).toBeUndefined();
      expect(huzhou.pushed.find((p) => p.headers['x-yrdx-message-id'] === stray.id)).toBeUndefined();
      expect(await huzhou.exchange.deps.store.getThread(request.thread)).toMatchObject({ status: 'open' });

      // Hefei's reply closes it.
      const answer = await accepted(
        await hefei.submit({
          to: '330500',
          domain: 'food-safety',
          type: 'assistance-reply',
          inReplyTo: request.id,
          body: example('ah', 'assistance-reply'),
        }),
      );
      const closed = await eventually(
        async () => {
          const t = await huzhou.exchange.deps.store.getThread(request.thread);
          return t?.status === 'closed' ? t : undefined;
        },
        15_000,
        'the thread to close',
      );
      expect(closed.replyId).toBe(answer.id);
    },
    patient(60_000),
  );

  it(
    'refuses, at submission, a reply sent to another partner than the one whose request it answers',
    async () => {
      const request = await accepted(
        await suzhou.submit({
          to: '330500',
          domain: 'food-safety',
          type: 'assistance-request',
          body: example('js', 'assistance-request'),
        }),
      );
      await eventually(
        async () => (await huzhou.exchange.deps.store.getThread(request.thread))?.status,
        15_000,
        'the thread at Huzhou',
      );
      const reply = {
        domain: 'food-safety',
        type: 'assistance-reply',
        body: example('zj', 'assistance-reply'),
      };
      for (const wrong of [
        { ...reply, to: '340100', inReplyTo: request.id },
        { ...reply, to: '340100', inReplyTo: request.id, thread: request.thread },
      ]) {
        const refused = await huzhou.submit(wrong);
        expect(refused.status).toBe(422);
        expect(await refused.json()).toMatchObject({ code: 'reply_thread_mismatch' });
      }
      expect(await huzhou.exchange.deps.store.getThread(request.thread)).toMatchObject({ status: 'open' });
      // The thread's counterpart is the right recipient.
      const right = await accepted(await huzhou.submit({ ...reply, to: '320500', inReplyTo: request.id }));
      expect(right.thread).toBe(request.thread);
      expect(await huzhou.exchange.deps.store.getThread(request.thread)).toMatchObject({
        status: 'closed',
        replyId: right.id,
      });
    },
    patient(60_000),
  );
});
