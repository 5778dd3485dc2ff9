import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestMatches, sm3Digest } from '../../src/envelope/digest.js';
import { verifyReceipt } from '../../src/envelope/receipt.js';
import { citiesOf, type Federation, startFederation } from '../../src/runtime/node/demo/federation.js';
import { followStep, HOPS, type MessageResult } from '../../src/runtime/node/demo/follow.js';
import { planDemo } from '../../src/runtime/node/demo/plan.js';
import { DOMAINS } from '../../src/vocabulary/messages.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The national profile between real nodes (issue 19): the sample federation's four cities, every one
 * `cryptoProfile: "gm"` with SM2 keys generated now, real SQLite files and real HTTP on 127.0.0.1,
 * send every message type of every contract they carry — each workflow end to end, every other type
 * once (the demo's plan, over every domain of the contracts) — and every message and every receipt
 * is SM2, every receipt vouches with SM3, and every kept digest is `sm3:`.
 */
let federation: Federation;
const results: MessageResult[] = [];
const SM3 = /^sm3:[0-9a-f]{64}$/;
const part = (token: string, i: 0 | 1) =>
  JSON.parse(Buffer.from(token.split('.')[i]!, 'base64url').toString('utf8')) as Record<string, unknown>;
/** A date 15 days ahead, so that no request is overdue or expired while the run lasts. */
const ahead = () => new Date(Date.now() + 8 * 3_600_000 + 15 * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  const specs = citiesOf('gm');
  federation = await startFederation(tempDir('yrdx-gm-'), specs);
  const cities = new Map(federation.cities.map((c) => [c.spec.id, c]));
  const contracts = federation.cities[0]!.state.contracts;
  // The demo's domains in its order (the senders rotate as in `yrdx demo`), then every other domain.
  const domains = [
    ...DOMAINS,
    ...contracts.domains().filter((d) => !(DOMAINS as readonly string[]).includes(d)),
  ];
  const steps = planDemo(contracts, specs, ahead(), domains);
  // A type no planned path takes (a course the examples' values do not choose) is sent once on its
  // own, as the demo sends a type outside every workflow: it moves no thread.
  const planned = new Set(steps.map((s) => `${s.domain} ${s.type}`));
  for (const domain of domains) {
    const contract = contracts.latest(domain)!;
    for (const type of contract.messageTypes.filter((t) => !planned.has(`${domain} ${t}`))) {
      const [from, to] = [specs[steps.length % specs.length]!, specs[(steps.length + 1) % specs.length]!];
      const body = contract.dialects.get(from.province)!.examples[type] as Record<string, unknown>;
      steps.push({ index: steps.length, domain: contract.domain, type, from, to: [to], body });
    }
  }
  for (const step of steps) results.push(await followStep(step, cities, results, patient(20_000)));
}, patient(600_000));

afterAll(async () => {
  await federation?.stop();
});

describe('four nodes on the national profile', () => {
  it('run SM2 keys and publish the profile', () => {
    for (const c of federation.cities) {
      expect(c.state.config.cryptoProfile).toBe('gm');
      expect(c.state.keyring.signer.alg).toBe('SM2');
      // Every partner is declared gm, and so only SM2 keys are pinned for it.
      for (const p of c.state.partners.list()) {
        expect(p.cryptoProfile).toBe('gm');
        expect([...p.keys.values()].every((k) => k.alg === 'SM2')).toBe(true);
      }
    }
  });

  it('exchange every message type the contracts declare, each through every hop', () => {
    const contracts = federation.cities[0]!.state.contracts;
    const declared = contracts
      .domains()
      .flatMap((d) => contracts.latest(d)!.messageTypes.map((t) => `${d} ${t}`))
      .sort();
    expect(declared.length).toBeGreaterThan(100);
    expect([...new Set(results.map((r) => `${r.domain} ${r.type}`))].sort()).toEqual(declared);
    for (const r of results) {
      expect(r.failure, `${r.domain} ${r.type}`).toBeUndefined();
      expect(r.passed).toEqual([...HOPS]);
      expect(r.alg).toBe('SM2');
      expect(r.sha256).toMatch(SM3);
      for (const d of r.deliveries) expect(d.receiptSha256).toBe(r.sha256);
    }
  });

  it('keep SM2 messages and SM2 receipts with an sm3 claim, verified by the sender, at both ends', async () => {
    const cities = new Map(federation.cities.map((c) => [c.spec.id, c]));
    let receipts = 0;
    for (const r of results) {
      const sender = cities.get(r.from)!;
      const sent = (await sender.exchange.deps.store.getOutbound(r.id!))!;
      expect(part(sent.token, 0).alg).toBe('SM2');
      expect(sent.sha256).toBe(sm3Digest(sent.token));
      expect(sent.deliveries.length).toBeGreaterThan(0);
      for (const d of sent.deliveries) {
        expect(d.status, `${r.type} → ${d.recipient}`).toBe('delivered');
        const receipt = d.receipt!;
        expect(part(receipt.token, 0).alg).toBe('SM2');
        const claims = part(receipt.token, 1);
        expect(claims).toMatchObject({ messageId: r.id, status: 'accepted', sm3: sent.sha256.slice(4) });
        expect(claims).not.toHaveProperty('sha256');
        expect(receipt.sha256).toMatch(SM3);
        expect(await digestMatches(receipt.sha256, receipt.token)).toBe(true);
        const sentClaims = { jti: r.id!, aud: r.to, iss: r.from };
        const checked = await verifyReceipt(
          receipt.token,
          { token: sent.token, claims: sentClaims },
          {
            self: r.from,
            keys: sender.state.partners,
            policy: sender.state.config.envelope,
            now: Date.now,
            expectedIssuer: d.recipient,
          },
        );
        expect(checked.claims.sm3).toBe(sent.sha256.slice(4));
        expect(sent.events).toContainEqual(
          expect.objectContaining({ event: 'receipt-verified', recipient: d.recipient }),
        );
        // The recipient kept the SM3 digest of the bytes it received, and the receipt it signed.
        const kept = (await cities.get(d.recipient)!.exchange.deps.store.getInbound(r.from, r.id!))!;
        expect(kept.sha256).toBe(sent.sha256);
        expect(kept.receiptToken).toBe(receipt.token);
        receipts++;
      }
    }
    expect(receipts).toBeGreaterThanOrEqual(results.length);
  });
});
