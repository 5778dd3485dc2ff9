import type { ContractRegistry } from '../../contracts/registry.js';
import type { Title, Workflow } from '../../contracts/workflow.js';
import type { ThreadDetail, ThreadView, TrackView } from '../../store/port.js';
import { legacyWorkflow, workflowsOf } from './legacy.js';

/** A track as people read it: its state with its title, due and expiry, and whether it is late. */
export interface TrackState {
  readonly partner: string;
  /** The state as stored, or the state an expired track counts as. */
  readonly state: string;
  readonly title: Title;
  readonly final: boolean;
  readonly enteredAt: number;
  readonly dueAt?: number;
  readonly expiresAt?: number;
  readonly closedAt?: number;
  /** Not final and past its due time. */
  readonly overdue: boolean;
  /** Past its hard end (an alert's validity): it counts as its expiry state. */
  readonly expired: boolean;
}

export interface ThreadState {
  readonly workflow: { readonly name: string; readonly title: Title } | undefined;
  readonly tracks: readonly TrackState[];
  /** Any track overdue. */
  readonly overdue: boolean;
  /** Every track final, or expired. */
  readonly settled: boolean;
}

/** The workflow a thread follows, by the newest contract of its domain (legacy threads by their request type). */
export function threadWorkflow(
  registry: ContractRegistry | undefined,
  thread: ThreadView,
): Workflow | undefined {
  if (thread.workflow === undefined) return legacyWorkflow(thread.type);
  const contract = registry?.latest(thread.domain);
  const found = contract === undefined ? undefined : workflowsOf(contract).get(thread.workflow);
  if (found !== undefined) return found;
  // A workflow a newer major renamed: the newest contract of any major that has it.
  for (const c of registry?.list().reverse() ?? [])
    if (c.domain === thread.domain && c.workflows.has(thread.workflow))
      return c.workflows.get(thread.workflow);
  return undefined;
}

/** The thread's tracks as people read them at `now`. */
export function threadState(
  registry: ContractRegistry | undefined,
  thread: ThreadView,
  now: number,
): ThreadState {
  const workflow = threadWorkflow(registry, thread);
  const tracks = thread.tracks.map((t) => trackState(workflow, t, now));
  return {
    workflow: workflow === undefined ? undefined : { name: workflow.name, title: workflow.title },
    tracks,
    overdue: tracks.some((t) => t.overdue),
    settled: tracks.every((t) => t.final || t.expired),
  };
}

function trackState(workflow: Workflow | undefined, track: TrackView, now: number): TrackState {
  const expired = track.closedAt === undefined && track.expiresAt !== undefined && now > track.expiresAt;
  const name = expired && track.expiresTo !== undefined ? track.expiresTo : track.state;
  const spec = workflow?.states.get(name);
  const final = track.closedAt !== undefined || spec?.final === true;
  return {
    partner: track.partner,
    state: name,
    title: spec?.title ?? { 'zh-CN': name, en: name },
    final,
    enteredAt: track.enteredAt,
    ...(track.dueAt === undefined ? {} : { dueAt: track.dueAt }),
    ...(track.expiresAt === undefined ? {} : { expiresAt: track.expiresAt }),
    ...(track.closedAt === undefined ? {} : { closedAt: track.closedAt }),
    overdue: !final && !expired && track.dueAt !== undefined && now > track.dueAt,
    expired,
  };
}

/** The title of a state of the thread's workflow (for transitions), or the name itself. */
export function stateTitle(workflow: Workflow | undefined, name: string): Title {
  return workflow?.states.get(name)?.title ?? { 'zh-CN': name, en: name };
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The admin API's and the CLI's JSON of a thread: its workflow, each track's state, every transition. */
export function threadDocument(
  registry: ContractRegistry | undefined,
  t: ThreadView | ThreadDetail,
  now: number,
) {
  const state = threadState(registry, t, now);
  const workflow = threadWorkflow(registry, t);
  return {
    threadId: t.threadId,
    partner: t.partner,
    direction: t.direction,
    type: t.type,
    domain: t.domain,
    workflow: state.workflow,
    status: t.status,
    overdue: state.overdue,
    openedAt: iso(t.openedAt),
    dueAt: iso(t.dueAt),
    closedAt: iso(t.closedAt),
    requestId: t.requestId,
    replyId: t.replyId,
    tracks: state.tracks.map((k) => ({
      ...k,
      enteredAt: iso(k.enteredAt),
      dueAt: iso(k.dueAt),
      expiresAt: iso(k.expiresAt),
      closedAt: iso(k.closedAt),
    })),
    ...('transitions' in t
      ? {
          transitions: t.transitions.map((x) => ({
            ...x,
            at: iso(x.at),
            fromTitle: x.from === '' ? undefined : stateTitle(workflow, x.from),
            toTitle: stateTitle(workflow, x.to),
          })),
        }
      : {}),
  };
}
