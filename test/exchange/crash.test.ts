import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { sqliteStore } from '../../src/store/sqlite/store.js';
import { freePort } from '../helpers/free-port.js';
import {
  killAllNodes,
  type NodeProcess,
  prepareNodes,
  type Recorder,
  ROOT,
  startRecorder,
  waitFor,
} from '../helpers/node-process.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Crash safety with real processes: Huzhou (330500, Zhejiang dialect) sends bursts of food-safety
 * notifications to Suzhou (320500, Jiangsu dialect), whose case system receives them by push at a
 * recording server in this test process. One node or the other is SIGKILLed in the middle of a
 * burst and restarted on the same port, configuration and SQLite file. Nothing accepted may be
 * lost; the only repeats the local system may see are pushes that were in flight when Suzhou died
 * (same X-Yrdx-Message-Id, so the local system can drop them).
 */

const execFileP = promisify(execFile);
const BURST = 1000;
const CONCURRENCY = 20;
/** The local-push worker claims at most this many rows per round (src/exchange/local/push-worker.ts). */
const PUSH_BATCH = 32;
const NOTIFICATION = JSON.parse(
  readFileSync(join(ROOT, 'contracts/food-safety/2.0.0/dialects/zj/examples/notification.json'), 'utf8'),
) as Record<string, unknown>;

const dir = tempDir('yrdx-crash-');
let recorder: Recorder;
let huzhou: NodeProcess;
let suzhou: NodeProcess;

beforeAll(async () => {
  recorder = await startRecorder();
  [huzhou, suzhou] = (await prepareNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj', pushUrl: `${recorder.url}?node=330500` },
      { id: '320500', name: '苏州市', province: 'js', algorithm: 'EdDSA', pushUrl: recorder.url },
    ],
    dir,
  )) as [NodeProcess, NodeProcess];
  await Promise.all([huzhou.start(), suzhou.start()]);
}, patient(60_000));

afterAll(async () => {
  await killAllNodes();
  await recorder?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Burst {
  /** Idempotency-Key → the message id of the 202 answer. */
  readonly accepted: Map<string, string>;
  /** Submissions that failed on the network (node dead) and were sent again with the same key. */
  readonly resubmitted: Set<string>;
  /** Of those, how many the node answered as `replayed` (stored before the kill, answer lost). */
  readonly replayedAfterFailure: number;
}

/**
 * Submits `count` notifications to `node`, `concurrency` at a time, each under its own
 * Idempotency-Key. A submission that fails on the network (the node was killed) is sent again with
 * the same key until the node answers; any answer other than 202 fails the burst.
 * `onAccepted(n)` runs after the n-th 202.
 */
async function burst(
  node: NodeProcess,
  prefix: string,
  count: number,
  onAccepted: (n: number) => void = () => undefined,
): Promise<Burst> {
  const accepted = new Map<string, string>();
  const resubmitted = new Set<string>();
  let replayedAfterFailure = 0;
  let next = 0;
  const until = Date.now() + 90_000;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) {
      const key = `${prefix}-${String(i).padStart(5, '0')}`;
      for (;;) {
        let res: Response;
        try {
          res = await node.submit(
            { to: '320500', domain: 'food-safety', type: 'notification', body: NOTIFICATION },
            { 'idempotency-key': key },
          );
        } catch (error) {
          // The node is down (killed, restarting): send the same request again with the same key.
          resubmitted.add(key);
          if (Date.now() > until) throw new Error(`submission ${key} kept failing: ${String(error)}`);
          await sleep(100);
          continue;
        }
        const text = await res.text();
        if (res.status !== 202) throw new Error(`submission ${key}: HTTP ${res.status} ${text}`);
        const answer = JSON.parse(text) as { id: string; replayed: boolean };
        if (answer.replayed) {
          if (!resubmitted.has(key)) throw new Error(`submission ${key} answered as replayed the first time`);
          replayedAfterFailure++;
        }
        accepted.set(key, answer.id);
        onAccepted(accepted.size);
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return { accepted, resubmitted, replayedAfterFailure };
}

/** GETs in parallel, `CONCURRENCY` at a time. */
async function statuses(node: NodeProcess, ids: readonly string[]) {
  type Status = {
    status: string;
    deliveries: { status: string; attempts: number; receipt?: { token: string } }[];
    history: { at: string; event: string }[];
  };
  const out = new Map<string, Status>();
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < ids.length; i = next++) {
      const id = ids[i]!;
      const res = await node.status(id);
      if (res.status !== 200)
        throw new Error(`GET /v1/messages/${id}: HTTP ${res.status} ${await res.text()}`);
      out.set(id, (await res.json()) as Status);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return out;
}

/** Opens a node's SQLite file beside the running node (WAL: readers and a second writer are fine). */
async function withStore<T>(node: NodeProcess, use: (store: Store) => Promise<T>): Promise<T> {
  const store = sqliteStore(node.dbPath);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/**
 * Waits until every accepted message is delivered (Huzhou holds the receipt) and pushed to Suzhou's
 * local system, with no local push still pending at Suzhou (so that late repeats are counted too).
 */
async function settle(ids: readonly string[], timeoutMs: number): Promise<void> {
  await waitFor(
    () => (ids.every((id) => recorder.counts.has(id)) ? true : undefined),
    timeoutMs,
    `all ${ids.length} messages at Suzhou's local system (arrived: ${ids.filter((id) => recorder.counts.has(id)).length})`,
    200,
  );
  await waitFor(
    () =>
      withStore(suzhou, async (store) => {
        for (const id of ids) {
          const inbound = await store.getInbound('330500', id);
          if (inbound?.localDeliveries.some((d) => d.status !== 'delivered')) return undefined;
        }
        return true;
      }),
    timeoutMs,
    'no local push pending at Suzhou',
    250,
  );
}

/** The must-show assertions after a crash: nothing lost, nothing unexpected, repeats bounded. */
async function checkOutcome(label: string, result: Burst, repeatBound: number): Promise<void> {
  const ids = [...result.accepted.values()];
  const acceptedIds = new Set(ids);
  expect(acceptedIds.size, 'one distinct id per Idempotency-Key').toBe(BURST);

  const missing = ids.filter((id) => !recorder.counts.has(id));
  const unexpected = [...recorder.counts.keys()].filter((id) => !acceptedIds.has(id));
  const repeated = recorder.repeated();

  // Huzhou's view: every message delivered, with the receipt Suzhou issued the first time.
  const docs = await statuses(huzhou, ids);
  const notDelivered = ids.filter((id) => docs.get(id)?.status !== 'delivered');
  const resent = ids.filter((id) => (docs.get(id)?.deliveries[0]?.attempts ?? 0) > 1);
  // Every receipt Huzhou holds is the one Suzhou issued when it first stored the message, also for
  // the messages Huzhou sent again after Suzhou had stored them (their receipt was lost in the crash).
  const { receiptMismatch, resentAfterStored } = await withStore(suzhou, async (store) => {
    const bad: string[] = [];
    let again = 0;
    for (const id of ids) {
      const inbound = await store.getInbound('330500', id);
      const doc = docs.get(id);
      if (inbound === undefined || inbound.receiptToken !== doc?.deliveries[0]?.receipt?.token) bad.push(id);
      const lastSending = doc?.history.filter((h) => h.event === 'sending').at(-1);
      if (
        inbound !== undefined &&
        lastSending !== undefined &&
        inbound.receivedAt < Date.parse(lastSending.at)
      )
        again++;
    }
    return { receiptMismatch: bad, resentAfterStored: again };
  });

  console.log(
    `[crash: ${label}] accepted ${acceptedIds.size} (resubmitted after the kill ${result.resubmitted.size}, ` +
      `of which already stored ${result.replayedAfterFailure}); delivered to the local system ` +
      `${ids.length - missing.length} distinct, ${recorder.arrivals.length} raw pushes; raw repeats ` +
      `${recorder.repeats} (bound ${repeatBound})${repeated.length ? ` ${JSON.stringify(repeated.slice(0, 10))}` : ''}; ` +
      `partner deliveries re-sent ${resent.length} (after the recipient had stored them ${resentAfterStored}); status delivered ${ids.length - notDelivered.length}; ` +
      `receipt = original receipt ${ids.length - receiptMismatch.length}`,
  );

  expect(missing, 'accepted messages that never reached the local system').toEqual([]);
  expect(unexpected, 'messages at the local system that were never accepted').toEqual([]);
  expect(
    recorder.repeats,
    'raw repeats beyond the pushes that could have been in flight',
  ).toBeLessThanOrEqual(repeatBound);
  expect(notDelivered, 'messages whose status is not delivered').toEqual([]);
  expect(receiptMismatch, 'receipts that differ from the one the recipient stored first').toEqual([]);
}

describe('crash safety (real processes, SIGKILL in the middle of a burst)', () => {
  it(
    `sender killed: Huzhou SIGKILLed after ~${BURST / 2} of ${BURST} accepted, restarted — nothing lost, nothing repeated`,
    async () => {
      recorder.reset();
      const started = Date.now();
      let crash: Promise<void> | undefined;
      let atKill = { accepted: 0, arrived: 0 };
      const result = await burst(huzhou, 'kill-sender', BURST, (n) => {
        if (n === BURST / 2 && crash === undefined) {
          atKill = { accepted: n, arrived: recorder.counts.size };
          crash = (async () => {
            await huzhou.kill();
            await huzhou.start();
          })();
        }
      });
      await crash;
      expect(huzhou.starts, 'Huzhou was killed and restarted').toBe(2);
      // The idempotency records survived the kill: the same requests again (those cut by the kill and
      // every tenth other) answer with the ids first given, and store nothing new.
      const sample = [...result.accepted].filter(([k], i) => i % 10 === 0 || result.resubmitted.has(k));
      for (const [key, id] of sample) {
        const res = await huzhou.submit(
          { to: '320500', domain: 'food-safety', type: 'notification', body: NOTIFICATION },
          { 'idempotency-key': key },
        );
        expect(res.status).toBe(202);
        expect(await res.json()).toMatchObject({ id, replayed: true });
      }
      const submittedIn = Date.now() - started;
      await settle([...result.accepted.values()], 120_000);
      console.log(
        `[crash: sender killed] killed at ${atKill.accepted} accepted / ${atKill.arrived} arrived; ` +
          `burst submitted in ${submittedIn} ms, settled in ${Date.now() - started} ms`,
      );
      // Killing the sender interrupts no push to Suzhou's local system: Huzhou's re-sends are answered
      // with the stored receipt and create no second local delivery.
      await checkOutcome('sender killed', result, 0);
    },
    patient(150_000),
  );

  it(
    `recipient killed: Suzhou SIGKILLed in the middle of a ${BURST}-message burst, restarted — nothing lost, repeats only from in-flight pushes`,
    async () => {
      recorder.reset();
      const started = Date.now();
      let crash: Promise<void> | undefined;
      let acceptedSoFar = 0;
      let atKill = { accepted: 0, arrived: 0 };
      const result = await burst(huzhou, 'kill-recipient', BURST, (n) => {
        acceptedSoFar = n;
        if (n === BURST / 2 && crash === undefined) {
          crash = (async () => {
            // Kill it while it is receiving and pushing: once a share of the burst has arrived.
            await waitFor(
              () => (recorder.counts.size >= BURST / 5 ? true : undefined),
              60_000,
              'pushes to Suzhou’s local system to start',
              5,
            );
            atKill = { accepted: acceptedSoFar, arrived: recorder.counts.size };
            await suzhou.kill();
            await sleep(500);
            await suzhou.start();
          })();
        }
      });
      await crash;
      expect(suzhou.starts, 'Suzhou was killed and restarted').toBe(2);
      const submittedIn = Date.now() - started;
      await settle([...result.accepted.values()], 120_000);
      console.log(
        `[crash: recipient killed] killed at ${atKill.accepted} accepted / ${atKill.arrived} arrived; ` +
          `burst submitted in ${submittedIn} ms, settled in ${Date.now() - started} ms`,
      );
      // Only pushes in flight at the kill may come again: at most one claimed batch of the push worker.
      await checkOutcome('recipient killed', result, PUSH_BATCH);
    },
    patient(150_000),
  );
});

describe('recovery', () => {
  it(
    'partner down for a while: messages wait (retrying, never dead), then all arrive after it is back',
    async () => {
      recorder.reset();
      const ended = await suzhou.stop();
      expect(ended, 'Suzhou shut down gracefully on SIGTERM').toEqual({ code: 0, signal: null });
      const count = 50;
      const ids: string[] = [];
      for (let i = 0; i < count; i += 10) {
        const answers = await Promise.all(
          Array.from({ length: 10 }, async (_, j) => {
            const res = await huzhou.submit(
              { to: '320500', domain: 'food-safety', type: 'notification', body: NOTIFICATION },
              { 'idempotency-key': `partner-down-${i + j}` },
            );
            expect(res.status).toBe(202);
            return ((await res.json()) as { id: string }).id;
          }),
        );
        ids.push(...answers);
      }
      // Down for a while: several attempts fail, the circuit opens and closes, nothing gives up.
      await sleep(4000);
      const waiting = await statuses(huzhou, ids);
      const states = [...waiting.values()].map((d) => d.deliveries[0]!);
      const byStatus: Record<string, number> = {};
      for (const d of states) byStatus[d.status] = (byStatus[d.status] ?? 0) + 1;
      const attempts = states.map((d) => d.attempts);
      console.log(
        `[recovery: partner down] after 4 s down: ${JSON.stringify(byStatus)}, ` +
          `attempts ${Math.min(...attempts)}–${Math.max(...attempts)}`,
      );
      expect(states.every((d) => ['queued', 'retry', 'sending'].includes(d.status))).toBe(true);
      // The circuit and the per-partner limit keep calls to a down partner few; what matters is that
      // some were attempted and nothing gave up.
      expect(
        Math.max(...attempts),
        'deliveries were attempted while the partner was down',
      ).toBeGreaterThanOrEqual(1);
      expect(recorder.arrivals).toEqual([]);

      const restarted = Date.now();
      await suzhou.start();
      const back = Date.now();
      await settle(ids, 60_000);
      console.log(
        `[recovery: partner down] Suzhou listening again after ${back - restarted} ms; all ${count} ` +
          `arrived and settled ${Date.now() - back} ms later`,
      );
      expect(new Set(recorder.arrivals)).toEqual(new Set(ids));
      expect(recorder.repeats).toBe(0);
      const after = await statuses(huzhou, ids);
      expect([...after.values()].every((d) => d.status === 'delivered')).toBe(true);
    },
    patient(90_000),
  );

  it(
    'retry budget exhausted: the message is dead; an administrator’s requeue delivers it',
    async () => {
      // A separate pair: Jiaxing gives up after 3 attempts; Wuxi's port is reserved but nothing listens.
      const wuxiRecorder = await startRecorder();
      try {
        const wuxiPort = await freePort();
        const [jiaxing, wuxi] = (await prepareNodes(
          [
            {
              id: '330400',
              name: '嘉兴市',
              province: 'zj',
              pushUrl: `${wuxiRecorder.url}?node=330400`,
              delivery: { maxAttempts: 3, circuitFailures: 1000 },
            },
            { id: '320200', name: '无锡市', province: 'js', pushUrl: wuxiRecorder.url },
          ],
          dir,
          { ports: { '320200': wuxiPort } },
        )) as [NodeProcess, NodeProcess];
        await jiaxing.start();
        const res = await jiaxing.submit(
          { to: '320200', domain: 'food-safety', type: 'notification', body: NOTIFICATION },
          { 'idempotency-key': 'budget-1' },
        );
        expect(res.status).toBe(202);
        const { id } = (await res.json()) as { id: string };

        type Doc = {
          status: string;
          deliveries: { status: string; attempts: number; lastError?: string }[];
          history: { event: string }[];
        };
        const doc = async () => (await (await jiaxing.status(id)).json()) as Doc;
        const dead = await waitFor(
          async () => {
            const d = await doc();
            return d.status === 'dead' ? d : undefined;
          },
          30_000,
          'the message to be dead',
        );
        expect(dead.deliveries[0]).toMatchObject({ status: 'dead', attempts: 3 });
        expect(dead.deliveries[0]!.lastError).toMatch(/retry budget/);
        expect(dead.history.map((h) => h.event).filter((e) => e === 'sending')).toHaveLength(3);
        expect(dead.history.map((h) => h.event)).toContain('dead');
        // Dead stays dead: no further attempt on its own.
        await sleep(1500);
        expect((await doc()).deliveries[0]).toMatchObject({ status: 'dead', attempts: 3 });

        // The partner comes back; the administrator requeues the message.
        await wuxi.start();
        const help = await execFileP(process.execPath, ['bin/yrdx.js', 'help'], { cwd: ROOT }).catch(
          (e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }),
        );
        if (help.stdout.includes('messages requeue')) {
          const out = await execFileP(
            process.execPath,
            ['bin/yrdx.js', 'messages', 'requeue', '--config', jiaxing.configFile, '--json', id],
            { cwd: ROOT },
          );
          console.log(`[recovery: retry budget] yrdx messages requeue: ${out.stdout.trim()}`);
          expect(JSON.parse(out.stdout)).toMatchObject({ messageId: id, requeued: ['320200'] });
        } else {
          // No administrator command yet: requeue through the store, as the command would.
          console.log(
            '[recovery: retry budget] no "yrdx messages requeue" command: requeued through the store',
          );
          await withStore(jiaxing, async (store) => {
            const view = await store.getOutbound(id);
            expect(await store.requeueDelivery(view!.deliveries[0]!.deliveryId, Date.now())).toBe(true);
          });
        }
        const delivered = await waitFor(
          async () => {
            const d = await doc();
            return d.status === 'delivered' ? d : undefined;
          },
          30_000,
          'the requeued message to be delivered',
        );
        const events = delivered.history.map((h) => h.event);
        expect(events.indexOf('requeued')).toBeGreaterThan(events.indexOf('dead'));
        expect(events.at(-1)).toBe('delivered');
        await waitFor(
          () => (wuxiRecorder.counts.get(id) === 1 ? true : undefined),
          30_000,
          'the push to Wuxi’s local system',
        );
        console.log(`[recovery: retry budget] events: ${events.join(' → ')}`);
        expect(wuxiRecorder.repeats).toBe(0);
        await Promise.all([jiaxing.kill(), wuxi.kill()]);
      } finally {
        await wuxiRecorder.close();
      }
    },
    patient(90_000),
  );
});
