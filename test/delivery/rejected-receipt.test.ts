import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/envelope/digest.js';
import { sealReceipt } from '../../src/envelope/seal.js';
import { nodeApp } from '../../src/runtime/node/app.js';
import { adminCredentials } from '../admin/helpers.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A partner that answers with a signed receipt saying `rejected`: Huzhou delivers to the real Suzhou
 * node, and Suzhou's answer is replaced by a receipt for the same bytes, signed with Suzhou's own
 * key, whose status is `rejected` with a reason — what a partner whose software refuses a message
 * after accepting the request sends. The delivery is `rejected` with the partner's reason in the
 * status API, the admin API, the console, the metrics and the audit log; the receipt is kept.
 */
const REASON = 'dialect_unsupported';
let huzhou: LiveNode;
let suzhou: LiveNode;

async function partnerFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  const url = String(input instanceof Request ? input.url : input);
  if (!url.endsWith('/v1/inbox') || !response.ok || typeof init?.body !== 'string') return response;
  const token = init.body;
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as {
    jti: string;
  };
  const receipt = await sealReceipt(
    {
      to: '330500',
      messageId: claims.jti,
      sha256: await sha256Hex(token),
      status: 'rejected',
      reason: REASON,
    },
    {
      self: '320500',
      signer: suzhou.state.keyring.signer,
      policy: suzhou.state.config.envelope,
      now: Date.now,
    },
  );
  return new Response(receipt.token, { headers: { 'content-type': 'application/jose' } });
}

beforeAll(async () => {
  [huzhou, suzhou] = (await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj', fetch: partnerFetch },
      { id: '320500', name: '苏州市', province: 'js' },
    ],
    tempDir('yrdx-rejected-receipt-'),
  )) as [LiveNode, LiveNode];
}, patient(30_000));

afterAll(async () => {
  await Promise.all([huzhou?.stop(), suzhou?.stop()]);
});

interface StatusDoc {
  status: string;
  deliveries: {
    status: string;
    receipt?: { sha256: string; token: string };
    rejection?: { status: number; code?: string; detail?: string };
  }[];
  history: { event: string; detail?: string }[];
}

describe('a verified receipt that says rejected', () => {
  it(
    'makes the delivery rejected with the partner’s reason, everywhere it is shown, and keeps the receipt',
    async () => {
      const body = JSON.parse(
        readFileSync('contracts/food-safety/2.0.0/dialects/zj/examples/notification.json', 'utf8'),
      ) as Record<string, unknown>;
      const submitted = await huzhou.submit({
        to: '320500',
        domain: 'food-safety',
        type: 'notification',
        body,
      });
      expect(submitted.status).toBe(202);
      const { id } = (await submitted.json()) as { id: string };

      // The status API of the local system.
      const doc = await eventually(
        async () => {
          const res = await fetch(`${huzhou.url}/v1/messages/${id}`, {
            headers: { authorization: `Bearer ${huzhou.apiKey}` },
          });
          const d = (await res.json()) as StatusDoc;
          return d.status === 'queued' || d.status === 'sending' || d.status === 'retry' ? undefined : d;
        },
        15_000,
        'a final status',
      );
      expect(doc.status).toBe('rejected');
      const [delivery] = doc.deliveries;
      expect(delivery).toMatchObject({ status: 'rejected', rejection: { code: REASON } });
      expect(delivery?.receipt?.sha256).toBe(await sha256Hex(delivery?.receipt?.token ?? ''));
      expect(doc.history.map((h) => h.event)).toEqual(
        expect.arrayContaining(['receipt-verified', 'rejected']),
      );
      expect(doc.history.map((h) => h.event)).not.toContain('delivered');
      expect(doc.history.find((h) => h.event === 'rejected')?.detail).toContain(REASON);

      // The metrics.
      const metrics = huzhou.exchange.deps.metrics!;
      const labels = { partner: '320500', domain: 'food-safety', type: 'notification' };
      expect(metrics.messages.get({ direction: 'outbound', ...labels, outcome: 'rejected' })).toBe(1);
      expect(metrics.messages.get({ direction: 'outbound', ...labels, outcome: 'delivered' })).toBe(0);
      expect(metrics.deliveryAttempts.get({ partner: '320500', outcome: 'rejected' })).toBe(1);

      // The audit log: the receipt came in, and said rejected, with the reason.
      const entries = await huzhou.exchange.deps.store.auditForMessage(id);
      expect(entries.map((e) => e.kind)).toEqual(['message-out', 'receipt-in']);
      expect(entries[1]).toMatchObject({
        partner: '320500',
        sha256: delivery?.receipt?.sha256,
        outcome: 'refused',
        detail: `rejected: ${REASON}`,
      });

      // The admin API and the console.
      const creds = await adminCredentials(Date.now());
      const app = nodeApp(
        { ...huzhou.state, config: { ...huzhou.state.config, admin: creds.admin } },
        huzhou.exchange,
      );
      const admin = await app.request(`/admin/v1/messages/${id}`, {
        headers: { authorization: `Bearer ${creds.tokens.auditor}` },
      });
      expect(await admin.json()).toMatchObject({
        outbound: { deliveries: [{ status: 'rejected', rejection: { code: REASON } }] },
      });
      const origin = 'http://localhost';
      const signIn = await app.request(`${origin}/console/sign-in`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${encodeURIComponent(creds.tokens.auditor)}`,
      });
      expect(signIn.status).toBe(303);
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
      const page = await app.request(`${origin}/console/messages/${id}?lang=en`, { headers: { cookie } });
      const html = await page.text();
      expect(page.status).toBe(200);
      expect(html).toContain('rejected');
      expect(html).toContain(REASON);
      expect(html).toContain('Rejected in the partner’s signed receipt');
    },
    patient(60_000),
  );
});
