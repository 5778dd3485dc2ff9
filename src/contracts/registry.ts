import { YrdxError } from '../errors/errors.js';
import { compareContracts } from './breaking-changes.js';
import type { Contract } from './contract.js';

/** A contract version this node accepts, as listed in its node document. */
export interface ContractRef {
  readonly domain: string;
  readonly version: string;
  /** The message types it carries, when known. */
  readonly messageTypes?: readonly string[];
}

const parse = (v: string) => v.split('.').map(Number) as [number, number, number];

/**
 * The contracts a node holds, by domain and version. Versions are immutable; within a major, the
 * newest minor is the one used to translate; several majors may coexist while partners migrate.
 */
export class ContractRegistry {
  readonly #byDomain = new Map<string, Map<string, Contract>>();
  /** Ids (`domain@version`) of deprecated versions: still read, no longer sent nor announced. */
  readonly #deprecated = new Set<string>();

  /**
   * Adds a contract version. A version already present is refused (versions are immutable), and
   * so is a minor or patch release that is not backward compatible with the newest earlier release
   * of its major; the error lists every breaking change.
   */
  add(contract: Contract): void {
    const [major] = parse(contract.version);
    const earlier = this.list()
      .filter(
        (c) =>
          c.domain === contract.domain &&
          parse(c.version)[0] === major &&
          compareVersions(c.version, contract.version) < 0,
      )
      .at(-1);
    if (earlier !== undefined && !this.#byDomain.get(contract.domain)?.has(contract.version)) {
      const changes = compareContracts(earlier, contract);
      if (changes.length > 0) {
        throw new YrdxError('contract_incompatible', {
          params: { contract: contract.id, previous: earlier.id, count: changes.length },
          errors: changes.map((c) => ({
            file: c.schema,
            pointer: c.pointer,
            rule: c.change,
            detail: c.detail,
          })),
        });
      }
    }
    let versions = this.#byDomain.get(contract.domain);
    if (versions === undefined) {
      versions = new Map();
      this.#byDomain.set(contract.domain, versions);
    }
    if (versions.has(contract.version))
      throw new YrdxError('contract_version_exists', { params: { contract: contract.id } });
    versions.set(contract.version, contract);
  }

  /** Every contract, sorted by domain and version. */
  list(): Contract[] {
    return [...this.#byDomain.values()]
      .flatMap((v) => [...v.values()])
      .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  }

  /** Every domain with a contract, sorted. */
  domains(): string[] {
    return [...this.#byDomain.keys()].sort();
  }

  get(domain: string, version: string): Contract | undefined {
    return this.#byDomain.get(domain)?.get(version);
  }

  /** The newest version of the domain that is not deprecated, or the newest within `major`: the one new messages use. */
  latest(domain: string, major?: number): Contract | undefined {
    return this.#newest(domain, major, false);
  }

  /**
   * Marks a version deprecated: messages sealed under it are still read, but new messages use the
   * newest version that is not deprecated, and the node document no longer announces it.
   */
  deprecate(id: string): boolean {
    const [domain = '', version = ''] = id.split('@');
    if (this.get(domain, version) === undefined) return false;
    this.#deprecated.add(id);
    return true;
  }

  /** Undoes `deprecate`. */
  reinstate(id: string): boolean {
    return this.#deprecated.delete(id);
  }

  isDeprecated(id: string): boolean {
    return this.#deprecated.has(id);
  }

  #newest(domain: string, major: number | undefined, includeDeprecated: boolean): Contract | undefined {
    const versions = [...(this.#byDomain.get(domain)?.values() ?? [])].filter(
      (c) =>
        (major === undefined || parse(c.version)[0] === major) &&
        (includeDeprecated || !this.#deprecated.has(c.id)),
    );
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
    const candidate = this.#newest(domain, major, true);
    return candidate && parse(candidate.version)[1] >= minor ? candidate : undefined;
  }

  /** The `domain@version` identifiers this node announces in its node document (deprecated ones are left out). */
  accepted(): ContractRef[] {
    return this.list()
      .filter((c) => !this.#deprecated.has(c.id))
      .map((c) => ({ domain: c.domain, version: c.version, messageTypes: c.messageTypes }));
  }
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parse(a), parse(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}
