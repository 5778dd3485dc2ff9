import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/contracts/translate.js';
import { nodeApp } from '../../src/runtime/node/app.js';
import { adminCredentials } from '../admin/helpers.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Issue 16, points 1–2, end to end: real nodes on 127.0.0.1 with real SQLite files. Suzhou (js)
 * sends to Huzhou (zj, push) and Hangzhou (zj, pull) what a zj local system cannot wholly carry
 * under the 1.0.0 contracts: a case transfer with two parties (zj keeps one) and a pollution alert
 * with 总氮 w21001 (the 1.0.0 zj table lacks it). Both are accepted, delivered with their loss
 * reports, the full canonical document is there by id, and the receipts tell the sender.
 */
let suzhou: LiveNode;
let huzhou: LiveNode;
let hangzhou: LiveNode;
const example = (domain: string, dialect: string, type: string) =>
  JSON.parse(
    readFileSync(`contracts/${domain}/1.0.0/dialects/${dialect}/examples/${type}.json`, 'utf8'),
  ) as Record<string, unknown>;

interface StatusDoc {
  status: string;
  deliveries: {
    recipient: string;
    status: string;
    receipt?: { losses?: Record<string, string[]>; lossesOmitted?: Record<string, number> };
  }[];
}

beforeAll(async () => {
  [suzhou, huzhou, hangzhou] = (await startNodes(
    [
      { id: '320500', name: '苏州市', province: 'js', algorithm: 'EdDSA' },
      { id: '330500', name: '湖州市', province: 'zj' },
      { id: '330100', name: '杭州市', province: 'zj', mode: 'pull' },
    ],
    tempDir('yrdx-loss-'),
  )) as [LiveNode, LiveNode, LiveNode];
  // The 1.0.0 contracts explicitly: newer versions (whose zj may carry more) are not used to send.
  const registry = suzhou.state.contracts;
  for (const c of registry.list())
    if (['food-safety', 'pollution'].includes(c.domain) && c.version !== '1.0.0') registry.deprecate(c.id);
}, patient(30_000));

afterAll(async () => {
  await Promise.all([suzhou?.stop(), huzhou?.stop(), hangzhou?.stop()]);
});

const get = (node: LiveNode, path: string) =>
  fetch(`${node.url}${path}`, { headers: { authorization: `Bearer ${node.apiKey}` } });

async function send(domain: string, type: string, body: unknown) {
  const res = await suzhou.submit({ to: ['330500', '330100'], domain, type, body });
  expect(res.status, await res.clone().text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  const status = await eventually(
    async () => {
      const doc = (await (await get(suzhou, `/v1/messages/${id}`)).json()) as StatusDoc;
      return doc.deliveries.every((d) => d.status === 'delivered') ? doc : undefined;
    },
    20_000,
    'both deliveries',
  );
  const pushed = await eventually(
    () => huzhou.pushed.find((p) => p.headers['x-yrdx-message-id'] === id),
    15_000,
    'the push to Huzhou',
  );
  const list = (await (await get(hangzhou, '/v1/inbox/messages')).json()) as {
    items: { messageId: string; losses: string[]; lossesOmitted?: number; links: { canonical: string } }[];
  };
  const pulled = list.items.find((i) => i.messageId === id);
  expect(pulled, 'pulled at Hangzhou').toBeDefined();
  return { id, status, pushed, pulled: pulled! };
}

const receiptOf = (status: StatusDoc, partner: string) =>
  status.deliveries.find((d) => d.recipient === partner)?.receipt;

describe('what a local dialect cannot carry', () => {
  it(
    'a js case transfer with two parties reaches zj systems with the second party in the loss report',
    async () => {
      const body = example('food-safety', 'js', 'case-transfer');
      expect((body.party_list as unknown[]).length).toBe(2);
      const { id, status, pushed, pulled } = await send('food-safety', 'case-transfer', body);
      const lost = ['/parties/1'];

      expect(pushed.headers['x-yrdx-losses']).toBe('1');
      expect(JSON.parse(pushed.headers['x-yrdx-lost']!)).toEqual(lost);
      expect(pushed.headers.link).toBe(`</v1/inbox/messages/${id}/canonical>; rel="canonical"`);
      expect(pulled.losses).toEqual(lost);
      expect(pulled.lossesOmitted).toBeUndefined();

      // The receipts name the loss per local system; the sender shows them.
      expect(receiptOf(status, '330500')?.losses).toEqual({ '330500-case': lost });
      expect(receiptOf(status, '330100')?.losses).toEqual({ '330100-case': lost });

      // The admin API and the console of the sender show them too.
      const creds = await adminCredentials(Date.now());
      const app = nodeApp(
        { ...suzhou.state, config: { ...suzhou.state.config, admin: creds.admin } },
        suzhou.exchange,
      );
      const admin = (await (
        await app.request(`/admin/v1/messages/${id}`, {
          headers: { authorization: `Bearer ${creds.tokens.auditor}` },
        })
      ).json()) as { outbound: StatusDoc };
      expect(receiptOf(admin.outbound, '330500')?.losses).toEqual({ '330500-case': lost });
      const origin = 'http://localhost';
      const signIn = await app.request(`${origin}/console/sign-in`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${encodeURIComponent(creds.tokens.auditor)}`,
      });
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
      const html = await (
        await app.request(`${origin}/console/messages/${id}`, { headers: { cookie } })
      ).text();
      expect(html).toContain('本地系统未能承载 <code>330500-case</code>: /parties/1');

      // The second party is in the canonical document, for both local systems, push or pull.
      const contract = suzhou.state.contracts.get('food-safety', '1.0.0')!;
      const canonical = translate(contract, 'js', 'canonical', 'case-transfer', body);
      for (const node of [huzhou, hangzhou]) {
        const res = await get(node, `/v1/inbox/messages/${id}/canonical`);
        expect(res.status).toBe(200);
        const doc = (await res.json()) as {
          body: { parties: unknown[] };
          contract: string;
          losses: string[];
        };
        expect(doc).toMatchObject({
          messageId: id,
          sender: '320500',
          contract: 'food-safety@1.0.0',
          losses: lost,
        });
        expect(doc.body.parties).toEqual(canonical.parties);
        expect(doc.body.parties).toHaveLength(2);
      }
    },
    patient(60_000),
  );

  it(
    'a pollution alert with 总氮 w21001 under pollution@1.0.0 is accepted, not refused, and delivered with its loss report',
    async () => {
      const body = example('pollution', 'js', 'risk-alert');
      const items = body.jcxm_list as Record<string, unknown>[];
      items.push({ wrwdm: 'w21001', jcz: 3.1, jldw: 'mg/L', sjbz: 'N' });
      const lost = `/monitoring/measurements/${items.length - 1}/pollutant`;
      const { id, status, pushed, pulled } = await send('pollution', 'risk-alert', body);
      expect(status.status).toBe('delivered');

      expect(Number(pushed.headers['x-yrdx-losses'])).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(pushed.headers['x-yrdx-lost']!)).toContain(lost);
      // The zj body carries the measurement without the code its table lacks.
      const zjItems = pushed.body.JCSJ as Record<string, unknown>[];
      expect(zjItems).toHaveLength(items.length);
      expect(zjItems.at(-1)).toMatchObject({ JCZ: '3.1' });
      expect(pulled.losses).toContain(lost);

      for (const partner of ['330500', '330100'])
        expect(receiptOf(status, partner)?.losses?.[`${partner}-case`]).toContain(lost);
      const canonical = (await (await get(hangzhou, `/v1/inbox/messages/${id}/canonical`)).json()) as {
        body: { monitoring: { measurements: { pollutant: string }[] } };
      };
      expect(canonical.body.monitoring.measurements.at(-1)?.pollutant).toBe('w21001');
    },
    patient(60_000),
  );

  it('gives the canonical document only to a local system it was delivered to: 404 as for an unknown id', async () => {
    const body = example('food-safety', 'js', 'notification');
    const res = await suzhou.submit({ to: '330100', domain: 'food-safety', type: 'notification', body });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await eventually(async () => {
      const r = await get(hangzhou, `/v1/inbox/messages/${id}/canonical`);
      return r.status === 200 ? r : undefined;
    });
    const unknown = (await (
      await get(huzhou, '/v1/inbox/messages/01UNKNOWN0000000000000000/canonical')
    ).json()) as {
      code: string;
    };
    for (const [node, path] of [
      [huzhou, `/v1/inbox/messages/${id}/canonical`],
      [suzhou, `/v1/inbox/messages/${id}/canonical`],
    ] as const) {
      const r = await get(node, path);
      expect(r.status).toBe(404);
      expect(((await r.json()) as { code: string }).code).toBe(unknown.code);
    }
    expect(unknown.code).toBe('message_not_found');
    const anonymous = await fetch(`${hangzhou.url}/v1/inbox/messages/${id}/canonical`);
    expect(anonymous.status).toBe(401);
  });
});
