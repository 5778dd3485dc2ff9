import { watchKeyExpiry } from '../../trust/expiry-watch.js';
import type { Work, WorkerState } from './boot.js';

export interface CronOptions {
  /** At most this many rounds of each worker per invocation (default 20). */
  readonly rounds?: number;
  /** Stop starting rounds after this long (default 20 s, well inside a cron's time limit). */
  readonly budgetMs?: number;
  readonly now?: () => number;
  /** The deadline and key-expiry checks run at most this often per isolate (default an hour). */
  readonly checkEveryMs?: number;
}

export interface CronReport {
  readonly rounds: number;
  readonly deliveries: number;
  readonly localPushes: number;
  /** Case-file transfers started (each a message's files from one partner). */
  readonly transfers: number;
  /** Overdue threads found, when the checks ran in this invocation. */
  readonly overdueThreads?: number;
}

/** When this isolate last ran the deadline and key-expiry checks. */
let lastChecks = Number.NEGATIVE_INFINITY;

/**
 * One cron invocation: the delivery and local-push workers run round after round while they find
 * work, up to a bounded number of rounds and time (the next invocation continues; leases protect
 * rows an invocation did not finish), and beside them the case-file transfers until the same time
 * (see `runFiles`); then retention runs (hourly at most), and the deadline and key-expiry checks
 * (hourly at most, so that a cron every minute does not repeat them) log what needs attention.
 */
export async function runCron(state: WorkerState, options: CronOptions = {}): Promise<CronReport> {
  const now = options.now ?? Date.now;
  const started = now();
  const maxRounds = options.rounds ?? 20;
  const budget = options.budgetMs ?? 20_000;
  let rounds = 0;
  let deliveries = 0;
  let localPushes = 0;
  const transfers = runFiles(state, { deadline: started + budget, now });
  while (rounds < maxRounds && now() - started < budget) {
    rounds++;
    const [sent, pushed] = await Promise.all([
      guarded(state, 'delivery', () => state.workers.delivery.runOnce()),
      guarded(state, 'local push', () => state.workers.localPush.runOnce()),
    ]);
    deliveries += sent;
    localPushes += pushed;
    if (sent + pushed === 0) break;
  }
  const fetched = await transfers;
  // Messages whose files arrived meanwhile are pushed to their local systems now.
  if (fetched > 0) localPushes += await guarded(state, 'local push', () => state.workers.localPush.runOnce());
  await guarded(state, 'retention', () => state.workers.retention.runOnce());
  const report = { rounds, deliveries, localPushes, transfers: fetched };
  if (now() - lastChecks < (options.checkEveryMs ?? 3_600_000)) return report;
  lastChecks = now();
  const overdue = await state.store.listThreads({ overdueAt: now(), limit: 1000 });
  for (const thread of overdue) {
    state.log('warn', 'cooperation thread overdue', {
      alert: 'thread-overdue',
      thread: thread.threadId,
      partner: thread.partner,
      direction: thread.direction,
      type: thread.type,
      ...(thread.dueAt === undefined ? {} : { dueAt: new Date(thread.dueAt).toISOString() }),
      states: thread.tracks.map((k) => `${k.partner}:${k.state}`).join(' '),
    });
  }
  watchKeyExpiry({ keyring: () => state.keyring, partners: state.partners, now, log: state.log });
  return { ...report, overdueThreads: overdue.length };
}

/**
 * Right after a request that queued work (see `WorkerState.takeNotified`): one round of each named
 * worker, so that a submitted message goes to its partner, and a received one to its local system,
 * within the request's `waitUntil` instead of at the next cron. What fails or is not due yet is left
 * to the cron (the rows keep their leases and retry times).
 */
export async function runNotified(
  state: WorkerState,
  work: readonly Work[],
  options: { readonly budgetMs?: number; readonly now?: () => number } = {},
): Promise<void> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.budgetMs ?? NOTIFIED_BUDGET_MS);
  await Promise.all(
    work.map(async (w) => {
      if (w === 'delivery') await guarded(state, 'delivery', () => state.workers.delivery.runOnce());
      else if (w === 'local-push')
        await guarded(state, 'local push', () => state.workers.localPush.runOnce());
      // Files that arrived release the message: its local push follows in this invocation too.
      else if ((await runFiles(state, { deadline, now })) > 0)
        await guarded(state, 'local push', () => state.workers.localPush.runOnce());
    }),
  );
}

/**
 * How long the work after a request may take: a Worker's `waitUntil` lasts 30 s past the answer;
 * what is not done by then is stopped cleanly and left to the cron.
 */
export const NOTIFIED_BUDGET_MS = 25_000;

/**
 * Case files from partners, within one invocation: claims the transfers that are due, waits for them,
 * claims again, until none is left or `deadline` comes. At the deadline the transfers in flight are
 * stopped: each puts the bytes it buffered as a last (shorter) chunk object and records its progress,
 * so the next run — this cron's next invocation, in this isolate or another — resumes with a
 * `Range` from the bytes R2 holds; a file of any size arrives over as many invocations as it needs.
 * (An invocation cut off without that — the runtime killing it — loses at most the chunk it was
 * buffering; the lease runs out and the next run resumes from the chunks put.)
 *
 * One run at a time per isolate: a run asked for while another is going (a cron during a request's
 * run) starts when that one ends, so that a run only ever waits for, and stops, its own transfers.
 * Resolves to the number of transfers started.
 */
export function runFiles(
  state: WorkerState,
  options: { readonly deadline: number; readonly now?: () => number },
): Promise<number> {
  const run = filesRuns.then(() => filesRound(state, options));
  filesRuns = run.catch(() => undefined);
  return run;
}

/** The end of this isolate's last files run. */
let filesRuns: Promise<unknown> = Promise.resolve();

async function filesRound(
  state: WorkerState,
  options: { readonly deadline: number; readonly now?: () => number },
): Promise<number> {
  const files = state.workers.files;
  if (files === undefined) return 0;
  const now = options.now ?? Date.now;
  let deadline = options.deadline;
  if (state.filesBudgetMs !== undefined) deadline = Math.min(deadline, now() + state.filesBudgetMs);
  let started = 0;
  // Bounded: a transfer interrupted with progress is due again at once, and would be claimed again.
  for (let round = 0; round < 100 && now() < deadline; round++) {
    started += await guarded(state, 'case file transfer', () => files.runOnce());
    if (files.inFlight === 0) break;
    if (!(await within(files.settled(), deadline - now()))) {
      state.log('info', 'case file transfers paused until the next run', { inFlight: files.inFlight });
      await files.stop();
      break;
    }
  }
  return started;
}

/** Whether `promise` settled within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function guarded(state: WorkerState, name: string, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    state.log('error', `${name} round failed`, { err: error });
    return 0;
  }
}
