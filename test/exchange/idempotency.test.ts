import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * An idempotent replay of POST /v1/messages answers with the stored message — its id, thread,
 * recipients and current status, as GET /v1/messages/{id} computes it — never with values made up
 * for the replayed request. Two real nodes on 127.0.0.1.
 */
let huzhou: LiveNode;
let suzhou: LiveNode;
const example = (dialect: string, type: string) =>
  JSON.parse(
    readFileSync(`contracts/food-safety/2.0.0/dialects/${dialect}/examples/${type}.json`, 'utf8'),
  ) as Record<string, unknown>;

beforeAll(async () => {
  [huzhou, suzhou] = (await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj' },
      { id: '320500', name: '苏州市', province: 'js' },
    ],
    tempDir('yrdx-idempotency-'),
  )) as [LiveNode, LiveNode];
}, patient(30_000));

afterAll(async () => {
  await Promise.all([huzhou?.stop(), suzhou?.stop()]);
});

interface Accepted {
  id: string;
  status: string;
  replayed: boolean;
  recipients: string[];
  thread: string;
  links: { status: string };
}

async function statusDoc(id: string): Promise<{ status: string; thread: string }> {
  const res = await fetch(`${huzhou.url}/v1/messages/${id}`, {
    headers: { authorization: `Bearer ${huzhou.apiKey}` },
  });
  return (await res.json()) as { status: string; thread: string };
}

describe('an idempotent replay', () => {
  it(
    'answers with the stored message: its id, thread, recipients and current status',
    async () => {
      const request = {
        to: '320500',
        domain: 'food-safety',
        type: 'assistance-request',
        body: example('zj', 'assistance-request'),
      };
      const key = { 'idempotency-key': `replay-${crypto.randomUUID()}` };
      const first = await huzhou.submit(request, key);
      expect(first.status).toBe(202);
      const accepted = (await first.json()) as Accepted;
      expect(accepted).toMatchObject({ status: 'queued', replayed: false, recipients: ['320500'] });
      await eventually(
        async () => ((await statusDoc(accepted.id)).status === 'delivered' ? true : undefined),
        15_000,
        'delivery',
      );

      const again = await huzhou.submit(request, key);
      expect(again.status).toBe(202);
      expect(again.headers.get('location')).toBe(`/v1/messages/${accepted.id}`);
      const replay = (await again.json()) as Accepted;
      expect(replay).toEqual({
        id: accepted.id,
        status: 'delivered',
        replayed: true,
        recipients: ['320500'],
        thread: accepted.thread,
        links: { status: `/v1/messages/${accepted.id}` },
      });
      expect(await huzhou.exchange.deps.store.getThread(replay.thread)).toMatchObject({
        requestId: accepted.id,
      });

      // The same key with another body is still a conflict.
      const conflict = await huzhou.submit({ ...request, body: example('zj', 'notification') }, key);
      expect(conflict.status).toBe(409);
    },
    patient(60_000),
  );

  it(
    'answers with the stored message even when the request could no longer be sent',
    async () => {
      const request = {
        to: '320500',
        domain: 'food-safety',
        type: 'notification',
        body: example('zj', 'notification'),
      };
      const key = { 'idempotency-key': `replay-${crypto.randomUUID()}` };
      const accepted = (await (await huzhou.submit(request, key)).json()) as Accepted;
      await eventually(
        async () => ((await statusDoc(accepted.id)).status === 'delivered' ? true : undefined),
        15_000,
        'delivery',
      );
      // Suzhou is suspended afterwards: a new message to it is refused, the replay is not.
      const partner = huzhou.state.partners.get('320500')!;
      huzhou.state.partners.setStatus('320500', 'suspended');
      try {
        expect((await huzhou.submit(request)).status).toBe(422);
        const replay = await huzhou.submit(request, key);
        expect(replay.status).toBe(202);
        expect(await replay.json()).toMatchObject({ id: accepted.id, status: 'delivered', replayed: true });
      } finally {
        huzhou.state.partners.setStatus('320500', partner.status);
      }
    },
    patient(60_000),
  );
});
