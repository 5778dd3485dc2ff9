import { closestOf, configFault } from '../../config/fault-text.js';
import type { NodeConfig } from '../../config/types.js';
import type { ContractRegistry } from '../../contracts/registry.js';
import type { ProblemItem } from '../../errors/errors.js';
import { listOf } from '../../errors/text.js';
import { ANY } from '../../vocabulary/messages.js';

/**
 * Configuration mistakes only the contracts can reveal, found at start (and by `yrdx config check`)
 * rather than on the first message, every one at once: a domain or message type no loaded contract
 * declares (the node's `domains`, partners' `maySend` and `subscribes`, local systems' `maySend` and
 * `receives`, types judged against the major a local system pins), a local system's dialect that no
 * contract of a domain it sends or receives knows (e.g. "zhejiang" for "zj"), or a pinned major
 * (`contractMajors`) with no version. Each names what the node knows, and the closest name.
 */
export function localSystemFaults(config: NodeConfig, contracts: ContractRegistry): ProblemItem[] {
  const faults: ProblemItem[] = [];
  const known = contracts.domains();
  const unknownDomain = (pointer: string, domain: string) => {
    if (domain !== ANY && !known.includes(domain))
      faults.push({
        pointer,
        detail: configFault('noDomain', { domain, known: listOf(known), hint: closestOf(domain, known) }),
      });
  };
  config.domains.forEach((domain, i) => {
    unknownDomain(`/domains/${i}`, domain);
  });
  config.partners.forEach((partner, i) => {
    faults.push(
      ...scopeFaults(contracts, `/partners/${i}/maySend`, partner.maySend.domains, partner.maySend.types),
    );
    partner.subscribes.forEach((domain, j) => {
      unknownDomain(`/partners/${i}/subscribes/${j}`, domain);
    });
  });
  config.localSystems.forEach((system, i) => {
    const pinned = { majors: system.contractMajors };
    faults.push(
      ...scopeFaults(
        contracts,
        `/localSystems/${i}/maySend`,
        system.maySend.domains,
        system.maySend.types,
        pinned,
      ),
      ...scopeFaults(
        contracts,
        `/localSystems/${i}/receives`,
        system.receives.domains,
        system.receives.types,
        pinned,
      ),
    );
    const named = [...system.maySend.domains, ...system.receives.domains];
    const domains = named.includes(ANY) ? contracts.domains() : [...new Set(named)];
    for (const domain of domains.filter((d) => known.includes(d))) {
      const major = system.contractMajors[domain];
      const contract = contracts.latest(domain, major);
      if (contract === undefined) {
        if (major !== undefined) {
          const majors = [
            ...new Set(
              contracts
                .list()
                .filter((c) => c.domain === domain)
                .map((c) => Number(c.version.split('.')[0])),
            ),
          ];
          faults.push({
            pointer: `/localSystems/${i}/contractMajors/${domain}`,
            detail: configFault('noMajor', {
              domain,
              major,
              known: listOf(majors.sort((a, b) => a - b).map(String)),
            }),
          });
        }
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
 * with the ones there are and the closest: a partner or local system configured with them would be
 * refused at the first message, so they are refused where they are written (configuration, admin
 * API, console). Types are those of the newest contract of each domain, or of the major `majors` pins.
 */
export function scopeFaults(
  contracts: ContractRegistry,
  at: string,
  domains: readonly unknown[],
  types: readonly unknown[] | undefined,
  options: { readonly majors?: Readonly<Partial<Record<string, number>>> } = {},
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
  const named = domains.filter((d): d is string => typeof d === 'string' && (d === ANY || known.includes(d)));
  // Types of unknown domains are judged against every loaded domain (the domain is already a fault).
  const carried = new Set(
    (named.length === 0 || named.includes(ANY) ? known : named).flatMap(
      // A pinned major with no version is its own fault (contractMajors); its types are the newest's.
      (d) => (contracts.latest(d, options.majors?.[d]) ?? contracts.latest(d))?.messageTypes ?? [],
    ),
  );
  const available = [...carried].sort();
  types.forEach((type, j) => {
    if (typeof type === 'string' && type !== ANY && !carried.has(type))
      faults.push({
        pointer: `${at}/types/${j}`,
        detail: configFault('noType', { type, known: listOf(available), hint: closestOf(type, available) }),
      });
  });
  return faults;
}
