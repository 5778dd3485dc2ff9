import type { MessageType } from '../vocabulary/messages.js';
import { formatPointer, type Segments } from './pointer.js';
import { pointerAt, readCondition, readDue, readRequestDate, readTitle } from './workflow-parts.js';

/** A text in both languages of the project (contract.json writes `{"zh-CN": …, "en": …}`). */
export interface Title {
  readonly 'zh-CN': string;
  readonly en: string;
}

/** Where a due or expiry time comes from in the request that opened the thread. */
export type RequestDate =
  | { readonly pointer: Segments }
  /** A list of the request (tasks) whose items name a participant (`match`) and carry a date (`date`): the latest of that participant's items. */
  | { readonly list: Segments; readonly match: string; readonly date: string };

/** How long a state may last: a date in the request first, else the node's setting, else the contract's period. */
export interface DueRule {
  readonly fromRequest?: RequestDate;
  readonly days?: number;
  readonly hours?: number;
  /** `working`: Monday to Friday (public holidays and their make-up days are not known to yrdx). */
  readonly calendar: 'natural' | 'working';
  readonly basis?: string;
}

export interface StateSpec {
  readonly name: string;
  readonly title: Title;
  readonly final: boolean;
  readonly due?: DueRule;
  /** A hard end (an alert's validity): past it, the track is in `to` and replies are refused as late. */
  readonly expires?: { readonly fromRequest: RequestDate; readonly to: string };
}

/** A value a condition accepts: one of these. */
export type Condition = readonly (readonly [Segments, readonly (string | number | boolean)[]])[];

export interface TransitionSpec {
  readonly type: MessageType;
  /** Who sends the message that moves a participant's track: the node that opened the thread, or the participant. */
  readonly by: 'requester' | 'recipient';
  readonly from: ReadonlySet<string>;
  readonly to: string;
  /** Conditions on the message's canonical body. */
  readonly when: Condition;
  /** Conditions on the canonical body of the request that opened the thread. */
  readonly whenRequest: Condition;
}

/** A request type's state machine, as its contract declares it (contract.json `workflows`). */
export interface Workflow {
  readonly name: string;
  readonly title: Title;
  readonly opens: readonly MessageType[];
  readonly initial: string;
  readonly states: ReadonlyMap<string, StateSpec>;
  readonly transitions: readonly TransitionSpec[];
  /** A list in the request naming the participants; it must name exactly the recipients. */
  readonly participants?: Segments;
  /**
   * What a request must carry to open the workflow (a minor version cannot require it of the type
   * itself): a request without it opens no thread, as before the workflow existed.
   */
  readonly requires: readonly Segments[];
  /** Organs whose local systems receive the request at the recipient node (`/handover/recipientOrgan/kind`). */
  readonly organs: readonly Segments[];
}

export interface WorkflowFault {
  readonly pointer: string;
  readonly detail: string;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const LIMITS = { workflows: 32, states: 32, transitions: 128, conditions: 8, text: 500 } as const;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads contract.json `workflows` against the contract's message types, reporting every fault with
 * its pointer: names, titles in both languages, states reachable from nothing but transitions, every
 * type declared, no state left without a way out, periods and bases bounded. A contract without
 * `workflows` declares none (its types open no thread unless the legacy rule applies).
 */
export function readWorkflows(
  raw: unknown,
  types: ReadonlySet<string>,
  faults: WorkflowFault[],
): Map<string, Workflow> {
  const out = new Map<string, Workflow>();
  if (raw === undefined) return out;
  if (!isObject(raw)) {
    faults.push({ pointer: '/workflows', detail: 'expected an object of workflows by name' });
    return out;
  }
  const entries = Object.entries(raw);
  if (entries.length > LIMITS.workflows)
    faults.push({ pointer: '/workflows', detail: `at most ${LIMITS.workflows} workflows` });
  const openedBy = new Map<string, string>();
  for (const [name, spec] of entries.slice(0, LIMITS.workflows)) {
    const at = `/workflows/${name}`;
    const count = faults.length;
    const workflow = readWorkflow(name, spec, types, at, faults);
    if (workflow === undefined || faults.length > count) continue;
    for (const type of workflow.opens) {
      const other = openedBy.get(type);
      if (other !== undefined)
        faults.push({ pointer: `${at}/opens`, detail: `"${type}" already opens workflow "${other}"` });
      openedBy.set(type, name);
    }
    out.set(name, workflow);
  }
  return out;
}

function readWorkflow(
  name: string,
  spec: unknown,
  types: ReadonlySet<string>,
  at: string,
  faults: WorkflowFault[],
): Workflow | undefined {
  const fault = (pointer: string, detail: string) => faults.push({ pointer: `${at}${pointer}`, detail });
  if (!NAME.test(name) || name.length > 48) fault('', 'a workflow name is kebab-case, at most 48 characters');
  if (!isObject(spec)) {
    fault('', 'expected an object');
    return undefined;
  }
  for (const key of Object.keys(spec))
    if (
      !['title', 'opens', 'initial', 'states', 'transitions', 'participants', 'route', 'requires'].includes(
        key,
      )
    )
      fault(`/${key}`, 'not a member of a workflow');
  const title = readTitle(spec.title, `${at}/title`, faults);
  const opens = Array.isArray(spec.opens) ? spec.opens : [];
  if (opens.length === 0) fault('/opens', 'expected the request types that open the workflow');
  opens.forEach((t, i) => {
    if (typeof t !== 'string' || !types.has(t)) fault(`/opens/${i}`, 'not a message type of this contract');
  });
  const states = new Map<string, StateSpec>();
  if (!isObject(spec.states) || Object.keys(spec.states).length < 2) {
    fault('/states', 'expected at least two states');
    return undefined;
  }
  const stateEntries = Object.entries(spec.states);
  if (stateEntries.length > LIMITS.states) fault('/states', `at most ${LIMITS.states} states`);
  for (const [stateName, state] of stateEntries.slice(0, LIMITS.states)) {
    const read = readState(stateName, state, `${at}/states/${stateName}`, faults);
    if (read !== undefined) states.set(stateName, read);
  }
  for (const [stateName, state] of states) {
    const to = state.expires?.to;
    if (to !== undefined && states.get(to)?.final !== true)
      fault(`/states/${stateName}/expires/to`, 'expected a final state of this workflow');
  }
  const initial = spec.initial;
  if (typeof initial !== 'string' || !states.has(initial) || states.get(initial)?.final)
    fault('/initial', 'expected a state of this workflow that is not final');
  const transitions: TransitionSpec[] = [];
  const list = Array.isArray(spec.transitions) ? spec.transitions : [];
  if (list.length === 0 || list.length > LIMITS.transitions)
    fault('/transitions', `expected 1 to ${LIMITS.transitions} transitions`);
  list.slice(0, LIMITS.transitions).forEach((t, i) => {
    const read = readTransition(t, types, states, `${at}/transitions/${i}`, faults);
    if (read !== undefined) transitions.push(read);
  });
  for (const [stateName, state] of states) {
    if (!state.final && !transitions.some((t) => t.from.has(stateName)))
      fault(`/states/${stateName}`, 'a state that is not final needs a transition out of it');
    if (
      stateName !== initial &&
      !transitions.some((t) => t.to === stateName) &&
      !isExpiryTarget(states, stateName)
    )
      fault(`/states/${stateName}`, 'no transition leads to this state');
  }
  const participants =
    spec.participants === undefined ? undefined : pointerAt(spec.participants, `${at}/participants`, faults);
  const organs: Segments[] = [];
  if (spec.route !== undefined) {
    const route = isObject(spec.route) ? spec.route.organs : undefined;
    if (!Array.isArray(route) || route.length === 0 || route.length > LIMITS.conditions)
      fault('/route/organs', `expected 1 to ${LIMITS.conditions} pointers to organ kinds`);
    else
      route.forEach((p, i) => {
        const segments = pointerAt(p, `${at}/route/organs/${i}`, faults);
        if (segments !== undefined) organs.push(segments);
      });
  }
  const requires: Segments[] = [];
  if (spec.requires !== undefined) {
    if (!Array.isArray(spec.requires) || spec.requires.length > LIMITS.conditions)
      fault('/requires', `expected at most ${LIMITS.conditions} pointers the request must carry`);
    else
      spec.requires.forEach((p, i) => {
        const segments = pointerAt(p, `${at}/requires/${i}`, faults);
        if (segments !== undefined) requires.push(segments);
      });
  }
  if (title === undefined || typeof initial !== 'string') return undefined;
  return {
    name,
    title,
    opens: opens.filter((t): t is string => typeof t === 'string'),
    initial,
    states,
    transitions,
    ...(participants === undefined ? {} : { participants }),
    organs,
    requires,
  };
}

const isExpiryTarget = (states: ReadonlyMap<string, StateSpec>, name: string) =>
  [...states.values()].some((s) => s.expires?.to === name);

function readState(name: string, spec: unknown, at: string, faults: WorkflowFault[]): StateSpec | undefined {
  const fault = (pointer: string, detail: string) => faults.push({ pointer: `${at}${pointer}`, detail });
  if (!NAME.test(name) || name.length > 48) fault('', 'a state name is kebab-case, at most 48 characters');
  if (!isObject(spec)) {
    fault('', 'expected an object');
    return undefined;
  }
  for (const key of Object.keys(spec))
    if (!['title', 'final', 'due', 'expires'].includes(key)) fault(`/${key}`, 'not a member of a state');
  const title = readTitle(spec.title, `${at}/title`, faults);
  const final = spec.final === true;
  if (spec.final !== undefined && typeof spec.final !== 'boolean') fault('/final', 'expected true or false');
  if (final && (spec.due !== undefined || spec.expires !== undefined))
    fault('', 'a final state has no due time and no expiry');
  const due = spec.due === undefined ? undefined : readDue(spec.due, `${at}/due`, faults);
  let expires: StateSpec['expires'];
  if (spec.expires !== undefined) {
    const e = isObject(spec.expires) ? spec.expires : {};
    const from = readRequestDate(e.fromRequest, `${at}/expires/fromRequest`, faults);
    if (typeof e.to !== 'string') fault('/expires/to', 'expected the final state an expired track is in');
    else if (from !== undefined) expires = { fromRequest: from, to: e.to };
  }
  if (title === undefined) return undefined;
  return {
    name,
    title,
    final,
    ...(due === undefined ? {} : { due }),
    ...(expires === undefined ? {} : { expires }),
  };
}

function readTransition(
  spec: unknown,
  types: ReadonlySet<string>,
  states: ReadonlyMap<string, StateSpec>,
  at: string,
  faults: WorkflowFault[],
): TransitionSpec | undefined {
  const fault = (pointer: string, detail: string) => faults.push({ pointer: `${at}${pointer}`, detail });
  if (!isObject(spec)) {
    fault('', 'expected an object');
    return undefined;
  }
  for (const key of Object.keys(spec))
    if (!['type', 'by', 'from', 'to', 'when', 'whenRequest'].includes(key))
      fault(`/${key}`, 'not a member of a transition');
  const { type, by, to } = spec;
  if (typeof type !== 'string' || !types.has(type)) fault('/type', 'not a message type of this contract');
  if (by !== 'requester' && by !== 'recipient') fault('/by', 'expected "requester" or "recipient"');
  const from = Array.isArray(spec.from) ? spec.from : [];
  if (from.length === 0) fault('/from', 'expected the states the transition leaves');
  from.forEach((s, i) => {
    if (typeof s !== 'string' || !states.has(s)) fault(`/from/${i}`, 'not a state of this workflow');
    else if (states.get(s)?.final) fault(`/from/${i}`, 'a final state has no way out');
  });
  if (typeof to !== 'string' || !states.has(to)) fault('/to', 'not a state of this workflow');
  const when = readCondition(spec.when, `${at}/when`, faults);
  const whenRequest = readCondition(spec.whenRequest, `${at}/whenRequest`, faults);
  if (typeof type !== 'string' || typeof to !== 'string' || (by !== 'requester' && by !== 'recipient'))
    return undefined;
  return {
    type,
    by,
    from: new Set(from.filter((s): s is string => typeof s === 'string')),
    to,
    when,
    whenRequest,
  };
}

/** The pointer of a condition or request date, for messages and the console. */
export const pointerText = (segments: Segments): string => formatPointer([...segments]);
