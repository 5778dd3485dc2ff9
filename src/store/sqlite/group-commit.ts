import type { Db } from './db.js';

interface Pending {
  readonly unit: () => unknown;
  readonly durable: boolean;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for the SQLite store. Write units called in the same turn of the event loop — a
 * burst of submissions, the outcomes of a batch of deliveries — run in one IMMEDIATE transaction
 * and share its commit (and, when any of them is durable, its fsync) instead of paying one each.
 *
 * Inside the group each unit runs in its own savepoint: a unit that throws is rolled back alone and
 * its caller gets the error, while the others commit.
 * No unit's promise settles before the group's COMMIT has returned, so a resolved unit is exactly
 * as durable as it was when each unit committed alone. If SQLite abandons the whole transaction
 * (a full disk, an I/O error), every unit of the group fails with that error and nothing is kept.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly schedule: (flush: () => void) => void = (flush) => setImmediate(flush),
  ) {}

  /** Queues `unit`; `durable` units commit with `synchronous = FULL`. */
  run<T>(unit: () => T, durable: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ unit, durable, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        this.schedule(() => this.flush());
      }
    });
  }

  /** Runs and commits everything queued so far (also called when the store closes). */
  flush(): void {
    this.scheduled = false;
    const group = this.queue;
    this.queue = [];
    if (group.length === 0) return;
    const db = this.db;
    const durable = group.some((p) => p.durable);
    const outcomes: { ok: boolean; value: unknown }[] = [];
    if (durable) db.pragma('synchronous = FULL');
    try {
      db.transaction(() => {
        for (const pending of group) {
          try {
            // Its own savepoint: rolled back alone if it throws.
            outcomes.push({ ok: true, value: db.transaction(pending.unit)() });
          } catch (error) {
            // SQLite may have abandoned the whole transaction: then nothing of the group is kept.
            if (!db.inTransaction) throw error;
            outcomes.push({ ok: false, value: error });
          }
        }
      }).immediate();
    } catch (error) {
      for (const pending of group) pending.reject(error);
      return;
    } finally {
      if (durable) db.pragma('synchronous = NORMAL');
    }
    group.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.value);
    });
  }
}
