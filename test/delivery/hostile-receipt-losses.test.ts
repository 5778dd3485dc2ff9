import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/envelope/digest.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { signRaw } from '../helpers/nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A partner whose receipts abuse the `losses` claim: Huzhou delivers to the real Suzhou node, and
 * Suzhou's answer is replaced by an `accepted` receipt for the same bytes, signed with Suzhou's own
 * key, naming 100,000 lost pointers (first attempt) and then 101 (the bound is 100). Neither is
 * the partner's word: nothing of it is stored, and the delivery ends dead, never delivered.
 */
let huzhou: LiveNode;
let suzhou: LiveNode;
let attempts = 0;

async function partnerFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  const url = String(input instanceof Request ? input.url : input);
  if (!url.endsWith('/v1/inbox') || !response.ok || typeof init?.body !== 'string') return response;
  const token = init.body;
  const { jti } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as {
    jti: string;
  };
  attempts++;
  const count = attempts === 1 ? 100_000 : 101;
  const now = Math.floor(Date.now() / 1000);
  const signer = suzhou.state.keyring.signer;
  const receipt = await signRaw(
    JSON.stringify({ alg: signer.alg, kid: signer.kid, typ: 'yrdx-receipt+jwt' }),
    JSON.stringify({
      iss: '320500',
      aud: '330500',
      jti: `r-${crypto.randomUUID()}`,
      iat: now,
      exp: now + 600,
      messageId: jti,
      sha256: await sha256Hex(token),
      status: 'accepted',
      losses: { '320500-case': Array.from({ length: count }, (_, i) => `/parties/${i}`) },
    }),
    signer,
  );
  return new Response(receipt, { headers: { 'content-type': 'application/jose' } });
}

beforeAll(async () => {
  [huzhou, suzhou] = (await startNodes(
    [
      {
        id: '330500',
        name: '湖州市',
        province: 'zj',
        fetch: partnerFetch,
        delivery: { maxAttempts: 2 },
        // Its case system speaks food-safety 1.x (the example below).
        contractMajors: { 'food-safety': 1 },
      },
      { id: '320500', name: '苏州市', province: 'js' },
    ],
    tempDir('yrdx-hostile-receipt-'),
  )) as [LiveNode, LiveNode];
}, patient(30_000));

afterAll(async () => {
  await Promise.all([huzhou?.stop(), suzhou?.stop()]);
});

describe('a receipt whose losses break the bounds', () => {
  it(
    'is refused before anything of it is stored; the delivery is never delivered',
    async () => {
      const body = JSON.parse(
        readFileSync('contracts/food-safety/1.0.0/dialects/zj/examples/notification.json', 'utf8'),
      ) as Record<string, unknown>;
      const submitted = await huzhou.submit({
        to: '320500',
        domain: 'food-safety',
        type: 'notification',
        body,
      });
      expect(submitted.status).toBe(202);
      const { id } = (await submitted.json()) as { id: string };
      const doc = await eventually(
        async () => {
          const res = await fetch(`${huzhou.url}/v1/messages/${id}`, {
            headers: { authorization: `Bearer ${huzhou.apiKey}` },
          });
          const d = (await res.json()) as {
            status: string;
            deliveries: { status: string; receipt?: unknown; lastError?: string }[];
          };
          return d.status === 'dead' ? d : undefined;
        },
        20_000,
        'a dead delivery',
      );
      expect(attempts).toBe(2);
      expect(doc.deliveries[0]?.receipt).toBeUndefined();
      expect(doc.deliveries[0]?.lastError).toMatch(/losses/);
      const stored = await huzhou.exchange.deps.store.getOutbound(id);
      expect(stored?.deliveries[0]?.receipt).toBeUndefined();
    },
    patient(60_000),
  );
});
