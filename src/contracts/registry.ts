import { YrdxError } from '../errors.js';
import type { Contract } from './contract.js';

const parse = (v: string) => v.split('.').map(Number) as [number, number, number];

/**
 * The contracts a node holds, by domain and version. Versions are immutable; within a major, the
 * newest minor is the one used to translate; several majors may coexist while partners migrate.
 */
export class ContractRegistry {
  readonly #byDomain = new Map<string, Map<string, Contract>>();

  add(contract: Contract): void {
    let versions = this.#byDomain.get(contract.domain);
    if (versions === undefined) {
      versions = new Map();
      this.#byDomain.set(contract.domain, versions);
    }
    if (versions.has(contract.version)) throw new YrdxError('contract_version_exists', { params: { contract: contract.id } });
    versions.set(contract.version, contract);
  }

  /** Every contract, sorted by domain and version. */
  list(): Contract[] {
    return [...this.#byDomain.values()].flatMap((v) => [...v.values()]).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  }

  get(domain: string, version: string): Contract | undefined {
    return this.#byDomain.get(domain)?.get(version);
  }

  /** The newest version of the domain, or the newest within `major`. */
  latest(domain: string, major?: number): Contract | undefined {
    const versions = [...(this.#byDomain.get(domain)?.values() ?? [])].filter((c) => major === undefined || parse(c.version)[0] === major);
    return versions.sort((a, b) => compareVersions(b.version, a.version))[0];
  }

  /**
   * The contract to read a message sealed under `domain@version`: that exact version, or a newer
   * minor of the same major (which is backward compatible by the registry's rule).
   */
  accepting(domain: string, version: string): Contract | undefined {
    const exact = this.get(domain, version);
    if (exact) return exact;
    const [major, minor] = parse(version);
    const candidate = this.latest(domain, major);
    return candidate && parse(candidate.version)[1] >= minor ? candidate : undefined;
  }

  /** The `domain@version` identifiers this node accepts, for its node document. */
  accepted(): { domain: string; version: string }[] {
    return this.list().map((c) => ({ domain: c.domain, version: c.version }));
  }
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parse(a), parse(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}
