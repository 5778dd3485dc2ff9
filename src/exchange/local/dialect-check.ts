import type { NodeConfig } from '../../config/types.js';
import type { ContractRegistry } from '../../contracts/registry.js';
import type { ProblemItem } from '../../errors/errors.js';

/**
 * Configuration mistakes only the contracts can reveal, found at start rather than on the first
 * message: a local system's dialect that no contract of a domain it sends or receives knows (e.g.
 * "zhejiang" for "zj"), or a pinned major (`contractMajors`) with no version.
 */
export function localSystemFaults(config: NodeConfig, contracts: ContractRegistry): ProblemItem[] {
  const faults: ProblemItem[] = [];
  config.localSystems.forEach((system, i) => {
    const domains = [...new Set([...system.maySend.domains, ...system.receives.domains])];
    for (const domain of domains) {
      const major = system.contractMajors[domain];
      const contract = contracts.latest(domain, major);
      if (contract === undefined) {
        if (major !== undefined)
          faults.push({
            pointer: `/localSystems/${i}/contractMajors/${domain}`,
            detail: `${domain} 没有主版本 ${major} 的契约`,
          });
        continue;
      }
      if (!contract.dialects.has(system.dialect))
        faults.push({
          pointer: `/localSystems/${i}/dialect`,
          detail: `${contract.id} 没有方言 "${system.dialect}"（可用：${[...contract.dialects.keys()].join('、')}）`,
        });
    }
  });
  return faults;
}
