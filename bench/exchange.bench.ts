import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillStores, megabytes } from './harness/fill.js';
import { CONCURRENCY, closedLoop, openLoop, warmUp } from './harness/load.js';
import { DELIVERY, DOCUMENT_BYTES, preparePair } from './harness/pair.js';
import { checkBuilt } from './harness/processes.js';
import { startRecorder } from './harness/recorder.js';
import { startRelay } from './harness/relay.js';
import { cpuMeter, latency, ms, perMessage, quantile, type Run, rate } from './harness/stats.js';
import type { Benchmark, BenchResult } from './runner.js';

/**
 * The end-to-end exchange: Huzhou (330500, 浙江 dialect) and Suzhou (320500, 江苏 dialect) run as two
 * real yrdx nodes, each a child process (`node dist/src/runtime/node.js`, so `npm run build` first)
 * with its own SQLite file in a fresh temp directory. Huzhou's case system (this process) posts a
 * ~2 KB food-safety notification in the zj dialect to Huzhou's /v1/messages; Huzhou translates,
 * seals, stores and delivers it to Suzhou's /v1/inbox; Suzhou verifies, translates to js, stores and
 * pushes it to its case system, a small HTTP server in this process that notes the arrival time of
 * every X-Yrdx-Message-Id. A message's latency runs from the POST to that arrival.
 *
 * Throughput is closed-loop: CONCURRENCY messages are in the system at any time (a sender posts the
 * next one when its previous one has arrived). Latency is also measured open-loop at half the
 * measured throughput. The baseline is a bare relay measured in the same run: the same HTTP hops
 * (local → gateway A → gateway B → local system) by two minimal node:http processes that answer and
 * forward the same bytes at once with undici's request (the client yrdx uses on Node), without sealing, translation or
 * persistence.
 *
 * The harness is bench/harness/: child processes, the recording case system, the two nodes (pair),
 * the relay (relay.mjs run by relay.ts), load generation, statistics, and filling a store.
 *
 * `BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` passes Node flags to the two yrdx processes
 * only (e.g. to profile them; the profiles are written when they stop).
 */

const TARGET_RATE = 1000;
const TARGET_P99_MS = 100;

const endToEnd: Benchmark = {
  name: 'exchange end-to-end (2 nodes, SQLite)',
  async run({ quick, progress }): Promise<BenchResult> {
    checkBuilt();
    const total = quick ? 500 : 2000;
    const rounds = quick ? 2 : 4;
    const perRound = total / rounds;
    const openSeconds = quick ? 2 : 6;
    const dir = mkdtempSync(join(tmpdir(), 'yrdx-bench-'));
    const recorder = await startRecorder();
    const stops: (() => Promise<void>)[] = [];
    try {
      const load = loadavg()[0]!;
      progress('starting the nodes and the relay');
      const pair = await preparePair(dir, recorder);
      stops.push(() => pair.stop());
      const bare = await startRelay(recorder, false);
      stops.push(() => bare.stop());
      const signing = await startRelay(recorder, true);
      stops.push(() => signing.stop());
      await Promise.all([pair.huzhou.start(), pair.suzhou.start()]);

      progress('warming up');
      await warmUp(pair.submit, recorder, quick);
      await warmUp(bare.submit, recorder, quick);
      await warmUp(signing.submit, recorder, quick);

      // Closed loop, interleaved rounds: the order alternates so that machine noise hits both alike.
      const sides = {
        yrdx: { submit: pair.submit, pids: [pair.huzhou.pid, pair.suzhou.pid] },
        relay: { submit: bare.submit, pids: [bare.a.child.process.pid, bare.b.child.process.pid] },
        signing: { submit: signing.submit, pids: [signing.a.child.process.pid, signing.b.child.process.pid] },
      };
      type Side = keyof typeof sides;
      const runsOf: Record<Side, Run[]> = { yrdx: [], relay: [], signing: [] };
      const ratios: number[] = [];
      const cpu: Record<Side, number[]> = { yrdx: [0, 0, 0], relay: [0, 0, 0], signing: [0, 0, 0] };
      for (let round = 1; round <= rounds; round++) {
        const order: Side[] = round % 2 === 0 ? ['yrdx', 'signing', 'relay'] : ['relay', 'signing', 'yrdx'];
        const runs: Partial<Record<Side, Run>> = {};
        for (const side of order) {
          const meter = cpuMeter(sides[side].pids);
          runs[side] = await closedLoop(sides[side].submit, recorder, perRound, CONCURRENCY);
          for (const [i, used] of meter.stop().entries()) cpu[side][i]! += used;
          runsOf[side].push(runs[side]);
        }
        ratios.push(runs.relay!.elapsedMs / runs.yrdx!.elapsedMs);
        progress(`round ${round}/${rounds}: yrdx ${rate([runs.yrdx!]).toFixed(0)} msg/s`);
      }
      const { yrdx: yrdxRuns, relay: relayRuns, signing: signingRuns } = runsOf;
      ratios.sort((a, b) => a - b);
      const mid = ratios.length >> 1;
      const median = ratios.length % 2 === 1 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
      const yrdxRate = rate(yrdxRuns);

      // Open loop at half the measured throughput, both sides at the same rate.
      const half = yrdxRate / 2;
      const count = Math.max(50, Math.round(half * openSeconds));
      progress(`yrdx at ${half.toFixed(0)} msg/s`);
      const yrdxOpen = await openLoop(pair.submit, recorder, half, count);
      progress(`relay at ${half.toFixed(0)} msg/s`);
      const relayOpen = await openLoop(bare.submit, recorder, half, count);

      const p99 = quantile([yrdxOpen], 0.99);
      const rateMet = yrdxRate >= TARGET_RATE;
      const p99Met = p99 < TARGET_P99_MS;
      return {
        name: this.name,
        figures: [
          { label: `yrdx messages/s, ${CONCURRENCY} in flight`, opsPerSecond: yrdxRate },
          { label: `bare relay messages/s, ${CONCURRENCY} in flight`, opsPerSecond: rate(relayRuns) },
          { label: `signing relay messages/s, ${CONCURRENCY} in flight`, opsPerSecond: rate(signingRuns) },
        ],
        ratio: median,
        ratioRange: [ratios[0]!, ratios[ratios.length - 1]!],
        notes: [
          `2 yrdx child processes (node dist/src/runtime/node.js, LOG_LEVEL=warn), SQLite in ${tmpdir()}; ` +
            `food-safety notification, ${DOCUMENT_BYTES}-byte zj document → js; ${total} messages in ` +
            `${rounds} interleaved rounds after ${quick ? 100 : 500} warm-up; perPartnerConcurrency ` +
            `${DELIVERY.perPartnerConcurrency}; the relay: 2 node:http processes forwarding with undici request; ` +
            `the signing relay: the same with only the four signature operations per message (ES256 sign + verify, ` +
            `EdDSA receipt sign + verify, node:crypto), the ceiling of any gateway that signs messages and receipts; ` +
            `load average ${load.toFixed(1)} when started`,
          `CPU per message at ${CONCURRENCY} in flight: yrdx ${perMessage(['Huzhou', 'Suzhou'], cpu.yrdx, total)}; ` +
            `relay ${perMessage(['A', 'B'], cpu.relay, total)}; signing relay ${perMessage(['A', 'B'], cpu.signing, total)}`,
          `latency at ${CONCURRENCY} in flight: yrdx ${latency(yrdxRuns)}, relay ${latency(relayRuns)}, ` +
            `signing relay ${latency(signingRuns)}`,
          `latency at half the yrdx rate (${yrdxOpen.offered.toFixed(0)} msg/s offered, ${count} messages): ` +
            `yrdx ${latency([yrdxOpen])}, relay ${latency([relayOpen])}`,
          `target ≥ ${TARGET_RATE} msg/s end to end: ${rateMet ? 'met' : 'NOT met'} (${yrdxRate.toFixed(0)}); ` +
            `target p99 < ${TARGET_P99_MS} ms at half rate: ${p99Met ? 'met' : 'NOT met'} (${ms(p99)} ms)`,
        ].join('\n  '),
      };
    } finally {
      progress('stopping');
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      await recorder.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

const filledStore: Benchmark = {
  name: 'exchange with 10⁵ messages stored',
  async run({ quick, progress }): Promise<BenchResult> {
    checkBuilt();
    const total = quick ? 500 : 2000;
    const stored = quick ? 10_000 : 100_000;
    const openSeconds = quick ? 2 : 4;
    const dir = mkdtempSync(join(tmpdir(), 'yrdx-bench-'));
    const recorder = await startRecorder();
    const pair = await preparePair(dir, recorder);
    try {
      const load = loadavg()[0]!;
      progress('starting the nodes');
      await Promise.all([pair.huzhou.start(), pair.suzhou.start()]);
      progress('warming up, empty stores');
      await warmUp(pair.submit, recorder, quick);
      progress('measuring, empty stores');
      let meter = cpuMeter([pair.huzhou.pid, pair.suzhou.pid]);
      const empty = await closedLoop(pair.submit, recorder, total, CONCURRENCY);
      const emptyCpu = meter.stop();
      const half = rate([empty]) / 2;
      const count = Math.max(50, Math.round(half * openSeconds));
      const emptyOpen = await openLoop(pair.submit, recorder, half, count);

      await pair.stop();
      const fillStarted = performance.now();
      fillStores(pair, stored, progress);
      const fillSeconds = (performance.now() - fillStarted) / 1000;
      const sizes = `Huzhou ${megabytes(pair.huzhou.dbPath)} MB, Suzhou ${megabytes(pair.suzhou.dbPath)} MB`;

      progress('starting the nodes on the filled stores');
      await Promise.all([pair.huzhou.start(), pair.suzhou.start()]);
      progress('warming up, filled stores');
      await warmUp(pair.submit, recorder, quick);
      progress('measuring, filled stores');
      meter = cpuMeter([pair.huzhou.pid, pair.suzhou.pid]);
      const filled = await closedLoop(pair.submit, recorder, total, CONCURRENCY);
      const filledCpu = meter.stop();
      const filledOpen = await openLoop(pair.submit, recorder, half, count);

      const n = stored.toLocaleString('en');
      return {
        name: this.name,
        figures: [
          { label: 'yrdx messages/s, empty stores', opsPerSecond: rate([empty]) },
          { label: `yrdx messages/s, ${n} stored`, opsPerSecond: rate([filled]) },
        ],
        ratio: rate([filled]) / rate([empty]),
        notes: [
          `${n} delivered messages${quick ? ' (--quick: 10⁴, not 10⁵)' : ''} stored in both nodes ` +
            `(Huzhou's outbox, Suzhou's inbox, by SQL, ${fillSeconds.toFixed(0)} s; ${sizes}), then the ` +
            `nodes restarted; ${total} messages, ${CONCURRENCY} in flight, same nodes, document and settings; ` +
            `load average ${load.toFixed(1)} when started`,
          `latency at ${CONCURRENCY} in flight: empty ${latency([empty])}, filled ${latency([filled])}`,
          `CPU per message at ${CONCURRENCY} in flight: empty ${perMessage(['Huzhou', 'Suzhou'], emptyCpu, total)}; ` +
            `filled ${perMessage(['Huzhou', 'Suzhou'], filledCpu, total)}`,
          `latency at ${emptyOpen.offered.toFixed(0)} msg/s (half the empty rate), ${count} messages: ` +
            `empty ${latency([emptyOpen])}, filled ${latency([filledOpen])}`,
        ].join('\n  '),
      };
    } finally {
      progress('stopping');
      await pair.stop().catch(() => undefined);
      await recorder.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export const exchangeBenchmarks: Benchmark[] = [endToEnd, filledStore];
