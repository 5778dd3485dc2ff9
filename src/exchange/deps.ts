import type { Context } from 'hono';
import type { BlobStore } from '../attachments/blob-store.js';
import type { HasherFactory } from '../attachments/hasher.js';
import type { NodeConfig } from '../config/types.js';
import type { ContractRegistry } from '../contracts/registry.js';
import type { StreamFetch } from '../egress/stream-fetch.js';
import type { DigestAlgorithm, Sha256 } from '../envelope/digest.js';
import type { LogFn } from '../http/env.js';
import type { NodeKeyring } from '../keys/keyring.js';
import type { Metrics } from '../metrics/yrdx.js';
import type { Store } from '../store/port.js';
import type { PartnerRegistry } from '../trust/partner-registry.js';

/** What the exchange needs; passed in by a runtime, like everything in the core. */
export interface ExchangeDeps {
  readonly config: NodeConfig;
  readonly store: Store;
  readonly keyring: () => NodeKeyring;
  readonly partners: PartnerRegistry;
  readonly contracts: ContractRegistry;
  readonly now: () => number;
  readonly fetch: typeof fetch;
  /** SHA-256 of credentials (API keys, admin tokens, console sessions), as the configuration keeps them. */
  readonly sha256?: Sha256;
  /**
   * The digest of messages, receipts and request bodies, in the kept form (envelope/digest.ts): SM3
   * under the national profile, SHA-256 otherwise. Defaults to `sha256`, then Web Crypto's SHA-256.
   */
  readonly digest?: Sha256;
  readonly log?: LogFn;
  /** Where case-file bytes are kept; without it the node refuses uploads and messages with files. */
  readonly blobs?: BlobStore;
  /** Streaming digests of case files (default: the runtime-neutral ones). */
  readonly hasher?: HasherFactory;
  /** The bounded client's streaming call, for fetching case files from partners. */
  readonly stream?: StreamFetch;
  /**
   * Called after new work is stored, to wake the worker that does it: `delivery` after a submission
   * (partners to deliver to), `local-push` after a received message that is pushed to a local system.
   */
  readonly notify?: (work: 'delivery' | 'local-push' | 'files') => void;
  /** Counters and histograms the exchange records into (served at `/metrics`). */
  readonly metrics?: Metrics;
  /**
   * The caller's address, for the rate limits that apply before a caller is known (its IPv6 /64);
   * without it every caller shares one bucket.
   */
  readonly remoteAddress?: (c: Context) => string | undefined;
  /**
   * The request's TCP peer address, never a forwarded one: whether a proxy in front of the node may
   * vouch for the client certificate (`clientCertificates.trustedProxies`). A runtime that cannot
   * tell (Workers) leaves it out, and no proxy is believed.
   */
  readonly peerAddress?: (c: Context) => string | undefined;
  /**
   * Called by the inbound path once a message's signature has verified, with its `iss`: throws
   * `rate_limited` over the partner's limit (set by the exchange routes, see ./rate-limits.ts).
   */
  readonly admitPartner?: (partner: string) => void;
  /**
   * Whether the configuration file, changed on disk since the node loaded it, accepts an API key the
   * node refuses: the refusal then says a restart is needed (`auth_key_not_loaded`). Node only. It is
   * given the key's digest by algorithm (kept form) and asks only for those its hashes use.
   */
  readonly acceptedAfterRestart?: (
    apiKeyDigest: (alg: DigestAlgorithm) => Promise<string>,
  ) => boolean | Promise<boolean>;
}

/** The exchange's deps with the store narrowed to the roles one stage uses. */
export type StageDeps<S> = Omit<ExchangeDeps, 'store'> & { readonly store: S };
