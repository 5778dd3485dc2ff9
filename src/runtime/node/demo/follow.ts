import { receiptDigest } from '../../../envelope/claims.js';
import { digestMatches } from '../../../envelope/digest.js';
import { verifyReceipt } from '../../../envelope/receipt.js';
import { followArrivals, followThread } from './arrival.js';
import type { City } from './federation.js';
import { HOPS, HopFailure, type MessageResult, until } from './hop.js';
import type { Step } from './plan.js';

export { HOPS, type Hop, type MessageResult } from './hop.js';

interface StatusDoc {
  status: string;
  contract: string;
  sha256: string;
  deliveries: {
    recipient: string;
    status: string;
    lastError?: string;
    rejection?: { status: number; code?: string; detail?: string };
    receipt?: { sha256: string; token: string };
  }[];
  history: { event: string; recipient?: string; detail?: string }[];
}

/**
 * Sends one step as its sender's local system would and follows it through every hop, reading each
 * fact from the running system: the 202 answer, `GET /v1/messages/:id`, the sealed token in the
 * sender's store, the receipts, what the recipients' local systems got and the thread records.
 */
export async function followStep(
  step: Step,
  cities: ReadonlyMap<string, City>,
  earlier: readonly MessageResult[],
  timeoutMs: number,
): Promise<MessageResult> {
  const started = performance.now();
  const sender = cities.get(step.from.id)!;
  const result: MessageResult = {
    step: step.index,
    from: step.from.id,
    to: step.to?.map((c) => c.id) ?? [],
    domain: step.domain,
    type: step.type,
    dialect: step.from.province,
    deliveries: [],
    passed: [],
    ms: 0,
  };
  try {
    await run(step, sender, cities, earlier, result, timeoutMs);
  } catch (error) {
    result.failure =
      error instanceof HopFailure
        ? { hop: error.hop, reason: error.message }
        : { hop: HOPS[result.passed.length] ?? 'thread', reason: (error as Error).message };
  }
  result.ms = Math.round(performance.now() - started);
  return result;
}

async function run(
  step: Step,
  sender: City,
  cities: ReadonlyMap<string, City>,
  earlier: readonly MessageResult[],
  result: MessageResult,
  timeoutMs: number,
): Promise<void> {
  // The local system that sends it: the city's own, or its organs' (the police deciding).
  const api: City['api'] = (path, init = {}) =>
    sender.api(path, { ...init, ...(step.byOrgan ? { asOrgan: true } : {}) });
  // 1. submitted: the local system posts its own dialect; the gateway answers 202.
  const inReplyTo = step.answers === undefined ? undefined : earlier[step.answers]?.id;
  if (step.answers !== undefined && inReplyTo === undefined)
    throw new HopFailure('submitted', 'the request it answers was never accepted');
  const submitted = await api('/v1/messages', {
    method: 'POST',
    headers: { 'idempotency-key': `demo-${step.index}` },
    body: {
      ...(step.to === undefined
        ? {}
        : { to: step.to.length === 1 ? step.to[0]!.id : step.to.map((c) => c.id) }),
      domain: step.domain,
      type: step.type,
      body: step.body,
      ...(inReplyTo === undefined ? {} : { inReplyTo }),
    },
  });
  const answer = (await submitted.json()) as Record<string, unknown>;
  if (submitted.status !== 202) {
    const first = (answer.errors as { pointer: string; detail: string }[] | undefined)?.[0];
    throw new HopFailure(
      'submitted',
      `HTTP ${submitted.status} ${answer.code}: ${answer.detail}${first ? ` (${first.pointer}: ${first.detail})` : ''}`,
    );
  }
  const id = answer.id as string;
  Object.assign(result, { id, thread: answer.thread, ...(inReplyTo ? { inReplyTo } : {}) });
  result.to.splice(0, result.to.length, ...(answer.recipients as string[]));
  result.deliveries = result.to.map((to) => ({ to }));
  result.passed.push('submitted');

  // 2. sealed: the history says so, and the stored token is a JWS signed with the active key.
  const status = async () => (await (await api(`/v1/messages/${id}`)).json()) as StatusDoc;
  const first = await status();
  const outbound = await sender.exchange.deps.store.getOutbound(id);
  if (outbound === undefined) throw new HopFailure('sealed', 'not in the outbox');
  const header = JSON.parse(Buffer.from(outbound.token.split('.')[0]!, 'base64url').toString('utf8')) as {
    alg: string;
    typ: string;
    kid: string;
  };
  const active = sender.state.keyring.keys.find((k) => k.state === 'active');
  if (!first.history.some((h) => h.event === 'sealed' && h.detail === first.sha256))
    throw new HopFailure('sealed', 'no "sealed" event with the token digest in the history');
  if (header.typ !== 'yrdx+jwt' || header.kid !== active?.kid)
    throw new HopFailure('sealed', `typ ${header.typ}, kid ${header.kid}: not this node's active key`);
  Object.assign(result, { alg: header.alg, sha256: first.sha256, contract: first.contract });
  result.passed.push('sealed');

  // 3. delivered: every partner answered with a receipt (or the delivery ended badly).
  let last = first;
  const delivered = await until(
    'delivered',
    async () => {
      last = await status();
      const bad = last.deliveries.find((d) => d.status === 'dead' || d.status === 'rejected');
      if (bad !== undefined)
        throw new HopFailure(
          'delivered',
          `${bad.recipient}: ${bad.status} — ${bad.rejection ? `${bad.rejection.code}: ${bad.rejection.detail}` : bad.lastError}`,
        );
      return last.status === 'delivered' ? last : undefined;
    },
    () =>
      `status ${last.status}${last.deliveries.map((d) => (d.lastError ? `; ${d.lastError}` : '')).join('')}`,
    timeoutMs,
  );
  result.passed.push('delivered');

  // 4. receipt verified: each receipt is checked again here, as the sender's node checks it.
  for (const d of delivered.deliveries) {
    if (d.receipt === undefined) throw new HopFailure('receipt verified', `no receipt from ${d.recipient}`);
    const opened = await verifyReceipt(
      d.receipt.token,
      { token: outbound.token, claims: { jti: id, aud: result.to, iss: sender.spec.id } },
      {
        self: sender.spec.id,
        keys: sender.state.partners,
        policy: sender.state.config.envelope,
        now: Date.now,
        expectedIssuer: d.recipient,
      },
    ).catch((error: Error) => {
      throw new HopFailure('receipt verified', `${d.recipient}: ${error.message}`);
    });
    const logged = delivered.history.some(
      (h) => h.event === 'receipt-verified' && h.recipient === d.recipient && h.detail === d.receipt?.sha256,
    );
    // Digests by the algorithm each names: a recipient on the national profile vouches with SM3.
    if (
      receiptDigest(opened.claims) !== delivered.sha256 ||
      !(await digestMatches(d.receipt.sha256, d.receipt.token)) ||
      !logged
    )
      throw new HopFailure('receipt verified', `the receipt of ${d.recipient} does not match what was sent`);
    result.deliveries.find((x) => x.to === d.recipient)!.receiptSha256 = receiptDigest(opened.claims);
  }
  result.passed.push('receipt verified');

  await followArrivals(step, sender, cities, result, timeoutMs);
  await followThread(step, sender, cities, result, timeoutMs);
}
