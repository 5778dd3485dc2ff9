import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/helpers/free-port.js';
import { type Cluster, createDatabase, startCluster } from '../test/helpers/postgres.js';
import { CONCURRENCY, closedLoop, warmUp } from './harness/load.js';
import { DOCUMENT_BYTES, type Pair, preparePair, type YrdxNode } from './harness/pair.js';
import { checkBuilt } from './harness/processes.js';
import { type Recorder, startRecorder } from './harness/recorder.js';
import { cpuMeter, latency, perMessage, type Run, rate } from './harness/stats.js';
import type { Benchmark, BenchResult } from './runner.js';

/**
 * Scale-out on PostgreSQL, end to end: the same exchange as `exchange end-to-end` (Huzhou's case
 * system → Huzhou → Suzhou → Suzhou's case system, all child processes but the two case systems),
 * with Huzhou in three set-ups side by side in one run: one instance on SQLite, one instance on
 * PostgreSQL, and three instances sharing one PostgreSQL database (submissions spread round-robin
 * over them, as a load balancer would). Suzhou is one SQLite instance in each. The PostgreSQL server
 * is a throwaway cluster started here (as the tests start theirs), with fsync on.
 *
 * Closed loop, CONCURRENCY messages in the system; the set-ups run in interleaved rounds. The ratio
 * is three instances' throughput over one instance's, both on PostgreSQL.
 */

type Setup = 'sqlite' | 'pg1' | 'pg3';
const LABELS: Record<Setup, string> = {
  sqlite: 'SQLite, 1 instance',
  pg1: 'PostgreSQL, 1 instance',
  pg3: 'PostgreSQL, 3 instances',
};

interface Running {
  readonly pair: Pair;
  readonly huzhous: readonly YrdxNode[];
  submit(): Promise<string>;
  pids(): (number | undefined)[];
}

async function setUp(
  dir: string,
  recorder: Recorder,
  instances: number,
  databaseUrl?: string,
): Promise<Running> {
  const pair = await preparePair(
    dir,
    recorder,
    databaseUrl ? { huzhouEnv: { DATABASE_URL: databaseUrl } } : {},
  );
  const huzhous = [pair.huzhou];
  for (let i = 1; i < instances; i++) huzhous.push(pair.huzhouInstance(await freePort()));
  await Promise.all([pair.suzhou.start(), ...huzhous.map((h) => h.start())]);
  let turn = 0;
  return {
    pair,
    huzhous,
    submit: () => pair.submitVia(huzhous[turn++ % huzhous.length]!),
    pids: () => [...huzhous.map((h) => h.pid), pair.suzhou.pid],
  };
}

const scaleOut: Benchmark = {
  name: 'exchange end-to-end on PostgreSQL (1 and 3 instances, beside SQLite)',
  async run({ quick, progress }): Promise<BenchResult> {
    checkBuilt();
    const total = quick ? 600 : 2400;
    const rounds = quick ? 2 : 4;
    const perRound = total / rounds;
    const dir = mkdtempSync(join(tmpdir(), 'yrdx-bench-pg-'));
    const recorder = await startRecorder();
    const running: Partial<Record<Setup, Running>> = {};
    let cluster: Cluster | undefined;
    try {
      const load = loadavg()[0]!;
      progress('starting PostgreSQL');
      cluster = await startCluster('yrdx_bench', { durable: true });
      progress('starting the nodes');
      running.sqlite = await setUp(join(dir, 'sqlite'), recorder, 1);
      running.pg1 = await setUp(
        join(dir, 'pg1'),
        recorder,
        1,
        await createDatabase(cluster.url, 'yrdx_bench_1'),
      );
      running.pg3 = await setUp(
        join(dir, 'pg3'),
        recorder,
        3,
        await createDatabase(cluster.url, 'yrdx_bench_3'),
      );
      const setups = Object.keys(LABELS) as Setup[];
      for (const setup of setups) {
        progress(`warming up ${LABELS[setup]}`);
        await warmUp(running[setup]!.submit, recorder, quick);
      }
      const runs: Record<Setup, Run[]> = { sqlite: [], pg1: [], pg3: [] };
      const cpu: Record<Setup, number[]> = { sqlite: [], pg1: [], pg3: [] };
      const ratios: number[] = [];
      for (let round = 1; round <= rounds; round++) {
        // The order rotates, so that machine noise hits every set-up alike.
        const order = setups.map((_, i) => setups[(i + round) % setups.length]!);
        const elapsed: Partial<Record<Setup, number>> = {};
        for (const setup of order) {
          const r = running[setup]!;
          const meter = cpuMeter([...r.pids(), ...(setup === 'sqlite' ? [] : cluster.pids())]);
          const run = await closedLoop(r.submit, recorder, perRound, CONCURRENCY);
          const used = meter.stop();
          const processes = r.pids().length;
          // Huzhou instances, Suzhou, then the PostgreSQL server's processes summed, then this process.
          const server = used.slice(processes, -1).reduce((s, v) => s + (Number.isNaN(v) ? 0 : v), 0);
          const mine = [...used.slice(0, processes), ...(setup === 'sqlite' ? [] : [server]), used.at(-1)!];
          cpu[setup] = mine.map((v, i) => (cpu[setup][i] ?? 0) + v);
          runs[setup].push(run);
          elapsed[setup] = run.elapsedMs;
        }
        ratios.push(elapsed.pg1! / elapsed.pg3!);
        progress(
          `round ${round}/${rounds}: ${setups.map((s) => `${s} ${rate(runs[s].slice(-1)).toFixed(0)}`).join(', ')} msg/s`,
        );
      }
      ratios.sort((a, b) => a - b);
      const mid = ratios.length >> 1;
      const median = ratios.length % 2 === 1 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
      const names = (setup: Setup) => [
        ...running[setup]!.huzhous.map((_, i) =>
          running[setup]!.huzhous.length > 1 ? `Huzhou#${i + 1}` : 'Huzhou',
        ),
        'Suzhou',
        ...(setup === 'sqlite' ? [] : ['PostgreSQL']),
      ];
      return {
        name: this.name,
        figures: setups.map((s) => ({ label: `yrdx msg/s, ${LABELS[s]}`, opsPerSecond: rate(runs[s]) })),
        ratio: median,
        ratioRange: [ratios[0]!, ratios[ratios.length - 1]!],
        notes: [
          `ratio: 3 instances on PostgreSQL over 1 instance on PostgreSQL (PostgreSQL 1 instance over SQLite: ` +
            `${(rate(runs.pg1) / rate(runs.sqlite)).toFixed(2)}); Huzhou as set up, Suzhou one SQLite instance; ` +
            `${total} messages per set-up in ${rounds} interleaved rounds, ${CONCURRENCY} in flight, ` +
            `${DOCUMENT_BYTES}-byte zj document → js; a throwaway PostgreSQL cluster in ${tmpdir()} (fsync on); ` +
            `every process on the same machine (load average ${load.toFixed(1)} when started), so three ` +
            `instances share its cores with Suzhou, PostgreSQL and this process`,
          ...setups.map((s) => `CPU per message, ${LABELS[s]}: ${perMessage(names(s), cpu[s], total)}`),
          ...setups.map((s) => `latency, ${LABELS[s]}: ${latency(runs[s])}`),
        ].join('\n  '),
      };
    } finally {
      progress('stopping');
      for (const r of Object.values(running)) {
        await Promise.all([r.pair.suzhou.stop(), ...r.huzhous.map((h) => h.stop())]).catch(() => undefined);
      }
      await recorder.close();
      await cluster?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export const postgresBenchmarks: Benchmark[] = [scaleOut];
