import type { Context } from 'hono';
import type { AuditSink } from '../audit/sink.js';
import type { NodeConfig } from '../config/types.js';
import type { ResolveHost } from '../egress/policy.js';
import type { ExchangeDeps } from '../exchange/deps.js';
import type { NodeKeyring } from '../keys/keyring.js';
import type { PartnerRegistry } from '../trust/partner-registry.js';
import type { AdminEnv } from './env.js';
import type { ContractLifecycle } from './services/contract-lifecycle.js';
import type { AdminStateStore } from './state.js';

/** The outcome of one key rotation, as the admin API reports it (no key material). */
export interface RotationSummary {
  readonly activated: string;
  readonly retired: string;
  readonly created: string;
  readonly dropped: readonly string[];
}

/** What a runtime adds for the admin API beyond the app's own dependencies. */
export interface AdminServices {
  /** The contract lifecycle (upload, activate, deprecate); without it contracts are read-only. */
  readonly contracts?: ContractLifecycle;
  /** Persists runtime changes; without it they last until the restart. */
  readonly state?: AdminStateStore;
  /** Rotates this node's keys where they are kept; absent when the key source is read-only. */
  readonly rotateKeys?: (force: boolean) => Promise<RotationSummary>;
  /** Whether the delivery circuit to a partner is open now. */
  readonly circuitOpen?: (partner: string, now: number) => boolean;
  /** Partners registered or changed through the admin API earlier (persisted again on the next change). */
  readonly runtimePartners?: readonly string[];
  /** The caller's address, for rate limiting before authentication. */
  readonly remoteAddress?: (c: Context<AdminEnv>) => string | undefined;
  /**
   * DNS, to check that a partner URL set at run time names public addresses only; without it only
   * IP literals and `localhost` are checked here (the bounded client checks again when it connects).
   */
  readonly resolveHost?: ResolveHost;
  /**
   * The configuration file the node was started with (absolute), for the commands the console shows
   * (`yrdx evidence export --config …`); absent where there is no command line (Workers).
   */
  readonly configFile?: string;
}

/** What the admin routes need: a subset of the app's dependencies. */
export interface AdminDeps {
  readonly config: NodeConfig;
  readonly keyring: () => NodeKeyring;
  readonly partners: PartnerRegistry;
  readonly now?: () => number;
  readonly exchange?: ExchangeDeps;
  readonly audit?: AuditSink;
  readonly admin?: AdminServices;
}
