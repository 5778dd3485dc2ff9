import type { Contract } from '../../contracts/contract.js';
import type { StateSpec, TransitionSpec, Workflow } from '../../contracts/workflow.js';

// The threads of contracts published before workflows (1.x, 2.0.0), as they behaved then: a request
// opens a thread (`open`, due after the node's `threads.dueDays` or yrdx's default), and for
// assistance and consultation the recipient's reply closes it (`closed`). Case and clue transfers of
// those versions have no reply type, so their threads stay open; their 2.1.0 successors declare
// acceptance. Threads recorded before workflows (no workflow named) are read with these too.

const open = (days: number): StateSpec => ({
  name: 'open',
  title: { 'zh-CN': '待答复', en: 'open' },
  final: false,
  due: { days, calendar: 'natural', basis: 'yrdx 默认期限，可在 threads.dueDays 中设置' },
});
const closed: StateSpec = { name: 'closed', title: { 'zh-CN': '已答复', en: 'closed' }, final: true };
const reply = (type: string): TransitionSpec => ({
  type,
  by: 'recipient',
  from: new Set(['open']),
  to: 'closed',
  when: [],
  whenRequest: [],
});

function legacy(
  name: string,
  zh: string,
  en: string,
  opens: string,
  days: number,
  replyType?: string,
): Workflow {
  return {
    name,
    title: { 'zh-CN': zh, en },
    opens: [opens],
    initial: 'open',
    states: new Map([
      ['open', open(days)],
      ['closed', closed],
    ]),
    transitions: replyType === undefined ? [] : [reply(replyType)],
    organs: [],
    requires: [],
  };
}

const LEGACY: readonly Workflow[] = [
  legacy('assistance', '协查', 'assistance', 'assistance-request', 15, 'assistance-reply'),
  legacy('consultation', '双向咨询', 'consultation', 'consultation', 10, 'consultation-reply'),
  legacy('case-transfer', '案件移送', 'case transfer', 'case-transfer', 30),
  legacy('clue-transfer', '线索移送', 'clue transfer', 'clue-transfer', 15),
];

/** The workflows a contract's messages follow: its own, or, when it declares none, the legacy ones. */
export function workflowsOf(contract: Contract): ReadonlyMap<string, Workflow> {
  if (contract.workflows.size > 0) return contract.workflows;
  const types = new Set(contract.messageTypes);
  return new Map(LEGACY.filter((w) => types.has(w.opens[0]!)).map((w) => [w.name, w]));
}

/** The legacy workflow of a thread recorded before workflows, by its request's type. */
export function legacyWorkflow(requestType: string): Workflow | undefined {
  return LEGACY.find((w) => w.opens[0] === requestType);
}

/** The workflow a request of `type` opens under `contract`. */
export function openedBy(contract: Contract, type: string): Workflow | undefined {
  for (const w of workflowsOf(contract).values()) if (w.opens.includes(type)) return w;
  return undefined;
}
