import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../src/contracts/contract.js';
import { threadState } from '../../src/exchange/threads/present.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import type { ThreadDetail } from '../../src/store/port.js';
import { loadAll } from '../helpers/contracts.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The workflows food-safety 2.1.0 declares, across real nodes (issue 17): every legal transition
 * reaches the same state at both ends; every illegal one — wrong sender, wrong state, too late,
 * participants that are not the recipients, an organ the node cannot reach — is refused with its
 * code; due times differ per state and a track is overdue only past its own; a joint investigation
 * with three participants closes when each is done or withdrawn, one of them late.
 */
const DAY = 86_400_000;
// biome-ignore lint/suspicious/noExplicitAny: the tests edit canonical bodies by their known members
type Body = Record<string, any>;
const { registry } = loadAll(readContractsDir('contracts', { domain: 'food-safety' }));
const contract = registry.get('food-safety', '2.1.0') as Contract;
const date = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/** A body in `dialect` for `type`: the sh example's canonical content, edited. */
function body(type: string, dialect: string, edit: (c: Body) => void = () => {}) {
  const example = JSON.parse(
    readFileSync(`contracts/food-safety/2.1.0/dialects/sh/examples/${type}.json`, 'utf8'),
  ) as unknown;
  const canonical = contract.dialects.get('sh')!.toCanonical(example).value as Body;
  edit(canonical);
  const { value, faults } = contract.dialects.get(dialect)!.toDialect(canonical);
  expect(faults).toEqual([]);
  return value;
}

let huzhou: LiveNode;
let suzhou: LiveNode;
let hefei: LiveNode;
let shanghai: LiveNode;
let wuxi: LiveNode;
const dialectOf = (node: LiveNode) =>
  ({ '330500': 'zj', '320500': 'js', '340100': 'ah', '310000': 'sh', '320200': 'js' })[node.id]!;

beforeAll(async () => {
  [huzhou, suzhou, hefei, shanghai, wuxi] = (await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj' },
      { id: '320500', name: '苏州市', province: 'js', algorithm: 'EdDSA' },
      { id: '340100', name: '合肥市', province: 'ah', mode: 'pull' },
      { id: '310000', name: '上海市', province: 'sh' },
      // Wuxi's node reaches its public-security organ and procuratorate: their system is its only one.
      { id: '320200', name: '无锡市', province: 'js', organs: ['public-security', 'procuratorate'] },
    ],
    tempDir('yrdx-workflows-'),
  )) as [LiveNode, LiveNode, LiveNode, LiveNode, LiveNode];
}, patient(60_000));

afterAll(async () => {
  await Promise.all([huzhou, suzhou, hefei, shanghai, wuxi].map((n) => n?.stop()));
});

async function send(
  from: LiveNode,
  to: LiveNode | LiveNode[],
  type: string,
  edit?: (c: Body) => void,
  reply?: { thread: string; inReplyTo?: string },
): Promise<Response> {
  const recipients = Array.isArray(to) ? to.map((n) => n.id) : to.id;
  return from.submit({
    to: recipients,
    domain: 'food-safety',
    type,
    body: body(type, dialectOf(from), edit),
    ...(reply ?? {}),
  });
}

async function accepted(response: Promise<Response>): Promise<{ id: string; thread: string }> {
  const r = await response;
  expect(r.status, await r.clone().text()).toBe(202);
  return (await r.json()) as { id: string; thread: string };
}

async function refused(response: Promise<Response>, code: string): Promise<void> {
  const r = await response;
  const problem = (await r.json()) as { code: string; detail: string };
  expect(problem.code, problem.detail).toBe(code);
  expect(r.status).toBeGreaterThanOrEqual(400);
}

/** The thread at `node` once its track with `partner` is in `state`. */
function trackIn(node: LiveNode, thread: string, partner: string, state: string): Promise<ThreadDetail> {
  return eventually(
    async () => {
      const t = await node.exchange.deps.store.getThread(thread);
      return t?.tracks.find((k) => k.partner === partner)?.state === state ? t : undefined;
    },
    15_000,
    `${node.id}: track ${partner} of ${thread} in ${state}`,
  );
}

describe('case transfer and acceptance', () => {
  it(
    'takes each decision of the receiving bureau, from it only, once',
    async () => {
      for (const decision of ['accepted', 'refused', 'returned', 'forwarded']) {
        const request = await accepted(send(huzhou, suzhou, 'case-transfer'));
        await trackIn(suzhou, request.thread, huzhou.id, 'submitted');
        if (decision === 'accepted') {
          // The bureau that transferred the case cannot accept it itself.
          await refused(
            send(huzhou, suzhou, 'case-acceptance', undefined, { thread: request.thread }),
            'workflow_wrong_sender',
          );
        }
        const answer = send(
          suzhou,
          huzhou,
          'case-acceptance',
          (c) => {
            c.acceptance.decision = decision;
          },
          { thread: request.thread, inReplyTo: request.id },
        );
        await accepted(answer);
        const mine = await trackIn(huzhou, request.thread, suzhou.id, decision);
        expect(mine.status).toBe('closed');
        expect((await trackIn(suzhou, request.thread, huzhou.id, decision)).status).toBe('closed');
        if (decision === 'accepted') {
          // Decided: a second decision is refused, at the sender's node before it is sealed.
          await refused(
            send(suzhou, huzhou, 'case-acceptance', undefined, { thread: request.thread }),
            'workflow_wrong_state',
          );
        }
      }
    },
    patient(90_000),
  );
});

describe('joint investigation', () => {
  it(
    'tracks each of three participants, one finishing late, one withdrawn, and closes when all are settled',
    async () => {
      const now = Date.now();
      const plan = (c: Body) => {
        c.jointInvestigation.lead = '330502';
        c.jointInvestigation.participants = ['320506', '340104', '310115'];
        c.jointInvestigation.tasks = [
          {
            taskId: 'T-1',
            participant: '320506',
            description: '调取进销货台账',
            dueDate: date(now + 5 * DAY),
          },
          // Hefei's task was due yesterday: its completion comes late.
          { taskId: 'T-2', participant: '340104', description: '核查供货单位', dueDate: date(now - DAY) },
          { taskId: 'T-3', participant: '310115', description: '排查网络销售', dueDate: date(now + 5 * DAY) },
        ];
      };
      // The participants it names must be its recipients.
      await refused(
        send(huzhou, [suzhou, hefei], 'joint-investigation', plan),
        'workflow_participants_mismatch',
      );
      const request = await accepted(send(huzhou, [suzhou, hefei, shanghai], 'joint-investigation', plan));
      const opened = await trackIn(huzhou, request.thread, shanghai.id, 'assigned');
      expect(opened.tracks.map((k) => k.partner).sort()).toEqual(['310000', '320500', '340100']);
      // Each participant's due time is its own tasks'.
      const due = Object.fromEntries(opened.tracks.map((k) => [k.partner, k.dueAt]));
      expect(due['340100']).toBeLessThan(now);
      expect(due['320500']).toBeGreaterThan(now + 4 * DAY);
      const at = (node: LiveNode) => trackIn(node, request.thread, huzhou.id, 'assigned');
      await Promise.all([at(suzhou), at(hefei), at(shanghai)]);
      const reply = { thread: request.thread, inReplyTo: request.id };

      // Suzhou reports progress, then finishes; a participant cannot withdraw a task.
      await accepted(
        send(
          suzhou,
          huzhou,
          'investigation-progress',
          (c) => {
            c.progress.completed = false;
          },
          reply,
        ),
      );
      await trackIn(huzhou, request.thread, suzhou.id, 'in-progress');
      await refused(send(suzhou, huzhou, 'task-withdrawal', undefined, reply), 'workflow_wrong_sender');
      await accepted(
        send(
          suzhou,
          huzhou,
          'investigation-progress',
          (c) => {
            c.progress.completed = true;
          },
          reply,
        ),
      );
      await trackIn(huzhou, request.thread, suzhou.id, 'done');
      await trackIn(suzhou, request.thread, huzhou.id, 'done');
      // Done is done.
      await refused(send(suzhou, huzhou, 'investigation-progress', undefined, reply), 'workflow_wrong_state');

      // Hefei finishes after its due date: accepted, and recorded as late.
      await accepted(
        send(
          hefei,
          huzhou,
          'investigation-progress',
          (c) => {
            c.progress.completed = true;
          },
          reply,
        ),
      );
      const afterHefei = await trackIn(huzhou, request.thread, hefei.id, 'done');
      expect(afterHefei.status).toBe('open');
      expect(afterHefei.transitions.find((x) => x.partner === hefei.id && x.to === 'done')?.late).toBe(true);
      expect(afterHefei.transitions.find((x) => x.partner === suzhou.id && x.to === 'done')?.late).toBe(
        false,
      );
      const state = threadState(registry, afterHefei, Date.now());
      expect(state.tracks.find((k) => k.partner === shanghai.id)).toMatchObject({
        state: 'assigned',
        overdue: false,
      });

      // The lead withdraws Shanghai's task: every track settled, the thread closes at both ends.
      await accepted(send(huzhou, shanghai, 'task-withdrawal', undefined, { thread: request.thread }));
      const closed = await trackIn(huzhou, request.thread, shanghai.id, 'withdrawn');
      expect(closed.status).toBe('closed');
      expect((await trackIn(shanghai, request.thread, huzhou.id, 'withdrawn')).status).toBe('closed');
      expect(closed.transitions.map((x) => `${x.partner}:${x.from || '∅'}→${x.to}`)).toEqual(
        expect.arrayContaining([
          '320500:assigned→in-progress',
          '320500:in-progress→done',
          '340100:assigned→done',
          '310000:assigned→withdrawn',
        ]),
      );
    },
    patient(90_000),
  );
});

describe('handover of a suspected crime', () => {
  it(
    'reaches the public-security organ through its city’s node, with a due time per state',
    async () => {
      const handover = (c: Body) => {
        c.handover.recipientOrgan = { kind: 'public-security', name: '无锡市公安局' };
        c.handover.cc = [{ kind: 'procuratorate', name: '无锡市人民检察院' }];
      };
      // A node with no system for the organ refuses it: the sender learns at once.
      const nowhere = await accepted(send(huzhou, suzhou, 'crime-handover', handover));
      await eventually(
        async () => {
          const view = await huzhou.exchange.deps.store.getOutbound(nowhere.id);
          return view?.deliveries[0]?.status === 'rejected' ? view : undefined;
        },
        15_000,
        'the handover refused by a node without the organ',
      ).then((view) => expect(JSON.stringify(view)).toContain('organ_unreachable'));

      const sent = Date.now();
      const request = await accepted(send(huzhou, wuxi, 'crime-handover', handover));
      const transferred = await trackIn(huzhou, request.thread, wuxi.id, 'transferred');
      // Art. 7: the police sign a receipt within 24 hours.
      const receiptDue = transferred.tracks[0]!.dueAt!;
      expect(receiptDue).toBeGreaterThanOrEqual(sent + DAY);
      expect(receiptDue).toBeLessThan(Date.now() + DAY + 1000);
      expect(threadState(registry, transferred, sent + 2 * DAY).tracks[0]).toMatchObject({ overdue: true });
      // Delivered to the police's system at Wuxi.
      await eventually(
        () => wuxi.pushed.find((p) => p.headers['x-yrdx-message-id'] === request.id),
        15_000,
        'the handover at the public-security organ’s system',
      );

      const decide = (decision: string) =>
        send(
          wuxi,
          huzhou,
          'handover-decision',
          (c) => {
            c.handoverDecision.decision = decision;
          },
          { thread: request.thread, inReplyTo: request.id },
        );
      // The organ that transferred it cannot decide it.
      await refused(
        send(huzhou, wuxi, 'handover-decision', undefined, { thread: request.thread }),
        'workflow_wrong_sender',
      );
      await accepted(decide('received'));
      const received = await trackIn(huzhou, request.thread, wuxi.id, 'received');
      // Food: the police decide "一般" within 10 days of receipt (食药监稽〔2015〕271号), not 3.
      const decisionDue = received.tracks[0]!.dueAt!;
      expect(decisionDue - receiptDue).toBeGreaterThan(8 * DAY);
      expect(threadState(registry, received, sent + 2 * DAY).tracks[0]).toMatchObject({ overdue: false });
      expect(threadState(registry, received, sent + 11 * DAY).tracks[0]).toMatchObject({ overdue: true });
      await refused(decide('received'), 'workflow_wrong_state');
      await accepted(decide('filed'));
      expect((await trackIn(huzhou, request.thread, wuxi.id, 'filed')).status).toBe('closed');
      expect((await trackIn(wuxi, request.thread, huzhou.id, 'filed')).status).toBe('closed');
    },
    patient(90_000),
  );
});

describe('risk alert', () => {
  it(
    'is acknowledged and its disposal reported by each recipient; an expired alert takes no acknowledgement',
    async () => {
      const valid = (c: Body) => {
        c.alert.validUntil = date(Date.now() + 10 * DAY);
        c.alert.responseDueDate = date(Date.now() + 3 * DAY);
        c.alert.requestedResponse = 'acknowledge-and-dispose';
      };
      const alert = await accepted(send(shanghai, [huzhou, suzhou], 'risk-alert', valid));
      await trackIn(shanghai, alert.thread, huzhou.id, 'issued');
      const reply = { thread: alert.thread, inReplyTo: alert.id };
      // Disposal before acknowledgement is out of order.
      await trackIn(suzhou, alert.thread, shanghai.id, 'issued');
      await refused(send(suzhou, shanghai, 'alert-disposal', undefined, reply), 'workflow_wrong_state');
      await trackIn(huzhou, alert.thread, shanghai.id, 'issued');
      await accepted(send(huzhou, shanghai, 'alert-acknowledgement', undefined, reply));
      await trackIn(shanghai, alert.thread, huzhou.id, 'disposing');
      await accepted(send(huzhou, shanghai, 'alert-disposal', undefined, reply));
      const partly = await trackIn(shanghai, alert.thread, huzhou.id, 'disposed');
      // Closed per recipient: Suzhou's track is still open.
      expect(partly.status).toBe('open');
      await accepted(send(suzhou, shanghai, 'alert-acknowledgement', undefined, reply));
      await accepted(send(suzhou, shanghai, 'alert-disposal', undefined, reply));
      expect((await trackIn(shanghai, alert.thread, suzhou.id, 'disposed')).status).toBe('closed');

      // An alert whose validity ended yesterday: too late to acknowledge.
      const stale = await accepted(
        send(shanghai, hefei, 'risk-alert', (c) => {
          valid(c);
          c.alert.validUntil = date(Date.now() - DAY);
        }),
      );
      const opened = await trackIn(hefei, stale.thread, shanghai.id, 'issued');
      expect(threadState(registry, opened, Date.now()).tracks[0]).toMatchObject({
        state: 'expired',
        expired: true,
      });
      await refused(
        send(hefei, shanghai, 'alert-acknowledgement', undefined, {
          thread: stale.thread,
          inReplyTo: stale.id,
        }),
        'workflow_late',
      );
    },
    patient(90_000),
  );
});

describe('recognition of test results', () => {
  it(
    'takes the recipient’s decision, recognised or not',
    async () => {
      for (const decision of ['recognised', 'not-recognised']) {
        const request = await accepted(send(hefei, suzhou, 'result-recognition'));
        await trackIn(suzhou, request.thread, hefei.id, 'requested');
        await accepted(
          send(
            suzhou,
            hefei,
            'recognition-decision',
            (c) => {
              c.recognitionDecision.decision = decision;
              c.recognitionDecision.reasons = '检验机构资质认定证书已过有效期';
            },
            { thread: request.thread, inReplyTo: request.id },
          ),
        );
        expect((await trackIn(hefei, request.thread, suzhou.id, decision)).status).toBe('closed');
      }
    },
    patient(60_000),
  );
});
