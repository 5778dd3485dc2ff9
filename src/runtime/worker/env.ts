import type { D1Database } from '../../store/d1/types.js';

/**
 * The bindings of the yrdx Worker (wrangler.toml, `wrangler secret put`). Declared here, with the
 * few Workers types the entry uses, so that the core compiles without the Workers type package.
 */
export interface WorkerEnv {
  /** The D1 database (`[[d1_databases]] binding = "DB"`). */
  readonly DB: D1Database;
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
  /** The node's keyring (a secret whose name the configuration's `keys.binding` gives, YRDX_KEYS by default). */
  readonly [binding: string]: unknown;
}

export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  readonly props: unknown;
}

export interface ScheduledController {
  readonly cron: string;
  readonly scheduledTime: number;
}
