import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractLifecycle } from '../../admin/services/contract-lifecycle.js';
import type { NodeConfig } from '../../config/types.js';
import { checkContract } from '../../contracts/checks.js';
import { type Contract, loadContract, type ValidatorProvider } from '../../contracts/contract.js';
import { authoringText } from '../../contracts/fault-text.js';
import { KnownRuns } from '../../contracts/known-runs.js';
import { loadContracts } from '../../contracts/load-all.js';
import { type ContractRegistry, compareVersions } from '../../contracts/registry.js';
import { compileValidators } from '../../contracts/validators-ajv.js';
import { type ProblemItem, YrdxError } from '../../errors/errors.js';
import { localSystemFaults } from '../../exchange/local/dialect-check.js';
import { dataKeyAlgorithm, hasProfileDataKey, rotateDataKeys } from '../../keys/data-keys.js';
import { createKeyring, type KeyringDocument, NodeKeyring } from '../../keys/keyring.js';
import type { KeySource } from '../../keys/source.js';
import { keyReason } from '../../keys/text.js';
import { PartnerRegistry } from '../../trust/partner-registry.js';
import { type NodeAdminState, nodeAdminState } from './admin-state.js';
import { type ConfigStamp, loadStampedConfigFile } from './config-file.js';
import { readContractsDir, readCores } from './contracts-dir.js';
import { type DataDirLock, lockDataDir } from './data-dir-lock.js';
import { nodeOutboundClient } from './http-client.js';
import { nodeKeySource, writeFileAtomic } from './key-sources.js';
import { aheadOfTimeRuns } from './runs.js';
import { nodeStoreConfig } from './store.js';

export interface NodeState {
  readonly config: NodeConfig;
  readonly configFile: string;
  /** The configuration file as it was loaded, to tell when it changed without a restart. */
  readonly configStamp?: ConfigStamp;
  readonly keySource: KeySource;
  keyring: NodeKeyring;
  readonly partners: PartnerRegistry;
  readonly contracts: ContractRegistry;
  /** Uploads, activation and deprecation of contract versions, over `contracts`. */
  readonly lifecycle: ContractLifecycle;
  /** Where admin changes are kept (the data directory). */
  readonly adminState: NodeAdminState;
  /** Partners whose registration comes from admin changes rather than the configuration file. */
  readonly runtimePartners: readonly string[];
  /** This process's hold on the data directory (`lockDataDir`). */
  readonly dataDirLock?: DataDirLock;
}

export interface BootOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => number;
  /**
   * Fetch for partner JWKS URLs (default: the node's bounded outbound client, with the
   * configuration's address policy, for the time of the refresh).
   */
  readonly fetch?: typeof fetch;
  readonly log?: (msg: string, fields?: Record<string, unknown>) => void;
  /**
   * Take the data directory for this process when the store is SQLite (`npm start` does; the CLI,
   * the demo and in-process tests do not): a second node on it is refused with `data_dir_locked`.
   */
  readonly lockDataDir?: boolean;
}

/** How long partners must keep a retired key: the longest lifetime plus skew. */
export function retainRetiredSeconds(config: NodeConfig): number {
  return config.envelope.maxLifetimeSeconds + config.envelope.clockSkewSeconds;
}

/**
 * Loads this node's keyring; on the first run of a node with a file key source, generates an active
 * and a next key into the data directory. Also writes the public JWKS to `<dataDir>/jwks.json`.
 */
export async function loadKeyring(
  config: NodeConfig,
  options: BootOptions,
  /**
   * `required` (a node, which encrypts what it stores): a read-only key source without a data key is
   * `data_key_missing`. `if-writable` (the key commands, which only read and write signing keys): such
   * a source is read as it is.
   */
  dataKey: 'required' | 'if-writable' = 'required',
): Promise<{ keySource: KeySource; keyring: NodeKeyring }> {
  const keySource = nodeKeySource(config.keys, config.dataDir, options.env, options.now);
  let doc = await keySource.load();
  if (doc === undefined) {
    if (keySource.save === undefined) {
      throw new YrdxError('keys_unavailable', {
        params: { reason: keyReason('noKeys', { source: keySource.description }) },
      });
    }
    doc = await createKeyring(
      config.id,
      config.keys.algorithm,
      options.now(),
      config.rotation.keyLifetimeDays,
      dataKeyAlgorithm(config.cryptoProfile),
    );
    await keySource.save(doc);
    options.log?.('generated this node’s first keys', {
      source: keySource.description.en,
      kids: doc.keys.map((k) => k.kid),
    });
  }
  if (dataKey === 'required' || keySource.save !== undefined)
    doc = await ensureDataKey(config, keySource, doc, options);
  const keyring = await NodeKeyring.load(doc, config.id, {
    retainRetiredSeconds: retainRetiredSeconds(config),
    profile: config.cryptoProfile,
  });
  publishJwksFile(config, keyring, options.now());
  return { keySource, keyring };
}

/**
 * A node encrypts what it stores with the active data key of its profile's algorithm (SM4-GCM under
 * the national profile, AES-256-GCM otherwise). A key source without one gets one when yrdx can
 * write to it (the active key of another algorithm is retired, kept to read what it sealed); a
 * read-only source (environment, Workers secret) is `data_key_missing`, naming the command.
 */
export async function ensureDataKey(
  config: NodeConfig,
  keySource: KeySource,
  doc: KeyringDocument,
  options: Pick<BootOptions, 'now' | 'log'>,
): Promise<KeyringDocument> {
  const alg = dataKeyAlgorithm(config.cryptoProfile);
  if (hasProfileDataKey(doc, alg)) return doc;
  if (keySource.save === undefined)
    throw new YrdxError('data_key_missing', { params: { source: keySource.description, alg } });
  const rotation = rotateDataKeys(doc, alg, options.now());
  await keySource.save(rotation.document);
  options.log?.('generated a data key for encryption at rest', {
    source: keySource.description.en,
    id: rotation.activated,
    alg,
  });
  return rotation.document;
}

/** Writes the public JWKS beside the data, for administrators to hand to partners. */
export function publishJwksFile(config: NodeConfig, keyring: NodeKeyring, nowMs: number): string {
  const path = resolve(config.dataDir, 'jwks.json');
  writeFileAtomic(path, `${JSON.stringify(keyring.jwks(Math.floor(nowMs / 1000)), null, 2)}\n`, 0o644);
  return path;
}

/** The folder of the yrdx installation (where package.json is), from the sources or from dist/. */
function installationRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * Loads, compiles and checks every contract. A node refuses to start with a contract that fails a
 * check: it would otherwise translate with a mapping nobody could prove.
 */
export function loadNodeContracts(
  config: NodeConfig,
  log?: (message: string, fields: Record<string, unknown>) => void,
  known?: KnownRuns,
): ContractRegistry {
  const root = contractsRoot(config);
  const dir = readContractsDir(root);
  const aot = aheadOfTimeRuns(root, known);
  const { registry, faults } = loadContracts(
    dir.core,
    dir.contracts,
    (_key, schemas) => compileValidators(dir.core, schemas),
    { runs: aot.runs },
  );
  if (aot.notCurrent.length > 0)
    log?.(
      'contracts without current translation code run in the engine (slower); run "yrdx contracts build"',
      {
        contracts: aot.notCurrent,
      },
    );
  const errors = [...faults].flatMap(([base, list]) =>
    list.map((f) => ({ file: `${base}/${f.file}`, pointer: f.pointer, detail: authoringText(f.detail) })),
  );
  if (errors.length > 0) {
    throw new YrdxError('contract_invalid', { params: { contract: root, count: errors.length }, errors });
  }
  return registry;
}

function contractsRoot(config: NodeConfig): string {
  return config.contractsDir ?? join(installationRoot(), 'contracts');
}

/**
 * Restores the contract lifecycle from the data directory: versions uploaded through the admin API
 * are compiled and checked again, then activated, deprecated or kept staged as they were left. They
 * and later uploads run the built code of every plan identical to a built one (`known`).
 */
export function restoreContractLifecycle(
  config: NodeConfig,
  registry: ContractRegistry,
  adminState: NodeAdminState,
  known: KnownRuns = new KnownRuns(),
): ContractLifecycle {
  const root = contractsRoot(config);
  const core = readCores(root);
  const validators: ValidatorProvider = (_key, schemas) => compileValidators(core, schemas);
  const statuses = adminState.loadContractStatuses();
  const staged: Contract[] = [];
  const errors: ProblemItem[] = [];
  const uploaded = adminState
    .loadUploadedContracts()
    .map((files) => ({ files, loaded: loadContract(files, core, validators) }))
    .sort((a, b) =>
      Array.isArray(a.loaded) || Array.isArray(b.loaded)
        ? 0
        : compareVersions(a.loaded.version, b.loaded.version),
    );
  for (const { files, loaded } of uploaded) {
    if (!Array.isArray(loaded)) known.bind(loaded);
    const faults = Array.isArray(loaded) ? loaded : checkContract(loaded);
    if (Array.isArray(loaded) || faults.length > 0) {
      errors.push(
        ...faults.map((f) => ({
          file: `${files.base}/${f.file}`,
          pointer: f.pointer,
          detail: authoringText(f.detail),
        })),
      );
      continue;
    }
    if ((statuses[loaded.id] ?? 'staged') === 'staged') staged.push(loaded);
    else registry.add(loaded);
  }
  if (errors.length > 0) {
    throw new YrdxError('contract_invalid', {
      params: { contract: adminState.contractsDir, count: errors.length },
      errors,
    });
  }
  for (const [id, status] of Object.entries(statuses)) if (status === 'deprecated') registry.deprecate(id);
  return new ContractLifecycle(registry, core, {
    validators,
    state: adminState,
    statuses,
    staged,
    bind: (contract) => known.bind(contract),
  });
}

/** Loads configuration, keys and partners: everything `buildApp` needs on Node. */
export async function bootNode(configFile: string, options: BootOptions): Promise<NodeState> {
  const { config, stamp } = loadStampedConfigFile(configFile);
  // Before anything is written to the data directory (first keys, admin state, the store).
  const lock =
    options.lockDataDir && nodeStoreConfig(config, options.env).kind === 'sqlite'
      ? lockDataDir(config.dataDir, options.now)
      : undefined;
  try {
    return {
      ...(await bootLocked(configFile, config, options)),
      configStamp: stamp,
      ...(lock ? { dataDirLock: lock } : {}),
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function bootLocked(configFile: string, config: NodeConfig, options: BootOptions): Promise<NodeState> {
  const { keySource, keyring } = await loadKeyring(config, options);
  const adminState = nodeAdminState(config.dataDir);
  // Partners changed through the admin API take precedence over the file's entry of the same id.
  const runtime = adminState.loadPartners();
  const runtimeIds = new Set(runtime.map((p) => p.id));
  for (const p of config.partners) {
    if (runtimeIds.has(p.id))
      options.log?.('partner registered through the admin API; its configuration file entry is not used', {
        partner: p.id,
      });
  }
  const partnerConfigs = [...config.partners.filter((p) => !runtimeIds.has(p.id)), ...runtime];
  const partners = await PartnerRegistry.create(partnerConfigs, {
    file: resolve(configFile),
    ownId: config.id,
    ownThumbprints: keyring.keys.map((k) => k.thumbprint),
    readFile: (path) => readFileSync(path, 'utf8'),
  });
  if (partnerConfigs.some((p) => p.keys.jwksUrl !== undefined)) {
    const client = options.fetch === undefined ? nodeOutboundClient(config) : undefined;
    try {
      for (const fault of await partners.refresh(options.fetch ?? client!.fetch)) {
        options.log?.('partner keys could not be refreshed', {
          code: fault.code,
          detail: fault.detail('en'),
        });
      }
    } finally {
      await client?.close();
    }
  }
  const known = new KnownRuns();
  const contracts = loadNodeContracts(config, options.log, known);
  refuseLocalSystemFaults(configFile, config, contracts);
  const lifecycle = restoreContractLifecycle(config, contracts, adminState, known);
  return {
    config,
    configFile: resolve(configFile),
    keySource,
    keyring,
    partners,
    contracts,
    lifecycle,
    adminState,
    runtimePartners: [...runtimeIds],
  };
}

/**
 * A domain, message type, dialect or pinned major that no loaded contract knows stops the start,
 * every one at once, each naming its pointer and what the node knows.
 */
export function refuseLocalSystemFaults(file: string, config: NodeConfig, contracts: ContractRegistry): void {
  const faults = localSystemFaults(config, contracts);
  if (faults.length > 0)
    throw new YrdxError('config_invalid', {
      params: { file, count: faults.length },
      errors: faults.map((f) => ({ ...f, file })),
    });
}
