import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { postgresUrl } from '../helpers/pg-suite.js';
import { createDatabase } from '../helpers/postgres.js';
import { count, describeWorkers, killHoldingLeases, leaseReport } from '../helpers/scale-out.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Scale-out on PostgreSQL with real processes: three instances of Huzhou (330500) share one
 * PostgreSQL database (same configuration, keys and DATABASE_URL, each on its own port) and send a
 * burst of food-safety notifications, submitted across the three, to Suzhou (320500, SQLite), whose
 * case system is a recording server in this test process. One Huzhou instance is SIGKILLed while it
 * holds leases; the other two take its deliveries over once the leases expire. Checked from the
 * store's claim log: no delivery was ever held by two instances at once.
 */

const BURST = 5000;
const CONCURRENCY = 32;
const LEASE_MS = 3000;
const NOTIFICATION = JSON.parse(
  readFileSync(join(ROOT, 'contracts/food-safety/2.0.0/dialects/zj/examples/notification.json'), 'utf8'),
) as Record<string, unknown>;

const dir = tempDir('yrdx-scale-out-');
let recorder: Recorder;
let instances: NodeProcess[];
let suzhou: NodeProcess;
let url: string;
let db: pg.Client;

beforeAll(async () => {
  url = await createDatabase(postgresUrl(), `yrdx_scale_out_${process.pid}`);
  recorder = await startRecorder();
  const [huzhou, partner] = (await prepareNodes(
    [
      {
        id: '330500',
        name: '湖州市',
        province: 'zj',
        pushUrl: `${recorder.url}?node=330500`,
        delivery: { leaseMs: LEASE_MS, timeoutMs: 1500, perPartnerConcurrency: 16, circuitFailures: 1000 },
      },
      { id: '320500', name: '苏州市', province: 'js', algorithm: 'EdDSA', pushUrl: recorder.url },
    ],
    dir,
  )) as [NodeProcess, NodeProcess];
  suzhou = partner;
  instances = [huzhou.instance(huzhou.port, { DATABASE_URL: url })];
  for (let i = 1; i < 3; i++) instances.push(huzhou.instance(await freePort(), { DATABASE_URL: url }));
  // All at once: the migrations run once, under PostgreSQL's advisory lock.
  await Promise.all([suzhou.start(), ...instances.map((n) => n.start())]);
  db = new pg.Client({ connectionString: url });
  await db.connect();
}, patient(90_000));

afterAll(async () => {
  await killAllNodes();
  await db?.end();
  await recorder?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('scale-out: three instances of one node on one PostgreSQL database', () => {
  it(
    `delivers a ${BURST}-message burst exactly once to the local system with one instance SIGKILLed midway`,
    async () => {
      const started = Date.now();
      const accepted = new Map<string, string>();
      const resubmitted = new Set<string>();
      let replayedElsewhere = 0;
      let victim: { node: NodeProcess; worker: string; heldAtKill: string[] } | undefined;
      let killing: Promise<void> | undefined;
      let next = 0;
      let turn = 0;

      const kill = async () => {
        const node = instances[1]!;
        victim = { node, ...(await killHoldingLeases(db, node, 'delivery')) };
      };

      const lane = async () => {
        for (let i = next++; i < BURST; i = next++) {
          const key = `scale-out-${String(i).padStart(5, '0')}`;
          for (let attempt = 0; ; attempt++) {
            const live = instances.filter((n) => n.running);
            const node = live[turn++ % live.length]!;
            let res: Response;
            try {
              res = await node.submit(
                { to: '320500', domain: 'food-safety', type: 'notification', body: NOTIFICATION },
                { 'idempotency-key': key },
              );
            } catch (error) {
              // That instance died: the same request, same key, to another one (as a load balancer would).
              resubmitted.add(key);
              if (attempt > 20) throw new Error(`submission ${key} kept failing: ${String(error)}`);
              await sleep(20);
              continue;
            }
            const text = await res.text();
            if (res.status !== 202) throw new Error(`submission ${key}: HTTP ${res.status} ${text}`);
            const answer = JSON.parse(text) as { id: string; replayed: boolean };
            if (answer.replayed) {
              if (!resubmitted.has(key))
                throw new Error(`submission ${key} answered as replayed the first time`);
              replayedElsewhere++;
            }
            accepted.set(key, answer.id);
            if (accepted.size === BURST / 2 && killing === undefined) killing = kill();
            break;
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, lane));
      await killing;
      const submittedIn = Date.now() - started;
      expect(victim, 'an instance was killed').toBeDefined();
      const dead = victim!;
      expect(dead.node.running).toBe(false);

      const ids = [...accepted.values()];
      expect(new Set(ids).size, 'one distinct id per Idempotency-Key').toBe(BURST);
      await waitFor(
        () => (ids.every((id) => recorder.counts.has(id)) ? true : undefined),
        180_000,
        `all ${BURST} messages at Suzhou's local system`,
        250,
      );
      // Every delivery settled in the shared store (none left queued, retrying or leased).
      await waitFor(
        async () =>
          (await count(db, `SELECT count(*) AS n FROM deliveries WHERE status <> 'delivered'`)) === 0
            ? true
            : undefined,
        60_000,
        'every delivery delivered in the store',
        250,
      );
      // And Suzhou has no push pending, so late repeats would be counted too.
      const partner = sqliteStore(suzhou.dbPath);
      try {
        await waitFor(
          async () => {
            for (const id of ids) {
              const inbound = await partner.getInbound('330500', id);
              if (inbound === undefined || inbound.localDeliveries.some((d) => d.status !== 'delivered'))
                return undefined;
            }
            return true;
          },
          60_000,
          'no local push pending at Suzhou',
          500,
        );
      } finally {
        await partner.close();
      }
      const settledIn = Date.now() - started;

      // --- what the store says -------------------------------------------------------------------
      const report = await leaseReport(db, url, 'delivery', dead.worker);
      const { overlapping, takenOver, chain } = report;
      const resent = await count(db, `SELECT count(*) AS n FROM deliveries WHERE attempts > 1`);

      const missing = ids.filter((id) => !recorder.counts.has(id));
      const unexpected = [...recorder.counts.keys()].filter((id) => !accepted.has(id) && !ids.includes(id));
      console.log(
        `[scale-out] ${BURST} accepted by 3 instances (resubmitted to another instance after the kill ` +
          `${resubmitted.size}, of which already stored ${replayedElsewhere}); submitted in ${submittedIn} ms, ` +
          `settled in ${settledIn} ms; claims per worker ${describeWorkers(report, dead.worker)}; ` +
          `deliveries leased by the killed instance when it died (in flight) ${dead.heldAtKill.length}, taken over ` +
          `and delivered by the others after the lease expired ${takenOver}; deliveries sent more than once ` +
          `${resent}; at the local system ${BURST - missing.length} distinct, ${recorder.arrivals.length} raw pushes, ` +
          `repeats ${recorder.repeats} (bound: pushes in flight at the kill, 0: the killed instance pushes ` +
          `nothing to this local system, and the recipient answers a re-sent message with its stored receipt); ` +
          `overlapping leases ${overlapping}; audit chain ${chain.ok ? `unbroken (${chain.checked} entries)` : 'BROKEN'}`,
      );

      expect(missing, 'accepted messages that never reached the local system').toEqual([]);
      expect(unexpected, 'messages at the local system that were never accepted').toEqual([]);
      expect(recorder.repeats, 'repeats at the local system').toBe(0);
      expect(overlapping, 'deliveries held by two leases at once').toBe(0);
      expect(report.perWorker.length, 'every instance claimed deliveries').toBe(3);
      expect(dead.heldAtKill.length, 'the killed instance held leases').toBeGreaterThan(0);
      expect(takenOver, 'the killed instance’s leases taken over and delivered').toBe(dead.heldAtKill.length);
      expect(chain.ok, 'one unbroken audit chain').toBe(true);
      expect(await count(db, `SELECT count(*) AS n FROM outbound_messages`)).toBe(BURST);
    },
    patient(300_000),
  );
});
