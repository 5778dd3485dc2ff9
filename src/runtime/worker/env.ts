import type { D1Database } from '../../store/d1/db.js';
import type { R2Bucket } from './r2.js';

/**
 * The bindings of the yrdx Worker (wrangler.toml, `wrangler secret put`). Declared here, with the
 * few Workers types the entry uses, so that the core compiles without the Workers type package.
 */
export interface WorkerEnv {
  /** The D1 database (`[[d1_databases]] binding = "DB"`). */
  readonly DB: D1Database;
  /**
   * The R2 bucket of case files (`[[r2_buckets]] binding = "FILES"`): uploads, files fetched from
   * partners, files served to them. Without it the node refuses attachments (`attachments_unavailable`).
   */
  readonly FILES?: R2Bucket;
  /**
   * The size of the chunk objects case files are kept in, in bytes (default 8388608: 8 MiB; from
   * 65536 to 67108864). A part is buffered up to one chunk in memory before it is put.
   */
  readonly FILES_CHUNK_BYTES?: string;
  /**
   * The longest one invocation spends on case-file transfers, in milliseconds (default: 25000 after a
   * request, 120000 in a queue consumer, the cron's 20000). A transfer still running then is stopped
   * cleanly and resumed by the next run. Lower it to keep a transfer's CPU (digests) within the plan.
   */
  readonly FILES_BUDGET_MS?: string;
  /**
   * Configuration over the bundled config/worker.json: a JSON object whose members replace the
   * bundled ones (`publicUrl`, `partners`, `localSystems`, …). A var, or a secret when it names
   * local systems' API key hashes you prefer not to keep in wrangler.toml.
   */
  readonly YRDX_CONFIG?: string;
  /**
   * Secret: the admin API's credentials, a JSON array of `{id, role, tokenHash, notAfter?}` (only
   * SHA-256 hashes of the tokens). Without it the admin API is off, unless the configuration has them.
   */
  readonly YRDX_ADMIN_CREDENTIALS?: string;
  /** `debug`, `info` (default), `warn` or `error`. */
  readonly LOG_LEVEL?: string;
  /** `1`: log message payloads (still redacted) for a debugging session. */
  readonly LOG_PAYLOADS?: string;
  /**
   * Optional Cloudflare Queue (`[[queues.producers]] binding = "YRDX_WORK"`, with this Worker as
   * its consumer): work a request stores is handed to the queue, whose consumer runs it in an
   * invocation of its own instead of in the request's `waitUntil` (a consumer that cannot start is
   * retried by the queue; what a round leaves is retried by the cron either way).
   */
  readonly YRDX_WORK?: QueueProducer;
  /** The node's keyring (a secret whose name the configuration's `keys.binding` gives, YRDX_KEYS by default). */
  readonly [binding: string]: unknown;
}

export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  readonly props: unknown;
}

export interface QueueProducer {
  send(body: unknown): Promise<void>;
}

/** A batch of queue messages delivered to the `queue` handler. */
export interface MessageBatch<Body = unknown> {
  readonly queue: string;
  readonly messages: readonly { readonly id: string; readonly body: Body; ack(): void; retry(): void }[];
  ackAll(): void;
  retryAll(): void;
}

export interface ScheduledController {
  readonly cron: string;
  readonly scheduledTime: number;
}
