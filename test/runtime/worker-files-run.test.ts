import { describe, expect, it } from 'vitest';
import type { FilesWorker } from '../../src/exchange/files/fetch-worker.js';
import type { WorkerState } from '../../src/runtime/worker/boot.js';
import { runFiles } from '../../src/runtime/worker/scheduled.js';

/**
 * The Worker's case-file runs (src/runtime/worker/scheduled.ts `runFiles`) against a files worker
 * whose transfers take as long as a test says: claimed, waited for, stopped at the deadline (so that
 * the bytes so far are kept and the next run resumes), one run at a time per isolate.
 */
interface Job {
  readonly name: string;
  /** How long the transfer takes, in ms. */
  readonly ms: number;
}

function fakeFiles(jobs: Job[], events: string[]): FilesWorker {
  const running = new Map<string, { done: Promise<void>; stop: () => void }>();
  return {
    get inFlight() {
      return running.size;
    },
    async runOnce() {
      const claimed = jobs.splice(0, 2 - running.size);
      for (const job of claimed) {
        events.push(`start ${job.name}`);
        let stop: () => void = () => undefined;
        const done = new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            events.push(`done ${job.name}`);
            resolve();
          }, job.ms);
          stop = () => {
            clearTimeout(timer);
            events.push(`stopped ${job.name}`);
            // Kept for the next run, as the real worker records it due again at once.
            jobs.push({ name: `${job.name}'`, ms: 0 });
            resolve();
          };
        }).finally(() => running.delete(job.name));
        running.set(job.name, { done, stop });
      }
      return claimed.length;
    },
    async stop() {
      for (const r of running.values()) r.stop();
      await Promise.all([...running.values()].map((r) => r.done));
    },
    async settled() {
      await Promise.all([...running.values()].map((r) => r.done));
    },
  };
}

function stateWith(files: FilesWorker | undefined, logs: string[], filesBudgetMs?: number): WorkerState {
  return {
    workers: files === undefined ? {} : { files },
    log: (_level: string, msg: string) => logs.push(msg),
    ...(filesBudgetMs === undefined ? {} : { filesBudgetMs }),
  } as unknown as WorkerState;
}

describe('case-file runs in a Worker invocation', () => {
  it('claims, waits for the transfers, claims again until none is left', async () => {
    const events: string[] = [];
    const logs: string[] = [];
    const jobs = [
      { name: 'a', ms: 5 },
      { name: 'b', ms: 10 },
      { name: 'c', ms: 5 },
    ];
    const started = await runFiles(stateWith(fakeFiles(jobs, events), logs), { deadline: Date.now() + 5000 });
    expect(started).toBe(3);
    expect(events).toEqual(['start a', 'start b', 'done a', 'done b', 'start c', 'done c']);
    expect(logs).toEqual([]);
  });

  it('stops the transfers still running at the deadline, keeping them for the next run', async () => {
    const events: string[] = [];
    const logs: string[] = [];
    const jobs = [
      { name: 'a', ms: 5 },
      { name: 'big', ms: 60_000 },
    ];
    const files = fakeFiles(jobs, events);
    await runFiles(stateWith(files, logs), { deadline: Date.now() + 100 });
    expect(events).toEqual(['start a', 'start big', 'done a', 'stopped big']);
    expect(logs).toEqual(['case file transfers paused until the next run']);
    expect(files.inFlight).toBe(0);
    // The next run resumes it.
    await runFiles(stateWith(files, logs), { deadline: Date.now() + 1000 });
    expect(events.slice(4)).toEqual(["start big'", "done big'"]);
  });

  it('caps the deadline with FILES_BUDGET_MS', async () => {
    const events: string[] = [];
    const logs: string[] = [];
    const files = fakeFiles([{ name: 'big', ms: 60_000 }], events);
    const t0 = Date.now();
    await runFiles(stateWith(files, logs, 50), { deadline: t0 + 60_000 });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(events).toEqual(['start big', 'stopped big']);
  });

  it('runs one at a time per isolate: a run asked for meanwhile never stops the other’s transfers', async () => {
    const events: string[] = [];
    const logs: string[] = [];
    const jobs = [{ name: 'a', ms: 150 }];
    const files = fakeFiles(jobs, events);
    const state = stateWith(files, logs);
    const first = runFiles(state, { deadline: Date.now() + 5000 });
    await new Promise((r) => setTimeout(r, 10));
    // Its deadline passes while it waits its turn: it claims nothing, and stops nothing.
    const short = runFiles(state, { deadline: Date.now() + 30 });
    jobs.push({ name: 'b', ms: 5 });
    // Waits its turn too; the first run took b meanwhile (it claims what is due until none is left).
    const third = runFiles(state, { deadline: Date.now() + 5000 });
    expect(await first).toBe(2);
    expect(await short).toBe(0);
    expect(await third).toBe(0);
    expect(events).toEqual(['start a', 'done a', 'start b', 'done b']);
    expect(logs).toEqual([]);
  });

  it('does nothing without the FILES binding', async () => {
    expect(await runFiles(stateWith(undefined, []), { deadline: Date.now() + 1000 })).toBe(0);
  });
});
