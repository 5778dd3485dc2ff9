import type { ProblemSpec } from './spec.js';

/** Problems of the HTTP surface, configuration and keys. */
export const generalProblems = {
  not_found: {
    status: 404,
    title: 'Not found',
    zh: '请求的地址不存在。',
    en: 'The requested resource does not exist.',
  },
  internal_error: {
    status: 500,
    title: 'Internal error',
    zh: '网关内部错误，请联系本节点运维人员并提供请求编号。',
    en: 'Internal gateway error; contact this node’s operators with the request id.',
  },
  config_invalid: {
    status: 500,
    title: 'Invalid configuration',
    zh: '配置文件 {file} 无效，共 {count} 处问题。',
    en: 'The configuration file {file} is invalid: {count} problem(s).',
  },
  keys_unavailable: {
    status: 503,
    title: 'Signing keys unavailable',
    zh: '本节点的签名密钥不可用：{reason}。',
    en: 'This node’s signing keys are unavailable: {reason}.',
  },
  keys_invalid: {
    status: 500,
    title: 'Invalid key material',
    zh: '密钥材料无效：{reason}。',
    en: 'The key material is invalid: {reason}.',
  },
  key_rotation_refused: {
    status: 409,
    title: 'Key rotation refused',
    zh: '不能轮换密钥：{reason}。',
    en: 'The key cannot be rotated: {reason}.',
  },
  partner_keys_unavailable: {
    status: 502,
    title: 'Partner keys unavailable',
    zh: '无法取得合作方 {partner} 的公钥：{reason}。',
    en: 'The public keys of partner {partner} cannot be obtained: {reason}.',
  },
  contract_invalid: {
    status: 500,
    title: 'Invalid contract',
    zh: '数据契约 {contract} 无效，共 {count} 处问题。',
    en: 'The contract {contract} is invalid: {count} problem(s).',
  },
  contract_unknown: {
    status: 422,
    title: 'Unknown contract',
    zh: '本节点没有可用的数据契约：{reason}。',
    en: 'This node has no usable contract: {reason}.',
  },
  contract_incompatible: {
    status: 409,
    title: 'Incompatible contract version',
    zh: '数据契约 {contract} 与上一版本 {previous} 不兼容，共 {count} 处破坏性变更。',
    en: 'The contract {contract} is not compatible with {previous}: {count} breaking change(s).',
  },
  contract_version_exists: {
    status: 409,
    title: 'Contract version exists',
    zh: '数据契约 {contract} 已发布，已发布的版本不可更改。',
    en: 'The contract {contract} is already published; published versions are immutable.',
  },
  document_invalid: {
    status: 422,
    title: 'Invalid document',
    zh: '报文内容不符合数据契约 {contract}（{dialect}），共 {count} 处错误。',
    en: 'The document does not conform to the contract {contract} ({dialect}): {count} error(s).',
  },
} as const satisfies Record<string, ProblemSpec>;
