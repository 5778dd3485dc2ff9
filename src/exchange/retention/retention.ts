import type { RetentionStore } from '../../store/port.js';
import type { Domain } from '../../vocabulary/messages.js';
import type { Worker } from '../delivery/worker.js';
import type { StageDeps } from '../deps.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The cutoff (Unix ms) per domain with a retention: payloads stored before it may be removed. */
export function retentionCutoffs(
  retentionDays: Readonly<Partial<Record<Domain, number>>>,
  now: number,
): Partial<Record<Domain, number>> {
  const cutoffs: Partial<Record<Domain, number>> = {};
  for (const [domain, days] of Object.entries(retentionDays) as [Domain, number | undefined][]) {
    if (days !== undefined) cutoffs[domain] = now - days * DAY_MS;
  }
  return cutoffs;
}

/**
 * Removes payloads past their domain's retention, at most once per `everyMs` (an hour by default),
 * and with them the case files no other message or upload refers to: the store frees their rows in
 * the purge's unit and names the blobs, which are then deleted from the blob store. It runs on the
 * exchange loop as a worker that reports no work, so it never keeps the loop busy. The audit log
 * commits to digests only, so it verifies as before.
 */
export function retentionWorker(deps: StageDeps<RetentionStore>, everyMs = HOUR_MS): Worker {
  let lastRun = Number.NEGATIVE_INFINITY;
  return {
    async runOnce() {
      const now = deps.now();
      if (now - lastRun < everyMs) return 0;
      lastRun = now;
      const cutoffs = retentionCutoffs(deps.config.retentionDays, now);
      if (Object.keys(cutoffs).length === 0) return 0;
      const purged = await deps.store.purgePayloads(cutoffs, now);
      let files = 0;
      const blobs = deps.blobs;
      for (const key of blobs === undefined ? [] : purged.blobs) {
        try {
          await blobs?.deleteBlob(key);
          files++;
        } catch (error) {
          // The rows are gone already: the blob stays behind (an orphan), the rest go on.
          deps.log?.('warn', 'a case file freed by retention could not be deleted', {
            digest: key,
            err: error,
          });
        }
      }
      if (purged.outbound + purged.inbound + files > 0)
        deps.log?.('info', 'payloads removed after retention', {
          outbound: purged.outbound,
          inbound: purged.inbound,
          files,
        });
      return 0;
    },
  };
}
