import { closestOf, configFault } from '../../config/fault-text.js';
import type { NodeConfig } from '../../config/types.js';
import type { ContractRegistry } from '../../contracts/registry.js';
import type { ProblemItem } from '../../errors/errors.js';
import { listOf } from '../../errors/text.js';
import { ANY } from '../../vocabulary/messages.js';

/**
 * Configuration mistakes only the contracts can reveal, found at start rather than on the first
 * message: a domain or message type no loaded contract declares (for partners and local systems), a
 * local system's dialect that no contract of a domain it sends or receives knows (e.g.
 * "zhejiang" for "zj"), or a pinned major (`contractMajors`) with no version.
 */
export function localSystemFaults(config: NodeConfig, contracts: ContractRegistry): ProblemItem[] {
  const faults: ProblemItem[] = [];
  const known = contracts.domains();
  const scope = (at: string, domains: readonly string[], types: readonly string[] | undefined) =>
    faults.push(...scopeFaults(contracts, at, domains, types));
  config.partners.forEach((partner, i) => {
    scope(`/partners/${i}/maySend`, partner.maySend.domains, partner.maySend.types);
    partner.subscribes.forEach((domain, j) => {
      if (domain !== ANY && !known.includes(domain))
        faults.push({
          pointer: `/partners/${i}/subscribes/${j}`,
          detail: configFault('noDomain', { domain, known: listOf(known), hint: closestOf(domain, known) }),
        });
    });
  });
  config.localSystems.forEach((system, i) => {
    scope(`/localSystems/${i}/maySend`, system.maySend.domains, system.maySend.types);
    scope(`/localSystems/${i}/receives`, system.receives.domains, system.receives.types);
    const named = [...system.maySend.domains, ...system.receives.domains];
    const domains = named.includes(ANY) ? contracts.domains() : [...new Set(named)];
    for (const domain of domains.filter((d) => known.includes(d))) {
      const major = system.contractMajors[domain];
      const contract = contracts.latest(domain, major);
      if (contract === undefined) {
        if (major !== undefined)
          faults.push({
            pointer: `/localSystems/${i}/contractMajors/${domain}`,
            detail: configFault('noMajor', { domain, major }),
          });
        continue;
      }
      if (!contract.dialects.has(system.dialect))
        faults.push({
          pointer: `/localSystems/${i}/dialect`,
          detail: configFault('noDialect', {
            contract: contract.id,
            dialect: system.dialect,
            known: listOf([...contract.dialects.keys()]),
            hint: closestOf(system.dialect, [...contract.dialects.keys()]),
          }),
        });
    }
  });
  return faults;
}

/**
 * The domains and message types of a scope (`maySend`, `receives`) that no loaded contract declares,
 * with the ones there are: a partner or local system configured with them would be refused at the
 * first message, so they are refused where they are written (configuration, admin API, console).
 */
export function scopeFaults(
  contracts: ContractRegistry,
  at: string,
  domains: readonly unknown[],
  types: readonly unknown[] | undefined,
): ProblemItem[] {
  const faults: ProblemItem[] = [];
  const known = contracts.domains();
  domains.forEach((domain, j) => {
    if (typeof domain === 'string' && domain !== ANY && !known.includes(domain))
      faults.push({
        pointer: `${at}/domains/${j}`,
        detail: configFault('noDomain', { domain, known: listOf(known), hint: closestOf(domain, known) }),
      });
  });
  if (types === undefined) return faults;
  const named = domains.filter((d): d is string => typeof d === 'string');
  const carried = new Set(
    (named.includes(ANY) ? known : named).flatMap((d) => contracts.latest(d)?.messageTypes ?? []),
  );
  types.forEach((type, j) => {
    if (typeof type === 'string' && type !== ANY && !carried.has(type))
      faults.push({
        pointer: `${at}/types/${j}`,
        detail: configFault('noType', {
          type,
          known: listOf([...carried].sort()),
          hint: closestOf(type, [...carried]),
        }),
      });
  });
  return faults;
}
