import type { Contract } from '../../../contracts/contract.js';
import { getAt, setAt } from '../../../contracts/pointer.js';
import type { ContractRegistry } from '../../../contracts/registry.js';
import { translate } from '../../../contracts/translate.js';
import type { RequestDate, TransitionSpec, Workflow } from '../../../contracts/workflow.js';
import { factsOf, factsReader, holds } from '../../../exchange/threads/facts.js';
import { workflowsOf } from '../../../exchange/threads/legacy.js';
import { DOMAINS, type Domain, type MessageType } from '../../../vocabulary/messages.js';
import type { CitySpec } from './federation.js';

/** One message of the demo: who sends what to whom; a reply names the step of its request. */
export interface Step {
  readonly index: number;
  readonly domain: Domain;
  readonly type: MessageType;
  readonly from: CitySpec;
  /** The recipients; undefined for a risk alert, which fans out to every subscribed partner. */
  readonly to?: readonly CitySpec[];
  /** The step whose message this one answers (`inReplyTo`): its thread's request. */
  readonly answers?: number;
  /** The workflow it opens or moves, and the state it moves the track to. */
  readonly workflow?: { readonly name: string; readonly to: string };
  /** Sent by the organ's system of the sending city (the police deciding on a handover). */
  readonly byOrgan?: boolean;
  /** The body in the sender's own dialect, from the contract's example. */
  readonly body: Record<string, unknown>;
}

type Canonical = Record<string, unknown>;

/**
 * The demo, from the contracts: for each domain's newest contract, every type that belongs to no
 * workflow once, then every workflow end to end — its request (to three cities when the workflow
 * names participants or the request fans out) and, for every recipient, the replies of a path from
 * the first state to a final one, each sent by the party the transition names, with the values its
 * conditions ask for. Requests get dates `dueDate` ahead, so nothing is overdue or expired at once.
 * Senders rotate through the cities; a handover to organs goes to the city that reaches them.
 */
export function planDemo(
  contracts: ContractRegistry,
  cities: readonly CitySpec[],
  dueDate: string,
  domains: readonly string[] = DOMAINS,
): Step[] {
  const steps: Step[] = [];
  let turn = 0;
  const next = () => cities[turn++ % cities.length]!;
  for (const domain of domains) {
    const contract = contracts.latest(domain);
    if (contract === undefined) throw new Error(`no contract for ${domain}`);
    const workflows = [...workflowsOf(contract).values()];
    const inWorkflow = new Set(workflows.flatMap((w) => [...w.opens, ...w.transitions.map((t) => t.type)]));
    for (const type of contract.messageTypes.filter((t) => !inWorkflow.has(t))) {
      const from = next();
      const to = cities.find((c) => c.id !== from.id && c !== from && !c.police) ?? cities[0]!;
      steps.push(
        step(
          steps,
          contract,
          type,
          from,
          type === 'risk-alert' ? undefined : [to],
          body(contract, from, type),
        ),
      );
    }
    for (const workflow of workflows) {
      const type = workflow.opens[0]!;
      const organs = workflow.organs.length > 0;
      const police = cities.find((c) => c.police);
      let from = next();
      if (organs && from === police) from = next();
      const others = cities.filter((c) => c.id !== from.id);
      const many = workflow.participants !== undefined || type === 'risk-alert';
      const to = organs && police ? [police] : many ? others : [others[turn % others.length]!];
      const request = withDates(contract, workflow, from, type, dueDate, (c) => {
        if (workflow.participants !== undefined) setParticipants(c, workflow, to, dueDate);
      });
      const opened = step(steps, contract, type, from, type === 'risk-alert' ? undefined : to, request.body, {
        name: workflow.name,
        to: workflow.initial,
      });
      // Every recipient takes its track to a final state, each message by the party it is due from.
      const recipients = type === 'risk-alert' ? others : to;
      for (const [i, recipient] of recipients.entries()) {
        // Where the requester can settle a track itself (the lead withdraws a task), the last of
        // several recipients shows that course.
        const last = recipients.length > 1 && i === recipients.length - 1;
        for (const t of pathToFinal(workflow, request.canonical, last ? 'requester' : undefined)) {
          const sender = t.by === 'recipient' ? recipient : from;
          const target = t.by === 'recipient' ? from : recipient;
          const reply = body(contract, sender, t.type, (c) => {
            for (const [pointer, values] of t.when) setAt(c, pointer, values[0]);
          });
          step(
            steps,
            contract,
            t.type,
            sender,
            [target],
            reply,
            { name: workflow.name, to: t.to },
            opened.index,
            {
              byOrgan: organs && t.by === 'recipient',
            },
          );
        }
      }
    }
  }
  return steps;
}

function step(
  steps: Step[],
  contract: Contract,
  type: MessageType,
  from: CitySpec,
  to: readonly CitySpec[] | undefined,
  body: Record<string, unknown>,
  workflow?: Step['workflow'],
  answers?: number,
  extra: { byOrgan?: boolean } = {},
): Step {
  const s: Step = {
    index: steps.length,
    domain: contract.domain,
    type,
    from,
    ...(to === undefined ? {} : { to }),
    ...(answers === undefined ? {} : { answers }),
    ...(workflow === undefined ? {} : { workflow }),
    ...(extra.byOrgan ? { byOrgan: true } : {}),
    body,
  };
  steps.push(s);
  return s;
}

/** The sender's own-dialect example of `type`, with `edit` applied to its canonical content. */
function body(
  contract: Contract,
  from: CitySpec,
  type: MessageType,
  edit?: (canonical: Canonical) => void,
): Record<string, unknown> {
  const example = contract.dialects.get(from.province)?.examples[type];
  if (typeof example !== 'object' || example === null)
    throw new Error(`${contract.id} has no ${from.province} example of ${type}`);
  if (edit === undefined) return example as Record<string, unknown>;
  const canonical = translate(contract, from.province, 'canonical', type, example) as Canonical;
  edit(canonical);
  return translate(contract, 'canonical', from.province, type, canonical) as Record<string, unknown>;
}

/** The request with every date its workflow's due and expiry rules read moved to `dueDate`. */
function withDates(
  contract: Contract,
  workflow: Workflow,
  from: CitySpec,
  type: MessageType,
  dueDate: string,
  edit: (canonical: Canonical) => void,
): { body: Record<string, unknown>; canonical: Canonical } {
  let canonical: Canonical = {};
  const moved = body(contract, from, type, (c) => {
    edit(c);
    const dates: RequestDate[] = [...workflow.states.values()].flatMap((s) =>
      [s.due?.fromRequest, s.expires?.fromRequest].filter((d): d is RequestDate => d !== undefined),
    );
    for (const d of dates) {
      if ('pointer' in d) {
        if (getAt(c, d.pointer) !== undefined) setAt(c, d.pointer, dueDate);
      } else {
        const items = getAt(c, d.list);
        if (Array.isArray(items))
          for (const item of items)
            if (typeof item === 'object' && item) (item as Canonical)[d.date] = dueDate;
      }
    }
    canonical = c;
  });
  return { body: moved, canonical };
}

/** The participants the request names are its recipients, each with one task due `dueDate`. */
function setParticipants(c: Canonical, workflow: Workflow, to: readonly CitySpec[], dueDate: string): void {
  setAt(
    c,
    workflow.participants!,
    to.map((t) => t.id),
  );
  const tasks = workflow.states.get(workflow.initial)?.due?.fromRequest;
  if (tasks === undefined || 'pointer' in tasks) return;
  const template = (getAt(c, tasks.list) as Canonical[] | undefined)?.[0] ?? {};
  setAt(
    c,
    tasks.list,
    to.map((t, i) => ({ ...template, taskId: `DEMO-${i + 1}`, [tasks.match]: t.id, [tasks.date]: dueDate })),
  );
}

/**
 * A path of transitions from the workflow's first state to a final one, in the order the contract
 * declares them (so the usual course, not a shortcut: 接收 before 立案), skipping those whose
 * conditions on the request do not hold; a state is visited once.
 */
function pathToFinal(workflow: Workflow, request: Canonical, first?: TransitionSpec['by']): TransitionSpec[] {
  const facts = factsReader(factsOf(workflow, request));
  const search = (state: string, seen: Set<string>): TransitionSpec[] | undefined => {
    if (workflow.states.get(state)?.final) return [];
    const order =
      first !== undefined && state === workflow.initial
        ? [
            ...workflow.transitions.filter((t) => t.by === first),
            ...workflow.transitions.filter((t) => t.by !== first),
          ]
        : workflow.transitions;
    for (const t of order) {
      if (!t.from.has(state) || !holds(t.whenRequest, facts) || (seen.has(t.to) && t.to !== state)) continue;
      if (t.to === state) continue;
      const rest = search(t.to, new Set([...seen, t.to]));
      if (rest !== undefined) return [t, ...rest];
    }
    return undefined;
  };
  return search(workflow.initial, new Set([workflow.initial])) ?? [];
}
