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
  /** Overdue threads found, when the checks ran in this invocation. */
  readonly overdueThreads?: number;
}

/** When this isolate last ran the deadline and key-expiry checks. */
let lastChecks = Number.NEGATIVE_INFINITY;

/**
 * One cron invocation: the delivery and local-push workers run round after round while they find
 * work, up to a bounded number of rounds and time (the next invocation continues; leases protect
 * rows an invocation did not finish), then retention runs (hourly at most), and the deadline and
 * key-expiry checks (hourly at most, so that a cron every minute does not repeat them) log what
 * needs attention.
 */
export async function runCron(state: WorkerState, options: CronOptions = {}): Promise<CronReport> {
  const now = options.now ?? Date.now;
  const started = now();
  const maxRounds = options.rounds ?? 20;
  const budget = options.budgetMs ?? 20_000;
  let rounds = 0;
  let deliveries = 0;
  let localPushes = 0;
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
  await guarded(state, 'retention', () => state.workers.retention.runOnce());
  if (now() - lastChecks < (options.checkEveryMs ?? 3_600_000)) return { rounds, deliveries, localPushes };
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
  return { rounds, deliveries, localPushes, overdueThreads: overdue.length };
}

/**
 * Right after a request that queued work (see `WorkerState.takeNotified`): one round of each named
 * worker, so that a submitted message goes to its partner, and a received one to its local system,
 * within the request's `waitUntil` instead of at the next cron. What fails or is not due yet is left
 * to the cron (the rows keep their leases and retry times).
 */
export async function runNotified(state: WorkerState, work: readonly Work[]): Promise<void> {
  await Promise.all(
    work.map((w) =>
      w === 'delivery'
        ? guarded(state, 'delivery', () => state.workers.delivery.runOnce())
        : guarded(state, 'local push', () => state.workers.localPush.runOnce()),
    ),
  );
}

async function guarded(state: WorkerState, name: string, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    state.log('error', `${name} round failed`, { err: error });
    return 0;
  }
}
