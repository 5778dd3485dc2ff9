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
} as const satisfies Record<string, ProblemSpec>;
