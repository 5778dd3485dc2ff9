import { parsePointer, type Segments } from './pointer.js';
import type { Condition, DueRule, RequestDate, Title, WorkflowFault } from './workflow.js';

// The small parts of a workflow declaration (due rules, request dates, conditions, titles,
// pointers), read with every fault's pointer; ./workflow.ts reads the states and transitions.

const LIMITS = { conditions: 8, text: 500 } as const;
type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readDue(spec: unknown, at: string, faults: WorkflowFault[]): DueRule | undefined {
  const fault = (pointer: string, detail: string) => faults.push({ pointer: `${at}${pointer}`, detail });
  if (!isObject(spec)) {
    fault('', 'expected an object');
    return undefined;
  }
  for (const key of Object.keys(spec))
    if (!['fromRequest', 'days', 'hours', 'calendar', 'basis'].includes(key))
      fault(`/${key}`, 'not a member of a due rule');
  const days = spec.days;
  const hours = spec.hours;
  if (days !== undefined && !(Number.isInteger(days) && (days as number) >= 1 && (days as number) <= 3650))
    fault('/days', 'expected whole days from 1 to 3650');
  if (
    hours !== undefined &&
    !(Number.isInteger(hours) && (hours as number) >= 1 && (hours as number) <= 8760)
  )
    fault('/hours', 'expected whole hours from 1 to 8760');
  if (days !== undefined && hours !== undefined) fault('', 'days or hours, not both');
  const calendar = spec.calendar ?? 'natural';
  if (calendar !== 'natural' && calendar !== 'working') fault('/calendar', 'expected "natural" or "working"');
  if (hours !== undefined && calendar === 'working')
    fault('/calendar', 'hours are counted on the natural calendar');
  const basis = spec.basis;
  if (basis !== undefined && !(typeof basis === 'string' && basis.length > 0 && basis.length <= LIMITS.text))
    fault('/basis', `expected the rule's basis, at most ${LIMITS.text} characters`);
  const fromRequest =
    spec.fromRequest === undefined
      ? undefined
      : readRequestDate(spec.fromRequest, `${at}/fromRequest`, faults);
  if (days === undefined && hours === undefined && fromRequest === undefined)
    fault('', 'expected a period (days or hours) or a date of the request (fromRequest)');
  return {
    calendar: calendar === 'working' ? 'working' : 'natural',
    ...(typeof days === 'number' ? { days } : {}),
    ...(typeof hours === 'number' ? { hours } : {}),
    ...(typeof basis === 'string' ? { basis } : {}),
    ...(fromRequest === undefined ? {} : { fromRequest }),
  };
}

export function readRequestDate(spec: unknown, at: string, faults: WorkflowFault[]): RequestDate | undefined {
  if (typeof spec === 'string') {
    const pointer = pointerAt(spec, at, faults);
    return pointer === undefined ? undefined : { pointer };
  }
  if (isObject(spec)) {
    const list = pointerAt(spec.list, `${at}/list`, faults);
    const { match, date } = spec;
    if (typeof match !== 'string' || typeof date !== 'string' || match.length > 64 || date.length > 64) {
      faults.push({
        pointer: at,
        detail: 'expected {"list", "match", "date"}: the member naming the participant and the date member',
      });
      return undefined;
    }
    return list === undefined ? undefined : { list, match, date };
  }
  faults.push({
    pointer: at,
    detail: 'expected a JSON pointer into the request, or {"list", "match", "date"}',
  });
  return undefined;
}

export function readCondition(spec: unknown, at: string, faults: WorkflowFault[]): Condition {
  if (spec === undefined) return [];
  if (!isObject(spec) || Object.keys(spec).length > LIMITS.conditions) {
    faults.push({
      pointer: at,
      detail: `expected {pointer: value or [values]}, at most ${LIMITS.conditions}`,
    });
    return [];
  }
  const out: [Segments, (string | number | boolean)[]][] = [];
  for (const [pointer, value] of Object.entries(spec)) {
    const segments = pointerAt(
      pointer,
      `${at}/${pointer.replaceAll('~', '~0').replaceAll('/', '~1')}`,
      faults,
    );
    const values = Array.isArray(value) ? value : [value];
    const scalars = values.filter((v): v is string | number | boolean =>
      ['string', 'number', 'boolean'].includes(typeof v),
    );
    if (scalars.length !== values.length || values.length === 0 || values.length > 32)
      faults.push({
        pointer: at,
        detail: `${pointer}: expected a string, number or boolean, or a list of them`,
      });
    else if (segments !== undefined) out.push([segments, scalars]);
  }
  return out;
}

export function readTitle(spec: unknown, at: string, faults: WorkflowFault[]): Title | undefined {
  const ok = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 200;
  if (!isObject(spec) || !ok(spec['zh-CN']) || !ok(spec.en)) {
    faults.push({ pointer: at, detail: 'expected {"zh-CN": "…", "en": "…"}, each 1–200 characters' });
    return undefined;
  }
  return { 'zh-CN': spec['zh-CN'] as string, en: spec.en as string };
}

export function pointerAt(spec: unknown, at: string, faults: WorkflowFault[]): Segments | undefined {
  const parsed = parsePointer(spec);
  if (typeof parsed === 'string') {
    faults.push({ pointer: at, detail: parsed });
    return undefined;
  }
  if (parsed.length === 0) {
    faults.push({ pointer: at, detail: 'expected a pointer below the body' });
    return undefined;
  }
  return parsed;
}
