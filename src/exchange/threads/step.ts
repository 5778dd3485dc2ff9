import type { Contract } from '../../contracts/contract.js';
import { getAt } from '../../contracts/pointer.js';
import type { StateSpec, TransitionSpec, Workflow } from '../../contracts/workflow.js';
import { YrdxError } from '../../errors/errors.js';
import { requestFault } from '../../errors/request-text.js';
import type { TextParams } from '../../errors/text.js';
import type { ThreadChange, ThreadDetail, TrackChange, TrackView } from '../../store/port.js';
import { servingCity } from '../../vocabulary/regions.js';
import { dueAt, expiresAt } from './due.js';
import { bodyReader, type Facts, factsOf, factsReader, holds, parseFacts } from './facts.js';
import { legacyWorkflow, openedBy, workflowsOf } from './legacy.js';

/** A message as the workflow sees it, in the direction it travels through this node. */
export interface StepMessage {
  readonly type: string;
  readonly domain: string;
  readonly messageId: string;
  readonly thread: string;
  readonly canonical: unknown;
  readonly direction: 'outbound' | 'inbound';
  /** This node's id. */
  readonly self: string;
  /** Who sends it: this node (outbound) or the partner (inbound, `iss`). */
  readonly sender: string;
  /** Whom it goes to: the recipients (outbound), or this node (inbound). */
  readonly recipients: readonly string[];
  readonly now: number;
}

/** Days per `<workflow>/<state>` or per request type (the initial state), from `threads.dueDays`. */
export type DueDays = Readonly<Partial<Record<string, number>>>;

const ROLE = {
  requester: { zh: '请求方', en: 'requester' },
  recipient: { zh: '承办方', en: 'recipient' },
} as const;

/**
 * The thread change a message makes, or why it may not be sent (or taken): a request opens its
 * workflow with a track per counterpart; a message of a transition type moves the tracks it
 * concerns, when its sender has that role, the track is in a state the transition leaves, the
 * conditions on the message and on the request hold and the track has not expired. A message of a
 * type its thread's workflow does not move with changes nothing, and so does a reply to a thread
 * this node does not know (the request may predate its store). The same function judges a message
 * on the sender's node before sealing and on the recipient's before accepting, so both agree.
 */
export function workflowStep(
  contract: Contract,
  message: StepMessage,
  existing: ThreadDetail | undefined,
  days: DueDays,
): ThreadChange | undefined {
  if (existing !== undefined) {
    const workflow =
      existing.workflow === undefined
        ? legacyWorkflow(existing.type)
        : workflowsOf(contract).get(existing.workflow);
    if (workflow === undefined) return undefined;
    return move(workflow, message, existing, days);
  }
  const workflow = openedBy(contract, message.type);
  if (workflow === undefined) return undefined;
  // A request without what the workflow needs (a 2.0.0 risk alert has no /alert) opens no thread.
  if (workflow.requires.some((p) => getAt(message.canonical, p) === undefined)) return undefined;
  return open(workflow, message, days);
}

function open(workflow: Workflow, m: StepMessage, days: DueDays): ThreadChange {
  const facts = factsOf(workflow, m.canonical);
  if (workflow.participants !== undefined) {
    const named = getAt(m.canonical, workflow.participants);
    const list = Array.isArray(named) ? named.filter((p): p is string => typeof p === 'string') : [];
    // Participants are agencies (a district's bureau); the node of each is its city's.
    const cities = new Set(list.map((p) => servingCity(p) ?? p));
    const ok =
      m.direction === 'outbound'
        ? cities.size === m.recipients.length && m.recipients.every((r) => cities.has(r))
        : cities.has(m.self);
    if (!ok)
      throw new YrdxError('workflow_participants_mismatch', {
        params: {
          workflow: { zh: workflow.title['zh-CN'], en: workflow.title.en },
          participants: list.join(',') || '—',
          to: m.recipients.join(','),
        },
        errors: [
          {
            pointer: pointerOf(workflow.participants),
            detail: requestFault('recipients', { to: m.recipients.join(',') }),
          },
        ],
      });
  }
  // On the requester's node a track per recipient; on a recipient's, one with the requester.
  const counterparts = m.direction === 'outbound' ? m.recipients : [m.sender];
  const state = workflow.states.get(workflow.initial)!;
  const tracks = counterparts.map((partner) =>
    enter(state, {
      partner,
      participant: m.direction === 'outbound' ? partner : m.self,
      facts,
      now: m.now,
      days: days[`${workflow.name}/${state.name}`] ?? days[m.type],
      late: false,
    }),
  );
  return {
    action: 'open',
    threadId: m.thread,
    partner: counterparts[0]!,
    direction: m.direction,
    type: m.type,
    domain: m.domain,
    messageId: m.messageId,
    workflow: workflow.name,
    facts: JSON.stringify(facts),
    tracks,
  };
}

function move(
  workflow: Workflow,
  m: StepMessage,
  thread: ThreadDetail,
  days: DueDays,
): ThreadChange | undefined {
  const candidates = workflow.transitions.filter((t) => t.type === m.type);
  if (candidates.length === 0) return undefined;
  const requested = thread.direction === 'outbound'; // this node opened the thread
  const by: TransitionSpec['by'] =
    m.direction === 'outbound'
      ? requested
        ? 'requester'
        : 'recipient'
      : requested
        ? 'recipient'
        : 'requester';
  const names = {
    workflow: { zh: workflow.title['zh-CN'], en: workflow.title.en },
    thread: thread.threadId,
    type: m.type,
  };
  const mine = candidates.filter((t) => t.by === by);
  if (mine.length === 0) {
    const other = by === 'requester' ? 'recipient' : 'requester';
    throw new YrdxError('workflow_wrong_sender', {
      params: { ...names, by: ROLE[other], who: m.sender },
    });
  }
  // The tracks the message concerns: the sender's, or those of the recipients it goes to.
  const counterparts = m.direction === 'outbound' ? m.recipients : [m.sender];
  const facts = parseFacts(thread.facts);
  const moves: TrackChange[] = [];
  for (const partner of counterparts) {
    const track = thread.tracks.find((t) => t.partner === partner);
    if (track === undefined) {
      if (m.direction === 'inbound')
        throw new YrdxError('workflow_wrong_sender', {
          params: { ...names, by: ROLE[by], who: m.sender },
        });
      throw new YrdxError('reply_thread_mismatch', {
        params: {
          thread: thread.threadId,
          to: partner,
          partner: thread.tracks.map((t) => t.partner).join(','),
        },
        errors: [
          {
            pointer: '/to',
            detail: requestFault('threadParties', {
              thread: thread.threadId,
              partners: thread.tracks.map((t) => t.partner).join(','),
            }),
          },
        ],
      });
    }
    moves.push(moveTrack(workflow, mine, track, m, facts, days, names, thread.direction));
  }
  return {
    action: 'move',
    threadId: thread.threadId,
    partner: thread.partner,
    direction: thread.direction,
    type: m.type,
    domain: m.domain,
    messageId: m.messageId,
    by,
    tracks: moves,
  };
}

function moveTrack(
  workflow: Workflow,
  transitions: readonly TransitionSpec[],
  track: TrackView,
  m: StepMessage,
  facts: Facts,
  days: DueDays,
  names: TextParams,
  direction: 'outbound' | 'inbound',
): TrackChange {
  const expired = track.closedAt === undefined && track.expiresAt !== undefined && m.now > track.expiresAt;
  const stateName = expired && track.expiresTo !== undefined ? track.expiresTo : track.state;
  const state = workflow.states.get(stateName);
  const title = state?.title ?? { 'zh-CN': stateName, en: stateName };
  const allowed = (zh: boolean) =>
    [...new Set(transitions.filter((t) => t.from.has(track.state)).map((t) => t.type))].join(
      zh ? '、' : ', ',
    ) || (zh ? '无' : 'none');
  const leaving = transitions.filter((t) => t.from.has(stateName) && track.closedAt === undefined);
  if (expired && leaving.length === 0)
    throw new YrdxError('workflow_late', {
      params: {
        ...names,
        state: { zh: title['zh-CN'], en: title.en },
        expiredAt: beijing(track.expiresAt!),
      },
    });
  const chosen = leaving.find(
    (t) => holds(t.when, bodyReader(m.canonical)) && holds(t.whenRequest, factsReader(facts)),
  );
  if (chosen === undefined)
    throw new YrdxError('workflow_wrong_state', {
      params: {
        ...names,
        partner: track.partner,
        state: { zh: title['zh-CN'], en: title.en },
        allowed: { zh: allowed(true), en: allowed(false) },
      },
    });
  const to = workflow.states.get(chosen.to)!;
  return {
    ...enter(to, {
      partner: track.partner,
      participant: direction === 'outbound' ? track.partner : m.self,
      facts,
      now: m.now,
      days: days[`${workflow.name}/${to.name}`],
      late: track.dueAt !== undefined && m.now > track.dueAt,
    }),
    from: track.state,
  };
}

function enter(
  state: StateSpec,
  c: { partner: string; participant: string; facts: Facts; now: number; days?: number; late: boolean },
): TrackChange {
  const due = state.final
    ? undefined
    : dueAt(state, {
        now: c.now,
        facts: c.facts,
        participant: c.participant,
        ...(c.days === undefined ? {} : { days: c.days }),
      });
  const expires = state.final ? undefined : expiresAt(state, { facts: c.facts, participant: c.participant });
  return {
    partner: c.partner,
    to: state.name,
    ...(due === undefined ? {} : { dueAt: due }),
    ...(expires === undefined ? {} : { expiresAt: expires, expiresTo: state.expires!.to }),
    final: state.final,
    late: c.late,
  };
}

const pointerOf = (segments: readonly string[]) => `/body${segments.map((s) => `/${s}`).join('')}`;

/** `2026-12-07 09:30 (UTC+8)`: the time an operator in the Delta reads. */
const beijing = (t: number) =>
  `${new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')} (UTC+8)`;
