import { formatPointer, getAt, type Segments } from '../../contracts/pointer.js';
import type { Condition, RequestDate, Workflow } from '../../contracts/workflow.js';
import { servingCity } from '../../vocabulary/regions.js';

/**
 * What of a request its workflow reads after the request has gone: the values its conditions test
 * (`whenRequest`) and the dates its due and expiry rules take, per participant for a list of tasks.
 * Kept with the thread (as JSON) so that a reply is judged against the request it answers, on both
 * nodes, without reading the request's body again (which retention may have removed).
 */
export interface Facts {
  readonly values: Readonly<Record<string, unknown>>;
  /** `list|match|date` → participant → the latest date of that participant's items. */
  readonly lists: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

const listKey = (d: Extract<RequestDate, { list: Segments }>) =>
  `${formatPointer(d.list)}|${d.match}|${d.date}`;

export function factsOf(workflow: Workflow, request: unknown): Facts {
  const values: Record<string, unknown> = {};
  const lists: Record<string, Record<string, string>> = {};
  const take = (d: RequestDate | undefined) => {
    if (d === undefined) return;
    if ('pointer' in d) {
      const v = getAt(request, d.pointer);
      if (typeof v === 'string') values[formatPointer(d.pointer)] = v;
      return;
    }
    const items = getAt(request, d.list);
    if (!Array.isArray(items)) return;
    const byParticipant: Record<string, string> = {};
    for (const item of items) {
      if (typeof item !== 'object' || item === null) continue;
      const named = (item as Record<string, unknown>)[d.match];
      // A task of a district's agency is its city's: the city's node holds the track.
      const who = typeof named === 'string' ? (servingCity(named) ?? named) : named;
      const when = (item as Record<string, unknown>)[d.date];
      if (typeof who !== 'string' || typeof when !== 'string') continue;
      const seen = byParticipant[who];
      if (seen === undefined || seen < when) byParticipant[who] = when;
    }
    lists[listKey(d)] = byParticipant;
  };
  for (const state of workflow.states.values()) {
    take(state.due?.fromRequest);
    take(state.expires?.fromRequest);
  }
  for (const t of workflow.transitions)
    for (const [pointer] of t.whenRequest) {
      const v = getAt(request, pointer);
      if (v !== undefined && (typeof v !== 'object' || v === null)) values[formatPointer(pointer)] = v;
    }
  return { values, lists };
}

export function parseFacts(text: string | undefined): Facts {
  if (text === undefined) return { values: {}, lists: {} };
  try {
    const parsed = JSON.parse(text) as Partial<Facts>;
    return { values: parsed.values ?? {}, lists: parsed.lists ?? {} };
  } catch {
    return { values: {}, lists: {} };
  }
}

/** The date a rule takes from the request, for `participant` (a city's code) where the date is per participant. */
export function requestDate(facts: Facts, d: RequestDate, participant: string): string | undefined {
  if ('pointer' in d) {
    const v = facts.values[formatPointer(d.pointer)];
    return typeof v === 'string' ? v : undefined;
  }
  return facts.lists[listKey(d)]?.[participant];
}

/**
 * Whether every condition holds of `read` (a body, or the request's facts). An absent value
 * matches `false` only: an optional flag left out is not set.
 */
export function holds(condition: Condition, read: (pointer: Segments) => unknown): boolean {
  return condition.every(([pointer, values]) => {
    const v = read(pointer);
    return v === undefined ? values.includes(false) : values.some((x) => x === v);
  });
}

export const bodyReader = (body: unknown) => (pointer: Segments) => getAt(body, pointer);
export const factsReader = (facts: Facts) => (pointer: Segments) => facts.values[formatPointer(pointer)];
