import { YrdxError } from '../errors/errors.js';
import { type LocalText, listOf, type TextParams, textOf } from '../errors/text.js';
import { suggest } from '../text/suggest.js';
import type { Contract } from './contract.js';
import type { ContractRegistry } from './registry.js';

type Key = keyof (typeof CONTRACT_UNKNOWN_TEXT)['zh'];

/**
 * Why this node has no contract for a request, naming what it does know and the closest match: the
 * `reason` of a `contract_unknown` refusal, in each language.
 */
export const CONTRACT_UNKNOWN_TEXT = {
  zh: {
    domain: '本节点没有业务领域“{domain}”的数据契约（本节点的业务领域：{known}）{hint}',
    major:
      '本节点没有业务领域“{domain}”第 {major} 版的数据契约（本地系统 {system} 的 contractMajors；本节点有：{known}）',
    version: '本节点没有数据契约 {domain}@{version}（本节点有：{known}）{hint}',
    accepted: '本节点不接受数据契约 {contract}（本节点接受：{known}）',
    dialect: '数据契约 {contract} 没有方言“{dialect}”（它的方言：{known}）{hint}',
    type: '数据契约 {contract} 的方言 {dialect} 不承载报文类型“{type}”（它承载：{known}）{hint}',
    hint: '；最接近的是：{names}',
    noHint: '',
  },
  en: {
    domain: 'this node has no contract for the domain "{domain}" (its domains: {known}){hint}',
    major:
      'this node has no contract for the domain "{domain}" major {major} (contractMajors of the local system {system}; it has: {known})',
    version: 'this node has no contract {domain}@{version} (it has: {known}){hint}',
    accepted: 'this node does not accept the contract {contract} (it accepts: {known})',
    dialect: 'the contract {contract} has no dialect "{dialect}" (its dialects: {known}){hint}',
    type: 'the dialect {dialect} of the contract {contract} does not carry the message type "{type}" (it carries: {known}){hint}',
    hint: '; the closest: {names}',
    noHint: '',
  },
} as const satisfies { zh: Record<string, string>; en: Record<string, string> };

CONTRACT_UNKNOWN_TEXT.en satisfies Record<Key, string>;

function refusal(key: Key, params: TextParams): YrdxError {
  return new YrdxError('contract_unknown', {
    params: { reason: textOf(CONTRACT_UNKNOWN_TEXT, key, params) },
  });
}

/** "Did you mean" for `input` among `known`, or nothing. */
function hintFor(input: string, known: readonly string[]): LocalText {
  const close = suggest(input, known);
  return close.length === 0
    ? textOf(CONTRACT_UNKNOWN_TEXT, 'noHint')
    : textOf(CONTRACT_UNKNOWN_TEXT, 'hint', { names: listOf(close) });
}

const domainsOf = (registry: ContractRegistry) => [...new Set(registry.list().map((c) => c.domain))].sort();

/** No contract for `domain` (of `major`, when a local system pins one). */
export function unknownDomain(
  registry: ContractRegistry,
  domain: string,
  major?: number,
  system?: string,
): YrdxError {
  const domains = domainsOf(registry);
  if (major !== undefined && domains.includes(domain)) {
    const versions = registry
      .list()
      .filter((c) => c.domain === domain)
      .map((c) => c.id);
    return refusal('major', { domain, major, system: system ?? '—', known: listOf(versions) });
  }
  return refusal('domain', { domain, known: listOf(domains), hint: hintFor(domain, domains) });
}

/** No contract `domain@version`. */
export function unknownVersion(registry: ContractRegistry, domain: string, version: string): YrdxError {
  if (!domainsOf(registry).includes(domain)) return unknownDomain(registry, domain);
  const versions = registry
    .list()
    .filter((c) => c.domain === domain)
    .map((c) => c.version);
  return refusal('version', {
    domain,
    version,
    known: listOf(versions.map((v) => `${domain}@${v}`)),
    hint: hintFor(version, versions),
  });
}

/** A message sealed under a contract this node does not accept. */
export function notAccepted(registry: ContractRegistry, contract: string): YrdxError {
  return refusal('accepted', {
    contract,
    known: listOf(registry.accepted().map((r) => `${r.domain}@${r.version}`)),
  });
}

/** A dialect the contract does not have. */
export function unknownDialect(contract: Contract, dialect: string): YrdxError {
  const known = [...contract.dialects.keys()].sort();
  return refusal('dialect', {
    contract: contract.id,
    dialect,
    known: listOf(known),
    hint: hintFor(dialect, known),
  });
}

/** A message type the dialect does not carry. */
export function typeNotCarried(
  contract: Contract,
  dialect: string,
  type: string,
  carried: readonly string[],
): YrdxError {
  return refusal('type', {
    contract: contract.id,
    dialect,
    type,
    known: listOf(carried),
    hint: hintFor(type, carried),
  });
}
