import { randomUUID } from 'node:crypto';
import type { ClaimRequest } from '../port.js';
import type { Tx } from './db.js';

/** The two leased queues: deliveries to partners and pushes to local systems. */
export type Queue = 'delivery' | 'local-push';

/** Where each queue's rows live and the key its lease update finds them by. */
const QUEUES: Readonly<
  Record<Queue, { readonly table: string; readonly key: string; readonly keyType: string }>
> = {
  delivery: { table: 'deliveries', key: 'delivery_id', keyType: 'text' },
  'local-push': { table: 'local_deliveries', key: 'seq', keyType: 'bigint' },
};

/**
 * The condition and order of a claim on rows aliased `a`, with the claim time as `$1`: rows due now
 * and rows whose lease expired, the longest waiting first. Followed by `LIMIT … FOR UPDATE OF a
 * SKIP LOCKED`, so that instances claiming at once each get rows of their own.
 */
export function dueRows(a: string): { readonly where: string; readonly order: string } {
  return {
    where: `((${a}.status IN ('queued', 'retry') AND ${a}.next_attempt_at <= $1)
         OR (${a}.status = 'sending' AND ${a}.lease_until < $1))`,
    order: `ORDER BY CASE WHEN ${a}.status = 'sending' THEN ${a}.lease_until ELSE ${a}.next_attempt_at END, ${a}.seq`,
  };
}

/**
 * Leases rows of `queue` just selected `FOR UPDATE` to `request.worker` until `now + leaseMs`: one
 * fresh token each, the attempt counted, and the leases recorded in the claim log. `keys` find the
 * rows (the queue's key column), `ids` name them in the log. Returns the tokens, in order.
 */
export async function leaseRows(
  tx: Tx,
  queue: Queue,
  request: ClaimRequest,
  now: number,
  keys: readonly (string | number)[],
  ids: readonly string[],
): Promise<string[]> {
  const { table, key, keyType } = QUEUES[queue];
  const tokens = keys.map(() => randomUUID());
  const until = now + request.leaseMs;
  await tx.query(
    `UPDATE ${table} t SET status = 'sending', attempts = t.attempts + 1, next_attempt_at = NULL,
       lease_owner = $1, lease_token = v.token, lease_until = $2, updated_at = $3
     FROM unnest($4::${keyType}[], $5::text[]) AS v(key, token) WHERE t.${key} = v.key`,
    [request.worker, until, now, keys, tokens],
  );
  await tx.query(
    `INSERT INTO claim_log (queue, row_id, worker, lease_token, claimed_at, lease_until)
     SELECT $1, id, $2, token, $3, $4 FROM unnest($5::text[], $6::text[]) AS v(id, token)`,
    [queue, request.worker, now, until, ids, tokens],
  );
  return tokens;
}

/** Marks a lease settled in the claim log (see migration 5). */
export async function logSettled(tx: Tx, leaseToken: string, now: number): Promise<void> {
  await tx.query('UPDATE claim_log SET settled_at = $1 WHERE lease_token = $2', [now, leaseToken]);
}
