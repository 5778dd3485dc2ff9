import { hostname } from 'node:os';
import type pg from 'pg';
import { expect } from 'vitest';
import { sha256Hex } from '../../src/envelope/digest.js';
import { verifyChain } from '../../src/store/audit-chain.js';
import { postgresStore } from '../../src/store/postgres/store.js';
import { type NodeProcess, waitFor } from './node-process.js';

/**
 * What the scale-out kill tests ask of the shared PostgreSQL database: who held which lease (the
 * claim log, see migration 5 of src/store/schema/postgres.ts) and whether the audit chain holds.
 */
export type Queue = 'delivery' | 'local-push';

/** The rows each queue leases, for joining its claim-log entries to their outcome. */
const ROWS: Readonly<Record<Queue, { readonly table: string; readonly id: string }>> = {
  delivery: { table: 'deliveries', id: 'delivery_id' },
  'local-push': { table: 'local_deliveries', id: 'local_delivery_id' },
};

export const count = async (db: pg.Client, sql: string, params: unknown[] = []): Promise<number> =>
  Number((await db.query<{ n: string }>(sql, params)).rows[0]?.n ?? 0);

/**
 * SIGKILLs `node` while it holds leases of `queue`: the process is frozen (SIGSTOP) while its leases
 * are counted, so none of them can settle between the count and the kill; when it holds none, it
 * is thawed and looked at again. Returns its worker id and the rows it held when it died.
 */
export async function killHoldingLeases(
  db: pg.Client,
  node: NodeProcess,
  queue: Queue,
): Promise<{ readonly worker: string; readonly heldAtKill: string[] }> {
  const pid = node.pid;
  if (pid === undefined) throw new Error('the instance to kill is not running');
  const worker = `${hostname()}-${pid}`;
  const held = await waitFor(
    async () => {
      process.kill(pid, 'SIGSTOP');
      const { rows } = await db.query<{ row_id: string }>(
        `SELECT row_id FROM claim_log WHERE queue = $1 AND worker = $2 AND settled_at IS NULL AND lease_until > $3`,
        [queue, worker, Date.now()],
      );
      if (rows.length > 0) return rows;
      process.kill(pid, 'SIGCONT');
      return undefined;
    },
    30_000,
    `the instance to hold ${queue} leases`,
    2,
  );
  await node.kill();
  expect(held.length).toBeGreaterThan(0);
  // What it held when it died (its claims of the last moment included).
  const { rows } = await db.query<{ row_id: string }>(
    'SELECT row_id FROM claim_log WHERE queue = $1 AND worker = $2 AND settled_at IS NULL',
    [queue, worker],
  );
  return { worker, heldAtKill: rows.map((r) => r.row_id) };
}

/** What the claim log and the audit log say after a kill test (see `report`). */
export interface LeaseReport {
  /** Rows held by two leases at once: each row's lease intervals must be disjoint. */
  readonly overlapping: number;
  /** Leases of `queue` per worker. */
  readonly perWorker: { readonly worker: string; readonly n: string }[];
  /** Rows the dead worker held, leased again by another after its lease expired, and now delivered. */
  readonly takenOver: number;
  readonly chain: Awaited<ReturnType<typeof verifyChain>>;
}

export async function leaseReport(
  db: pg.Client,
  url: string,
  queue: Queue,
  deadWorker: string,
): Promise<LeaseReport> {
  const { table, id } = ROWS[queue];
  const overlapping = await count(
    db,
    `SELECT count(*) AS n FROM claim_log a JOIN claim_log b
       ON b.queue = a.queue AND b.row_id = a.row_id AND b.id > a.id
     WHERE b.claimed_at < coalesce(a.settled_at, a.lease_until)
       AND a.claimed_at < coalesce(b.settled_at, b.lease_until)`,
  );
  const perWorker = (
    await db.query<{ worker: string; n: string }>(
      'SELECT worker, count(*) AS n FROM claim_log WHERE queue = $1 GROUP BY worker ORDER BY worker',
      [queue],
    )
  ).rows;
  const takenOver = await count(
    db,
    `SELECT count(DISTINCT a.row_id) AS n FROM claim_log a
     JOIN claim_log b ON b.queue = a.queue AND b.row_id = a.row_id AND b.claimed_at > a.lease_until
     JOIN ${table} r ON r.${id} = a.row_id AND r.status = 'delivered'
     WHERE a.queue = $1 AND a.worker = $2 AND a.settled_at IS NULL AND b.worker <> $2 AND b.settled_at IS NOT NULL`,
    [queue, deadWorker],
  );
  const audit = postgresStore(url);
  try {
    return {
      overlapping,
      perWorker,
      takenOver,
      chain: await verifyChain(await audit.readAudit(), sha256Hex),
    };
  } finally {
    await audit.close();
  }
}

/** "host-1: 824, killed host-2: 314, …" for the report line. */
export const describeWorkers = (report: LeaseReport, dead: string): string =>
  report.perWorker.map((w) => `${w.worker === dead ? 'killed ' : ''}${w.worker}: ${w.n}`).join(', ');
