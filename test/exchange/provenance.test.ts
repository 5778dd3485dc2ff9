import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBase64Url } from '../../src/envelope/base64url.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Issue 16 point 5 end to end: Nanjing's case system (Jiangsu dialect) sends a road-transport case
 * transfer to Huzhou; Huzhou's case system (Zhejiang dialect) finds the Jiangsu sender in `cf_sjly` /
 * `cf_sjlydm` — the partner's name as Huzhou configured it and its node id, from the envelope — not a
 * Zhejiang constant, and both parties of the case. The message names the submitting local system in
 * its `origin` claim.
 */
let nanjing: LiveNode;
let huzhou: LiveNode;

beforeAll(async () => {
  const nodes = await startNodes(
    [
      { id: '320100', name: '南京市', province: 'js' },
      { id: '330500', name: '湖州市', province: 'zj' },
    ],
    tempDir('yrdx-provenance-'),
  );
  nanjing = nodes[0]!;
  huzhou = nodes[1]!;
}, patient(30_000));

afterAll(async () => {
  await Promise.all([nanjing?.stop(), huzhou?.stop()]);
});

describe('provenance from the envelope', () => {
  it(
    'a zj local system receiving a Jiangsu message sees the Jiangsu sender, not a Zhejiang constant',
    async () => {
      const body = JSON.parse(
        readFileSync('contracts/road-transport/2.0.0/dialects/js/examples/case-transfer.json', 'utf8'),
      ) as Record<string, unknown>;
      const submitted = await nanjing.submit({
        to: '330500',
        domain: 'road-transport',
        type: 'case-transfer',
        body,
      });
      expect(submitted.status).toBe(202);
      const { id } = (await submitted.json()) as { id: string };
      const pushed = await eventually(
        () => huzhou.pushed.find((p) => p.headers['x-yrdx-message-id'] === id),
        15_000,
        'the push to Huzhou',
      );
      const partnerName = huzhou.state.config.partners.find((p) => p.id === '320100')!.name;
      expect(partnerName).toBe('南京市');
      expect(pushed.body).toMatchObject({ cf_sjly: partnerName, cf_sjlydm: '320100' });
      expect(JSON.stringify(pushed.body)).not.toMatch(/浙江省/);
      expect(pushed.body.administrative_cp).toEqual([
        expect.objectContaining({ administrative_cp_type: '个体工商户' }),
        expect.objectContaining({ administrative_cp_type: '自然人' }),
      ]);

      // The sealed message says which local system submitted it.
      const stored = await huzhou.exchange.deps.store.getInbound('320100', id);
      const payload = decodeBase64Url(stored!.token.split('.')[1]!);
      if (typeof payload === 'string') throw new Error(payload);
      const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
      expect(claims).toMatchObject({
        iss: '320100',
        origin: nanjing.localSystem,
        contract: 'road-transport@2.1.0',
      });
    },
    patient(30_000),
  );
});
