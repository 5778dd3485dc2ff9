import type { PartnerConfig } from '../config/types.js';
import type { ContractFiles } from '../contracts/files.js';

/** Where a contract version stands on this node. */
export type ContractStatus = 'staged' | 'active' | 'deprecated';

/**
 * Where the admin API keeps what it changes, so that changes survive a restart. The runtime
 * implements it (files in the data directory on Node); without it, changes last until the restart.
 */
export interface AdminStateStore {
  /** Writes an uploaded version once; a version already written is never overwritten. */
  saveContractVersion(domain: string, version: string, files: ContractFiles): Promise<void>;
  /** The status of every version that is not simply active as shipped (`domain@version` → status). */
  saveContractStatuses(statuses: Readonly<Record<string, ContractStatus>>): Promise<void>;
  /** Every partner added or changed through the admin API, in full. */
  savePartners(partners: readonly PartnerConfig[]): Promise<void>;
}
