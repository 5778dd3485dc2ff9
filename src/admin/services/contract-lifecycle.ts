import { admitContractFiles } from '../../contracts/admit.js';
import { compareContracts } from '../../contracts/breaking-changes.js';
import { checkContract } from '../../contracts/checks.js';
import { type Contract, loadContract, type ValidatorProvider } from '../../contracts/contract.js';
import { authoringText } from '../../contracts/fault-text.js';
import type { ContractFault } from '../../contracts/faults.js';
import type { ContractFiles } from '../../contracts/files.js';
import { type ContractRegistry, compareVersions } from '../../contracts/registry.js';
import type { CoreSchemas } from '../../contracts/schema-walk.js';
import { type ProblemItem, YrdxError } from '../../errors/errors.js';
import { adminReason } from '../reason-text.js';
import type { AdminStateStore, ContractStatus } from '../state.js';

/** One version as the admin API lists it. */
export interface ContractVersionInfo {
  readonly domain: string;
  readonly version: string;
  readonly status: ContractStatus;
  readonly title: string;
  readonly messageTypes: readonly string[];
  readonly dialects: readonly string[];
  /** `built`: runs in the code `yrdx contracts build` wrote; `engine`: in the engine; `mixed`: both. */
  readonly translation: 'built' | 'mixed' | 'engine';
}

const major = (v: string) => Number(v.split('.')[0]);

/**
 * The lifecycle of contract versions on a running node: an uploaded version is checked exactly as
 * at boot (schemas compile, mapping checks, examples round-trip) and against the previous release
 * of its major, then published as `staged`. Activation puts it in the registry that the exchange
 * translates with, at once; deprecation keeps it readable but stops new messages using it.
 * Published versions are immutable.
 */
export class ContractLifecycle {
  readonly #staged = new Map<string, Contract>();
  readonly #statuses: Map<string, ContractStatus>;

  constructor(
    readonly registry: ContractRegistry,
    private readonly core: CoreSchemas,
    private readonly options: {
      /** Compiles validators for an upload; absent where schemas cannot be compiled at run time. */
      readonly validators?: ValidatorProvider;
      readonly state?: AdminStateStore;
      /** Statuses restored from an earlier run (`domain@version` → status). */
      readonly statuses?: Readonly<Record<string, ContractStatus>>;
      /** Versions uploaded earlier and not activated. */
      readonly staged?: readonly Contract[];
      /** Binds ahead-of-time code to an upload's plans (before its checks run, so they run that code). */
      readonly bind?: (contract: Contract) => void;
    } = {},
  ) {
    this.#statuses = new Map(Object.entries(options.statuses ?? {}));
    for (const c of options.staged ?? []) this.#staged.set(c.id, c);
  }

  status(id: string): ContractStatus | undefined {
    if (this.#staged.has(id)) return 'staged';
    const [domain = '', version = ''] = id.split('@');
    if (this.registry.get(domain, version) === undefined) return undefined;
    return this.registry.isDeprecated(id) ? 'deprecated' : 'active';
  }

  /** Every version, active, deprecated and staged, sorted by domain and version. */
  list(): ContractVersionInfo[] {
    return [...this.registry.list(), ...this.#staged.values()]
      .sort((a, b) => a.domain.localeCompare(b.domain) || compareVersions(a.version, b.version))
      .map((c) => this.#info(c));
  }

  /** A version, whatever its status. */
  find(domain: string, version: string): Contract | undefined {
    return this.registry.get(domain, version) ?? this.#staged.get(`${domain}@${version}`);
  }

  info(domain: string, version: string): ContractVersionInfo {
    const contract = this.find(domain, version);
    if (contract === undefined)
      throw new YrdxError('contract_not_found', { params: { contract: `${domain}@${version}` } });
    return this.#info(contract);
  }

  /**
   * Checks and publishes a new version as `staged`. Refused with every fault at once: names that
   * would not be plain file names, files past the bounds and patterns the engine refuses
   * (`contract_files_refused`, before anything else reads them), faults in the files, failed
   * mapping checks, and each breaking change against the previous release of its major.
   */
  async upload(files: ContractFiles): Promise<ContractVersionInfo> {
    const meta = files.contract as { domain?: unknown; version?: unknown };
    const domain = typeof meta?.domain === 'string' ? meta.domain : '';
    const version = typeof meta?.version === 'string' ? meta.version : '';
    const id = `${domain}@${version}`;
    if (this.options.validators === undefined) {
      throw new YrdxError('admin_unsupported', {
        params: { reason: adminReason('noCompile') },
      });
    }
    const refused = admitContractFiles(files, { compilePatterns: true });
    if (refused.length > 0) throw filesRefused(id, refused);
    if (this.find(domain, version) !== undefined) {
      throw new YrdxError('contract_version_exists', { params: { contract: id } });
    }
    const loaded = loadContract(files, this.core, this.options.validators);
    if (!Array.isArray(loaded)) this.options.bind?.(loaded);
    const faults: readonly ContractFault[] = Array.isArray(loaded) ? loaded : checkContract(loaded);
    if (Array.isArray(loaded) || faults.length > 0) {
      throw new YrdxError('contract_upload_invalid', {
        params: { contract: id, count: faults.length },
        errors: faults.map((f) => ({ file: f.file, pointer: f.pointer, detail: authoringText(f.detail) })),
      });
    }
    const contract = loaded as Contract;
    const previous = this.#previous(contract);
    if (previous !== undefined) {
      const changes = compareContracts(previous, contract);
      if (changes.length > 0) {
        throw new YrdxError('contract_incompatible', {
          params: { contract: id, previous: previous.id, count: changes.length },
          errors: changes.map(
            (c): ProblemItem => ({
              file: c.schema,
              pointer: c.pointer,
              rule: c.change,
              detail: c.detail,
            }),
          ),
        });
      }
    }
    await this.options.state?.saveContractVersion(domain, version, files);
    this.#staged.set(id, contract);
    this.#statuses.set(id, 'staged');
    await this.#saveStatuses();
    return this.#info(contract);
  }

  /**
   * Why activating or deprecating a version would be refused now, or undefined when it would be
   * done: the one rule `activate` and `deprecate` apply, for callers that offer only what is allowed.
   */
  refusal(change: 'activate' | 'deprecate', domain: string, version: string): YrdxError | undefined {
    const id = `${domain}@${version}`;
    const status = this.status(id);
    if (status === undefined) return new YrdxError('contract_not_found', { params: { contract: id } });
    if (change === 'activate') {
      return status === 'active'
        ? new YrdxError('contract_state_conflict', { params: { contract: id, status, action: 'activated' } })
        : undefined;
    }
    if (status !== 'active') {
      return new YrdxError('contract_state_conflict', {
        params: { contract: id, status, action: 'deprecated' },
      });
    }
    // The domain must keep a version to send with.
    if (this.registry.accepted().filter((c) => c.domain === domain).length <= 1)
      return new YrdxError('contract_last_active', { params: { contract: id, domain } });
    return undefined;
  }

  /** Makes a staged (or deprecated) version the one used: traffic uses it from the next message. */
  async activate(domain: string, version: string): Promise<ContractVersionInfo> {
    const id = `${domain}@${version}`;
    const refused = this.refusal('activate', domain, version);
    if (refused !== undefined) throw refused;
    if (this.status(id) === 'staged') {
      this.registry.add(this.#staged.get(id)!);
      this.#staged.delete(id);
    } else {
      this.registry.reinstate(id);
    }
    this.#statuses.set(id, 'active');
    await this.#saveStatuses();
    return this.info(domain, version);
  }

  /** Deprecates an active version: still read, no longer sent nor announced. */
  async deprecate(domain: string, version: string): Promise<ContractVersionInfo> {
    const id = `${domain}@${version}`;
    const refused = this.refusal('deprecate', domain, version);
    if (refused !== undefined) throw refused;
    this.registry.deprecate(id);
    this.#statuses.set(id, 'deprecated');
    await this.#saveStatuses();
    return this.info(domain, version);
  }

  /** The newest earlier release of the same major, staged or not: what a new minor must stay compatible with. */
  #previous(contract: Contract): Contract | undefined {
    return [...this.registry.list(), ...this.#staged.values()]
      .filter(
        (c) =>
          c.domain === contract.domain &&
          major(c.version) === major(contract.version) &&
          compareVersions(c.version, contract.version) < 0,
      )
      .sort((a, b) => compareVersions(a.version, b.version))
      .at(-1);
  }

  async #saveStatuses(): Promise<void> {
    await this.options.state?.saveContractStatuses(Object.fromEntries(this.#statuses));
  }

  #info(c: Contract): ContractVersionInfo {
    return {
      domain: c.domain,
      version: c.version,
      status: this.status(c.id) ?? 'staged',
      title: c.title,
      messageTypes: c.messageTypes,
      dialects: [...c.dialects.keys()],
      translation: c.translation,
    };
  }
}

/** `contract_files_refused` with each fault's file, pointer and rule. */
export function filesRefused(contract: string, faults: readonly ContractFault[]): YrdxError {
  return new YrdxError('contract_files_refused', {
    params: { contract, count: faults.length },
    errors: faults.map(
      (f): ProblemItem => ({
        file: f.file,
        pointer: f.pointer,
        detail: authoringText(f.detail),
        ...(f.rule === undefined ? {} : { rule: f.rule }),
      }),
    ),
  });
}
