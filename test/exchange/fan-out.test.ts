import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/** A risk alert fans out to every partner subscribed to the domain; each recipient is tracked separately. */
let nodes: LiveNode[] = [];

beforeAll(async () => {
  nodes = await startNodes(
    [
      { id: '340100', name: '合肥市', province: 'ah' },
      { id: '310000', name: '上海市', province: 'sh' },
      { id: '330500', name: '湖州市', province: 'zj' },
    ],
    tempDir('yrdx-fanout-'),
  );
}, patient(30_000));

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
});

describe('risk alerts', () => {
  it(
    'reach every subscribed partner, each with its own delivery and receipt',
    async () => {
      const [hefei, shanghai, huzhou] = nodes as [LiveNode, LiveNode, LiveNode];
      const body = JSON.parse(
        readFileSync('contracts/pollution/2.0.0/dialects/ah/examples/risk-alert.json', 'utf8'),
      );
      const res = await hefei.submit({ domain: 'pollution', type: 'risk-alert', body });
      expect(res.status).toBe(202);
      const accepted = (await res.json()) as { id: string; recipients: string[] };
      expect(accepted.recipients.sort()).toEqual(['310000', '330500']);
      for (const node of [shanghai, huzhou]) {
        await eventually(
          () => node.pushed.find((p) => p.headers['x-yrdx-message-id'] === accepted.id),
          15_000,
          `the alert at ${node.id}`,
        );
      }
      const status = await eventually(
        async () => {
          const doc = (await (
            await fetch(`${hefei.url}/v1/messages/${accepted.id}`, {
              headers: { authorization: `Bearer ${hefei.apiKey}` },
            })
          ).json()) as {
            status: string;
            deliveries: { recipient: string; status: string; receipt?: { sha256: string } }[];
          };
          return doc.status === 'delivered' ? doc : undefined;
        },
        15_000,
        'both deliveries',
      );
      expect(status.deliveries.map((d) => [d.recipient, d.status]).sort()).toEqual([
        ['310000', 'delivered'],
        ['330500', 'delivered'],
      ]);
      expect(new Set(status.deliveries.map((d) => d.receipt?.sha256)).size).toBe(2);
    },
    patient(40_000),
  );
});
