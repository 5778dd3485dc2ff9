import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadContracts } from '../../contracts/load-all.js';
import { compileValidators } from '../../contracts/validators-ajv.js';
import { YrdxError } from '../../errors/errors.js';
import { suggest } from '../../text/suggest.js';
import { readContractsDir } from '../node/contracts-dir.js';
import { aheadOfTimeRuns } from '../node/runs.js';
import { HintedError, type Io, language } from './output.js';
import { bilingual, listIn, textOf, texts } from './text.js';

export const TEXT = bilingual({
  zh: {
    unknown: '{dir} 下没有业务领域 "{name}"',
    known: '可用的{what}：{names}',
    didYouMean: '是否要输入 "{name}"？',
    domains: '业务领域',
    dialects: '方言',
    types: '报文类型',
  },
  en: {
    unknown: 'no domain "{name}" under {dir}',
    known: 'the {what} there are: {names}',
    didYouMean: 'did you mean "{name}"?',
    domains: 'domains',
    dialects: 'dialects',
    types: 'message types',
  },
});

/** Folders of the contracts layout that hold no domain. */
const NOT_DOMAINS = new Set(['core', 'reference', 'build']);

/** The domains of a contracts folder: its sub-folders that are not the cores, references or build. */
export function knownDomains(dirPath: string): string[] {
  if (!existsSync(dirPath)) return [];
  return readdirSync(dirPath)
    .filter((n) => !n.startsWith('.') && !NOT_DOMAINS.has(n) && statSync(join(dirPath, n)).isDirectory())
    .sort();
}

/**
 * The lines that help after an unknown name: the names there are, and the closest one if any is close.
 * `what` names the kind: 'domains', 'dialects' or 'types'.
 */
export function namesHint(
  io: Pick<Io, 'env'>,
  what: 'domains' | 'dialects' | 'types',
  name: string,
  known: readonly string[],
): string[] {
  const t = texts(io, TEXT);
  const close = suggest(name, known)[0];
  return [
    t('known', { what: t(what), names: listIn(language(io.env), known) }),
    ...(close === undefined ? [] : [t('didYouMean', { name: close })]),
  ];
}

/** Refuses a domain the folder does not hold (`contract_unknown`), naming those it does and the closest. */
export function checkDomain(dirPath: string, domain: string, io: Pick<Io, 'env'>): void {
  const known = knownDomains(dirPath);
  if (known.includes(domain)) return;
  const reason = textOf(TEXT, 'unknown', { dir: dirPath, name: domain });
  throw new HintedError(
    new YrdxError('contract_unknown', { params: { reason } }),
    namesHint(io, 'domains', domain, known),
  );
}

/**
 * The contracts of a folder (one domain, or all), compiled with their ahead-of-time code as a node
 * runs them; every fault of a contract that does not load is printed to stderr with its file and pointer.
 */
export function loadOrFail(dirPath: string, io: Io, domain?: string) {
  const dir = readContractsDir(dirPath, domain === undefined ? {} : { domain });
  const loaded = loadContracts(
    dir.core,
    dir.contracts,
    (_key, schemas) => compileValidators(dir.core, schemas),
    { runs: aheadOfTimeRuns(dirPath).runs },
  );
  for (const [base, list] of loaded.faults) {
    for (const f of list) io.err(`${base}/${f.file}#${f.pointer}: ${f.detail}\n`);
  }
  return { dir, ...loaded };
}
