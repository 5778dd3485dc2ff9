import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import { request } from 'undici';
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
 * Scale-out on the receiving side: three instances of Suzhou (320500) share one PostgreSQL database
 * behind a small round-robin balancer (this process), which is Huzhou's address for Suzhou. Huzhou
 * (330500, one process, SQLite) delivers a burst to them; whichever instance receives a message
 * stores it once, answers with its receipt, and the three push to Suzhou's case system (a
 * recording server here). One Suzhou instance is SIGKILLed while it holds local-push leases; the
 * others take them over once they expire. The case system may see again only the pushes that were
 * in flight at the kill (same message id, so it can drop them); the claim log shows no push held
 * by two instances at once.
 */

const BURST = 2000;
const CONCURRENCY = 32;
const LEASE_MS = 3000;
const NOTIFICATION = JSON.parse(
  readFileSync(join(ROOT, 'contracts/food-safety/2.0.0/dialects/zj/examples/notification.json'), 'utf8'),
) as Record<string, unknown>;

/**
 * A round-robin HTTP balancer over the running instances. A call whose connection fails is sent to
 * the next instance, as a load balancer does: the inbox answers a re-sent message with the receipt
 * it stored.
 */
interface Balancer {
  readonly url: string;
  backends: NodeProcess[];
  close(): Promise<void>;
}

async function startBalancer(): Promise<Balancer> {
  let turn = 0;
  const balancer: Balancer = {
    url: '',
    backends: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const headers = { ...req.headers };
      delete headers.host;
      delete headers.connection;
      for (let attempt = 0; attempt < 6; attempt++) {
        const live = balancer.backends.filter((n) => n.running);
        const target = live[turn++ % Math.max(1, live.length)];
        if (target === undefined) break;
        try {
          const answer = await request(`${target.url}${req.url}`, {
            method: req.method as 'POST',
            headers,
            body,
            signal: AbortSignal.timeout(5000),
          });
          const bytes = Buffer.from(await answer.body.arrayBuffer());
          const out: Record<string, string> = {};
          for (const [name, value] of Object.entries(answer.headers))
            if (typeof value === 'string' && name !== 'connection' && name !== 'keep-alive')
              out[name] = value;
          res.writeHead(answer.statusCode, out).end(bytes);
          return;
        } catch {
          // That instance is gone: the next one.
        }
      }
      res.writeHead(502).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return Object.assign(balancer, { url: `http://127.0.0.1:${address.port}` });
}

const dir = tempDir('yrdx-scale-out-recipient-');
let recorder: Recorder;
let balancer: Balancer;
let huzhou: NodeProcess;
let instances: NodeProcess[];
let url: string;
let db: pg.Client;

beforeAll(async () => {
  url = await createDatabase(postgresUrl(), `yrdx_scale_out_in_${process.pid}`);
  recorder = await startRecorder();
  balancer = await startBalancer();
  const [sender, suzhou] = (await prepareNodes(
    [
      {
        id: '330500',
        name: '湖州市',
        province: 'zj',
        pushUrl: `${recorder.url}?node=330500`,
        delivery: { perPartnerConcurrency: 16, circuitFailures: 1000 },
        partnerUrls: { '320500': balancer.url },
      },
      {
        id: '320500',
        name: '苏州市',
        province: 'js',
        algorithm: 'EdDSA',
        pushUrl: recorder.url,
        delivery: { leaseMs: LEASE_MS, timeoutMs: 1500, perPartnerConcurrency: 16, circuitFailures: 1000 },
      },
    ],
    dir,
  )) as [NodeProcess, NodeProcess];
  huzhou = sender;
  instances = [suzhou.instance(suzhou.port, { DATABASE_URL: url })];
  for (let i = 1; i < 3; i++) instances.push(suzhou.instance(await freePort(), { DATABASE_URL: url }));
  balancer.backends = instances;
  await Promise.all([huzhou.start(), ...instances.map((n) => n.start())]);
  db = new pg.Client({ connectionString: url });
  await db.connect();
}, patient(90_000));

afterAll(async () => {
  await killAllNodes();
  await db?.end();
  await balancer?.close();
  await recorder?.close();
});

describe('scale-out on the receiving side: three instances of one node on one PostgreSQL database', () => {
  it(
    `pushes a ${BURST}-message burst to the local system with one receiving instance SIGKILLed midway`,
    async () => {
      const started = Date.now();
      const ids: string[] = [];
      let victim: { worker: string; heldAtKill: string[] } | undefined;
      let killing: Promise<void> | undefined;
      let next = 0;

      const kill = async () => {
        victim = await killHoldingLeases(db, instances[1]!, 'local-push');
      };

      const lane = async () => {
        for (let i = next++; i < BURST; i = next++) {
          const res = await huzhou.submit({
            to: '320500',
            domain: 'food-safety',
            type: 'notification',
            body: NOTIFICATION,
          });
          const text = await res.text();
          if (res.status !== 202) throw new Error(`submission ${i}: HTTP ${res.status} ${text}`);
          ids.push((JSON.parse(text) as { id: string }).id);
          // Once half the burst has reached the case system, the receiving side is busy pushing.
          if (recorder.counts.size >= BURST / 2 && killing === undefined) killing = kill();
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, lane));
      killing ??= waitFor(() => (recorder.counts.size >= BURST / 2 ? true : undefined), 60_000, 'half').then(
        kill,
      );
      await killing;
      expect(victim, 'a receiving instance was killed').toBeDefined();
      const dead = victim!;

      await waitFor(
        () => (ids.every((id) => recorder.counts.has(id)) ? true : undefined),
        180_000,
        `all ${BURST} messages at Suzhou's local system`,
        250,
      );
      await waitFor(
        async () =>
          (await count(db, `SELECT count(*) AS n FROM local_deliveries WHERE status <> 'delivered'`)) === 0
            ? true
            : undefined,
        60_000,
        'every local push delivered in the store',
        250,
      );
      const settledIn = Date.now() - started;

      // Huzhou holds a receipt for every message (whichever instance received it).
      const sender = sqliteStore(huzhou.dbPath);
      let undelivered = 0;
      try {
        for (const id of ids)
          if ((await sender.getOutbound(id))?.deliveries[0]?.status !== 'delivered') undelivered++;
      } finally {
        await sender.close();
      }
      const report = await leaseReport(db, url, 'local-push', dead.worker);
      const { overlapping, takenOver, chain } = report;
      const stored = await count(db, `SELECT count(*) AS n FROM inbound_messages`);
      const missing = ids.filter((id) => !recorder.counts.has(id));
      console.log(
        `[scale-out-recipient] ${BURST} sent by Huzhou to 3 Suzhou instances behind a balancer; settled in ` +
          `${settledIn} ms; inbound messages stored ${stored}; local-push claims per worker ` +
          `${describeWorkers(report, dead.worker)}; ` +
          `pushes leased by the killed instance when it died (in flight) ${dead.heldAtKill.length}, taken over and ` +
          `delivered by the others ${takenOver}; at the local system ${BURST - missing.length} distinct, ` +
          `${recorder.arrivals.length} raw pushes, repeats ${recorder.repeats} (bound: the pushes in flight at ` +
          `the kill); overlapping leases ${overlapping}; audit chain ${chain.ok ? `unbroken (${chain.checked} entries)` : 'BROKEN'}`,
      );

      expect(missing, 'messages that never reached the local system').toEqual([]);
      expect(undelivered, 'messages Huzhou holds no receipt for').toBe(0);
      expect(stored, 'each message stored once in the shared store').toBe(BURST);
      expect(recorder.repeats, 'repeats at the local system').toBeLessThanOrEqual(dead.heldAtKill.length);
      // A repeat is a push that was in flight at the kill, sent again (once) by the instance that took it over.
      const inFlight = new Set(
        (
          await db.query<{ jti: string }>(
            'SELECT jti FROM local_deliveries WHERE local_delivery_id = ANY ($1)',
            [dead.heldAtKill],
          )
        ).rows.map((r) => r.jti),
      );
      for (const [id, n] of recorder.repeated()) {
        expect(inFlight.has(id), `repeated push of ${id} was in flight at the kill`).toBe(true);
        expect(n).toBe(2);
      }
      expect(overlapping, 'local pushes held by two leases at once').toBe(0);
      expect(report.perWorker.length, 'every instance pushed').toBe(3);
      expect(takenOver, 'the killed instance’s leases taken over and delivered').toBe(dead.heldAtKill.length);
      expect(chain.ok, 'one unbroken audit chain').toBe(true);
    },
    patient(300_000),
  );
});
