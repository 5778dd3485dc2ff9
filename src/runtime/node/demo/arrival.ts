import { isDeepStrictEqual } from 'node:util';
import { translate } from '../../../contracts/translate.js';
import { REPLY_TYPES, REQUEST_TYPES } from '../../../exchange/threads/threads.js';
import type { City } from './federation.js';
import { HopFailure, type MessageResult, until } from './hop.js';
import type { Step } from './plan.js';

const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * The recipients' side of a message: what their local systems received (headers and body in their
 * own dialect, by push or by pull), what their gateways recorded, and the thread at both ends.
 */
export async function followArrivals(
  step: Step,
  sender: City,
  cities: ReadonlyMap<string, City>,
  result: MessageResult,
  timeoutMs: number,
): Promise<void> {
  const id = result.id!;
  const [domain, version] = result.contract!.split('@') as [string, string];
  // 5. translated: each recipient's local system got the body in its own dialect, equal to the
  //    translation of what was sent; 6. delivered locally: and its gateway recorded it.
  for (const facts of result.deliveries) {
    const city = cities.get(facts.to)!;
    const arrival = await until(
      'translated',
      () => city.arrivals.find((a) => a.headers['x-yrdx-message-id'] === id),
      () => `${city.spec.short}'s local system has not received it (${city.spec.mode})`,
      timeoutMs,
    );
    const contract = city.state.contracts.accepting(domain, version)!;
    // Provenance fields name the sender as the recipient knows it, from the envelope.
    const provenance = {
      sender: sender.spec.id,
      senderName: city.state.config.partners.find((p) => p.id === sender.spec.id)?.name,
      senderSystem: sender.localSystem,
    };
    const expected = JSON.parse(
      JSON.stringify(
        translate(contract, step.from.province, city.spec.province, step.type, step.body, provenance),
      ),
    );
    const h = arrival.headers;
    if (
      h['x-yrdx-sender'] !== sender.spec.id ||
      h['x-yrdx-type'] !== step.type ||
      h['x-yrdx-domain'] !== step.domain ||
      h['x-yrdx-thread'] !== result.thread
    )
      throw new HopFailure(
        'translated',
        `${city.spec.short} got other x-yrdx-* headers: ${JSON.stringify(h)}`,
      );
    if (!isDeepStrictEqual(arrival.body, expected))
      throw new HopFailure(
        'translated',
        `${city.spec.short} got a body that is not the ${city.spec.province} translation`,
      );
    facts.dialect = city.spec.province;
  }
  result.passed.push('translated');
  for (const facts of result.deliveries) {
    const city = cities.get(facts.to)!;
    const want = city.spec.mode === 'push' ? 'delivered' : 'acked';
    let seen = 'not received';
    await until(
      'delivered locally',
      async () => {
        const inbound = await city.exchange.deps.store.getInbound(sender.spec.id, id);
        const local = inbound?.localDeliveries.find((l) => l.localSystem === city.localSystem);
        seen = local ? `${local.mode} ${local.status}` : seen;
        return local?.mode === city.spec.mode && local.status === want ? local : undefined;
      },
      () => `${city.spec.short}: ${seen}`,
      timeoutMs,
    );
    facts.mode = city.spec.mode;
  }
  result.passed.push('delivered locally');
}

/** 7. thread: a request opens one at both ends; a reply closes it at both ends. */
export async function followThread(
  step: Step,
  sender: City,
  cities: ReadonlyMap<string, City>,
  result: MessageResult,
  timeoutMs: number,
): Promise<void> {
  const id = result.id!;
  const thread = result.thread!;
  if (REQUEST_TYPES.has(step.type)) {
    const mine = await sender.exchange.deps.store.getThread(thread);
    const theirs = await cities.get(result.to[0]!)!.exchange.deps.store.getThread(thread);
    if (mine?.status !== 'open' || mine.direction !== 'outbound' || mine.requestId !== id)
      throw new HopFailure('thread', `the sender's thread is ${JSON.stringify(mine)}`);
    if (theirs?.status !== 'open' || theirs.direction !== 'inbound')
      throw new HopFailure('thread', `the recipient's thread is ${JSON.stringify(theirs)}`);
    result.threadState = { status: 'open', dueAt: day(mine.dueAt) };
  } else if (REPLY_TYPES.has(step.type)) {
    const requester = cities.get(result.to[0]!)!;
    let seen = '';
    const closed = await until(
      'thread',
      async () => {
        const mine = await sender.exchange.deps.store.getThread(thread);
        const theirs = await requester.exchange.deps.store.getThread(thread);
        seen = `replier ${mine?.status}, requester ${theirs?.status}`;
        return mine?.status === 'closed' && theirs?.status === 'closed' && theirs.replyId === id
          ? theirs
          : undefined;
      },
      () => seen,
      timeoutMs,
    );
    result.threadState = { status: 'closed', answeredAfterMs: (closed.closedAt ?? 0) - closed.openedAt };
  } else {
    result.threadState = { status: 'none' };
  }
  result.passed.push('thread');
}
