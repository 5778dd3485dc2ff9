import type { AdminDeps } from '../admin/deps.js';
import type { PartnerChanges } from '../admin/services/partner-changes.js';
import type { AdminConfig } from '../config/types.js';
import type { TokenBuckets } from '../http/rate-limit.js';
import type { ConsoleSessions } from './session.js';

/** What every console route group shares: the admin API's dependencies, the sessions and the clock. */
export interface ConsoleContext {
  readonly deps: AdminDeps;
  readonly admin: AdminConfig;
  readonly sessions: ConsoleSessions;
  /** Sign-in attempts per remote address, with the admin API's rate limit. */
  readonly signInBuckets: TokenBuckets;
  readonly now: () => number;
  /** Run-time partner changes, shared with the admin API. */
  readonly partnerChanges: PartnerChanges;
}
