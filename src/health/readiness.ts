import type { ContractRef, ContractRegistry } from '../contracts/registry.js';
import type { ProblemItem } from '../errors/errors.js';
import { requestFault } from '../errors/request-text.js';
import type { NodeKeyring } from '../keys/keyring.js';
import type { OutboxStore } from '../store/port.js';
import { ANY } from '../vocabulary/messages.js';

export interface ReadinessSources {
  readonly keyring: () => NodeKeyring;
  /** The exchange's store; a node without an exchange has none to check. */
  readonly store?: OutboxStore;
  /** The exchange's contracts; without them, the announced contract list is checked. */
  readonly contracts?: ContractRegistry;
  readonly announced?: () => readonly ContractRef[];
  readonly domains: readonly string[];
}

export type CheckResult = 'ok' | string;

/**
 * What `/readyz` checks: the store answers a read, an active signing key is loaded, and every
 * domain this node is configured for has a contract. Each result is `ok` or why not.
 */
export async function checkReadiness(sources: ReadinessSources): Promise<Record<string, CheckResult>> {
  const checks: Record<string, CheckResult> = {};
  if (sources.store !== undefined) {
    try {
      await sources.store.getOutbound('readyz-probe');
      checks.store = 'ok';
    } catch (error) {
      checks.store = `the store cannot be read: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  try {
    const keyring = sources.keyring();
    const active = keyring.keys.find((k) => k.state === 'active');
    checks.keys =
      active !== undefined && keyring.signer !== undefined && keyring.signer.kid === active.kid
        ? 'ok'
        : 'no active signing key is loaded';
  } catch (error) {
    checks.keys = `the keys cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
  const has = (domain: string) =>
    sources.contracts !== undefined
      ? sources.contracts.latest(domain) !== undefined
      : (sources.announced?.() ?? []).some((c) => c.domain === domain);
  if (sources.contracts !== undefined || sources.announced !== undefined) {
    const missing = sources.domains.filter((d) => d !== ANY && !has(d));
    const none =
      sources.domains.includes(ANY) &&
      (sources.contracts !== undefined
        ? sources.contracts.domains().length === 0
        : (sources.announced?.() ?? []).length === 0);
    checks.contracts =
      missing.length > 0
        ? `no contract is loaded for ${missing.join(', ')}`
        : none
          ? 'no contract is loaded'
          : 'ok';
  }
  return checks;
}

/** One problem item per component that is not ready, named by its pointer (`/store`, `/keys`, `/contracts`). */
export function notReadyItems(checks: Record<string, CheckResult>): ProblemItem[] {
  return Object.entries(checks)
    .filter(([, result]) => result !== 'ok')
    .map(([name, result]) => ({ pointer: `/${name}`, detail: requestFault('notReady', { reason: result }) }));
}
