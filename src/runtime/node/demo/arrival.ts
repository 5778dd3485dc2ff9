import { isDeepStrictEqual } from 'node:util';
import { translate } from '../../../contracts/translate.js';
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
      senderSystem: step.byOrgan ? `${sender.localSystem}-organs` : sender.localSystem,
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
        // The city's own system, or its organs' for a message addressed to them.
        const local = inbound?.localDeliveries.find((l) => l.mode === city.spec.mode);
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

/**
 * 7. thread: a message its thread's workflow knows (a request, a reply, a report) is recorded as a
 * transition at both ends, and both ends have the tracks in the same state.
 */
export async function followThread(
  _step: Step,
  sender: City,
  cities: ReadonlyMap<string, City>,
  result: MessageResult,
  timeoutMs: number,
): Promise<void> {
  const id = result.id!;
  const thread = result.thread!;
  const mine = await sender.exchange.deps.store.getThread(thread);
  const moved = mine?.transitions.filter((t) => t.messageId === id) ?? [];
  if (mine === undefined || moved.length === 0) {
    result.threadState = { status: 'none' };
    result.passed.push('thread');
    return;
  }
  for (const to of result.to) {
    const city = cities.get(to)!;
    let seen = '';
    await until(
      'thread',
      async () => {
        const theirs = await city.exchange.deps.store.getThread(thread);
        const record = theirs?.transitions.find((t) => t.messageId === id);
        seen = `${to}: ${theirs === undefined ? 'no thread' : `tracks ${JSON.stringify(theirs.tracks.map((k) => k.state))}`}`;
        // The recipient's one track must be where the sender moved the track with it.
        const expected = moved.find((t) => t.partner === to) ?? moved[0]!;
        return record !== undefined && record.to === expected.to ? theirs : undefined;
      },
      () => seen,
      timeoutMs,
    );
  }
  const states = [...new Set(moved.map((t) => t.to))];
  const opened = moved[0]!.from === '';
  result.threadState = {
    status: mine.status === 'closed' ? 'closed' : opened ? 'open' : 'moved',
    ...(mine.workflow === undefined ? {} : { workflow: mine.workflow }),
    states,
    ...(opened && mine.dueAt !== undefined ? { dueAt: day(mine.dueAt) } : {}),
    ...(mine.status === 'closed' ? { answeredAfterMs: (mine.closedAt ?? 0) - mine.openedAt } : {}),
  };
  result.passed.push('thread');
}
