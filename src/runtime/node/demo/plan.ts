import type { Contract } from '../../../contracts/contract.js';
import { getAt, parsePointer, setAt } from '../../../contracts/pointer.js';
import type { ContractRegistry } from '../../../contracts/registry.js';
import { translate } from '../../../contracts/translate.js';
import { DOMAINS, type Domain, type MessageType } from '../../../vocabulary/messages.js';
import type { CitySpec } from './federation.js';

/** The request type a reply answers. */
export const ANSWERS: Readonly<Partial<Record<MessageType, MessageType>>> = {
  'assistance-reply': 'assistance-request',
  'consultation-reply': 'consultation',
};

/** One message of the demo: who sends what to whom; a reply names the step of its request. */
export interface Step {
  readonly index: number;
  readonly domain: Domain;
  readonly type: MessageType;
  readonly from: CitySpec;
  /** The recipients; undefined for a risk alert, which fans out to every subscribed partner. */
  readonly to?: readonly CitySpec[];
  /** The step whose message this one answers (`inReplyTo`). */
  readonly answers?: number;
  /** The sender's own-dialect example of the type, from the contract. */
  readonly body: Record<string, unknown>;
}

/**
 * Every message type of every domain's newest contract, in the contract's order (a reply right
 * after its request's turn comes, from the request's recipient back to its sender). Senders and
 * recipients rotate through every ordered pair of cities, so every city sends and receives.
 */
export function planDemo(contracts: ContractRegistry, cities: readonly CitySpec[], dueDate: string): Step[] {
  const pairs: [CitySpec, CitySpec][] = [];
  for (let offset = 1; offset < cities.length; offset++)
    for (let i = 0; i < cities.length; i++) pairs.push([cities[i]!, cities[(i + offset) % cities.length]!]);
  const steps: Step[] = [];
  let turn = 0;
  for (const domain of DOMAINS) {
    const contract = contracts.latest(domain);
    if (contract === undefined) throw new Error(`no contract for ${domain}`);
    const sentBy = new Map<MessageType, Step>();
    const types = contract.messageTypes;
    // A reply needs its request first, whatever order the contract lists them in.
    const ordered = types.filter((t) => ANSWERS[t] === undefined || !types.includes(ANSWERS[t]!));
    for (const t of types.filter((t) => ANSWERS[t] !== undefined && types.includes(ANSWERS[t]!)))
      ordered.splice(ordered.indexOf(ANSWERS[t]!) + 1, 0, t);
    for (const type of ordered) {
      const request = ANSWERS[type] === undefined ? undefined : sentBy.get(ANSWERS[type]!);
      let from: CitySpec;
      let to: readonly CitySpec[] | undefined;
      if (request !== undefined) {
        from = request.to![0]!;
        to = [request.from];
      } else {
        const [a, b] = pairs[turn++ % pairs.length]!;
        from = a;
        to = type === 'risk-alert' ? undefined : [b];
      }
      const example = contract.dialects.get(from.province)?.examples[type];
      if (typeof example !== 'object' || example === null)
        throw new Error(`${contract.id} has no ${from.province} example of ${type}`);
      const body = withDueDate(contract, from.province, type, example as Record<string, unknown>, dueDate);
      const step: Step = {
        index: steps.length,
        domain,
        type,
        from,
        ...(to === undefined ? {} : { to }),
        ...(request === undefined ? {} : { answers: request.index }),
        body,
      };
      steps.push(step);
      sentBy.set(type, step);
    }
  }
  return steps;
}

/**
 * The example with its request's due date (if it has one) moved to `dueDate` (YYYY-MM-DD), written
 * the way the dialect writes dates; everything else stays as the example has it. The examples were
 * written with due dates that have passed, and a request sent today would be overdue at once.
 */
export function withDueDate(
  contract: Contract,
  dialect: string,
  type: MessageType,
  example: Record<string, unknown>,
  dueDate: string,
): Record<string, unknown> {
  try {
    const canonical = translate(contract, dialect, 'canonical', type, example);
    const request = canonical.request as Record<string, unknown> | undefined;
    const pointer = contract.dialects.get(dialect)?.dialectPointerFor('/request/dueDate');
    const segments = pointer === undefined ? undefined : parsePointer(pointer);
    if (request?.dueDate === undefined || segments === undefined || typeof segments === 'string')
      return example;
    const moved = translate(contract, 'canonical', dialect, type, {
      ...canonical,
      request: { ...request, dueDate },
    });
    const body = structuredClone(example);
    setAt(body, segments, getAt(moved, segments));
    translate(contract, dialect, 'canonical', type, body);
    return body;
  } catch {
    return example;
  }
}
