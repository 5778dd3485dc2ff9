import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A local system speaks one major contract version per domain: when food-safety 2.0.0 ships, a
 * system pinned to major 1 (`contractMajors`) keeps sending and receiving its 1.x dialect. A 2.0.0
 * message reaches it through its own major's mapping, and what that cannot carry of the 2.0.0
 * document is in its loss report and the receipt — never silently dropped, never refused.
 */
let suzhou: LiveNode;
let huzhou: LiveNode;
let suzhouOld: LiveNode;
const example = (version: string, dialect: string, type: string) =>
  JSON.parse(
    readFileSync(`contracts/food-safety/${version}/dialects/${dialect}/examples/${type}.json`, 'utf8'),
  ) as Record<string, unknown>;

interface StatusDoc {
  contract: string;
  deliveries: { recipient: string; status: string; receipt?: { losses?: Record<string, string[]> } }[];
}

beforeAll(async () => {
  [suzhou, huzhou, suzhouOld] = (await startNodes(
    [
      { id: '320500', name: '苏州市', province: 'js' },
      { id: '330500', name: '湖州市', province: 'zj', contractMajors: { 'food-safety': 1 } },
      { id: '320200', name: '无锡市', province: 'js', contractMajors: { 'food-safety': 1 } },
    ],
    tempDir('yrdx-majors-'),
  )) as [LiveNode, LiveNode, LiveNode];
}, patient(30_000));

afterAll(async () => {
  await Promise.all([suzhou?.stop(), huzhou?.stop(), suzhouOld?.stop()]);
});

const status = (node: LiveNode, id: string) =>
  eventually(
    async () => {
      const res = await fetch(`${node.url}/v1/messages/${id}`, {
        headers: { authorization: `Bearer ${node.apiKey}` },
      });
      const doc = (await res.json()) as StatusDoc;
      return doc.deliveries.every((d) => d.status === 'delivered') ? doc : undefined;
    },
    20_000,
    'delivered',
  );

describe('contractMajors: a local system keeps the major it speaks', () => {
  it('a system pinned to major 1 submits its 1.0.0 dialect, sealed under 1.0.0', async () => {
    const res = await suzhouOld.submit({
      to: '330500',
      domain: 'food-safety',
      type: 'case-transfer',
      body: example('1.0.0', 'js', 'case-transfer'),
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect((await status(suzhouOld, id)).contract).toBe('food-safety@1.0.0');
    // A 2.0.0-shaped body from the same system is refused with the reasons, not guessed at.
    const refused = await suzhouOld.submit({
      to: '330500',
      domain: 'food-safety',
      type: 'case-transfer',
      body: example('2.0.0', 'js', 'case-transfer'),
    });
    expect(refused.status).toBe(422);
  });

  it('a 2.x message reaches a system pinned to major 1 in its 1.0.0 dialect, with what it cannot carry reported', async () => {
    const body = example('2.0.0', 'js', 'case-transfer');
    expect((body.party_list as unknown[]).length).toBe(3);
    const res = await suzhou.submit({ to: '330500', domain: 'food-safety', type: 'case-transfer', body });
    expect(res.status, await res.clone().text()).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const doc = await status(suzhou, id);
    // Sent with the newest of major 2 (2.1.0 reads every 2.0.0 body).
    expect(doc.contract).toBe('food-safety@2.1.0');
    const pushed = await eventually(
      () => huzhou.pushed.find((p) => p.headers['x-yrdx-message-id'] === id),
      15_000,
      'the push to Huzhou',
    );
    // zj 1.0.0 writes the first party in its flat fields (DSRMC …), so its body is the 1.x shape.
    expect(pushed.body.DSRMC).toBe('温州鹿城鑫源食品有限公司');
    const lost = JSON.parse(pushed.headers['x-yrdx-lost'] ?? '[]') as string[];
    // The 个体工商户 and the individual (parties 1 and 2) cannot travel in zj 1.0.0: reported.
    expect(lost).toEqual(expect.arrayContaining(['/parties/1', '/parties/2']));
    expect(Number(pushed.headers['x-yrdx-losses'])).toBe(lost.length);
    expect(doc.deliveries[0]?.receipt?.losses?.['330500-case']).toEqual(lost);
  });
});
