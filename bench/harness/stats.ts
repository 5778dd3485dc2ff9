// What the exchange benchmarks compute from their runs: rates, latency quantiles, CPU per message.
import { readFileSync } from 'node:fs';

export interface Run {
  readonly messages: number;
  readonly elapsedMs: number;
  /** Per message, POST → arrival at the local system, in ms. */
  readonly latencies: number[];
}

export const rate = (runs: readonly Run[]) =>
  (runs.reduce((s, r) => s + r.messages, 0) / runs.reduce((s, r) => s + r.elapsedMs, 0)) * 1000;

/** The q-quantile (nearest rank) of the latencies of all `runs`. */
export function quantile(runs: readonly Run[], q: number): number {
  const all = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return all[Math.min(all.length - 1, Math.max(0, Math.ceil(q * all.length) - 1))] ?? Number.NaN;
}

/** CPU time (user + system, ms) process `pid` has used so far, from /proc (Linux); NaN elsewhere. */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in ticks of 10 ms
  } catch {
    return Number.NaN;
  }
}

/** Starts counting the CPU time of the processes `pids` and of this one; `stop()` gives each one's ms. */
export function cpuMeter(pids: readonly (number | undefined)[]): { stop(): number[] } {
  const before = pids.map(cpuMs);
  const self = process.cpuUsage();
  return {
    stop() {
      const used = process.cpuUsage(self);
      return [...pids.map((pid, i) => cpuMs(pid) - before[i]!), (used.user + used.system) / 1000];
    },
  };
}

/** "Huzhou 2.1 + Suzhou 1.9 ms (+ 0.8 ms in this process)": CPU ms per message of each process. */
export function perMessage(names: readonly string[], totals: readonly number[], messages: number): string {
  const each = totals.map((t) => (Number.isNaN(t) ? 'n/a' : (t / messages).toFixed(2)));
  return `${names.map((n, i) => `${n} ${each[i]}`).join(' + ')} ms (+ ${each[names.length]} ms in this process)`;
}

export const ms = (v: number) => (v < 10 ? v.toFixed(1) : v.toFixed(0));
export const latency = (runs: readonly Run[]) =>
  `p50 ${ms(quantile(runs, 0.5))} / p99 ${ms(quantile(runs, 0.99))} ms`;
