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
  not_ready: {
    status: 503,
    title: 'Not ready',
    zh: '本节点尚未就绪：{components}。',
    en: 'This node is not ready: {components}.',
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
  auth_required: {
    status: 401,
    title: 'Authentication required',
    zh: '请求缺少本地系统的 API 密钥（Authorization: Bearer …）。',
    en: 'The request carries no local-system API key (Authorization: Bearer …).',
  },
  auth_invalid: {
    status: 401,
    title: 'Authentication failed',
    zh: 'API 密钥无效。',
    en: 'The API key is not valid.',
  },
  not_authorised: {
    status: 403,
    title: 'Not authorised',
    zh: '{who} 无权发送 {domain} 领域的 {type} 报文。',
    en: '{who} may not send {type} messages in the {domain} domain.',
  },
  unsupported_media_type: {
    status: 415,
    title: 'Unsupported media type',
    zh: '请求的内容类型应为 {expected}。',
    en: 'The request content type must be {expected}.',
  },
  body_too_large: {
    status: 413,
    title: 'Body too large',
    zh: '请求体超过上限（{limit} 字节）。',
    en: 'The request body exceeds the limit of {limit} bytes.',
  },
  body_invalid: {
    status: 400,
    title: 'Malformed body',
    zh: '请求体不是有效的 JSON：{reason}。',
    en: 'The request body is not valid JSON: {reason}.',
  },
  request_invalid: {
    status: 422,
    title: 'Invalid request',
    zh: '请求内容有误，共 {count} 处问题。',
    en: 'The request is invalid: {count} problem(s).',
  },
  partner_unknown: {
    status: 422,
    title: 'Unknown partner',
    zh: '收件方 {partner} 不是本节点已登记的合作方，或已被暂停。',
    en: 'The recipient {partner} is not an active registered partner of this node.',
  },
  idempotency_conflict: {
    status: 409,
    title: 'Idempotency key reused',
    zh: '该 Idempotency-Key 已用于内容不同的请求。',
    en: 'This Idempotency-Key was already used for a different request.',
  },
  message_not_found: {
    status: 404,
    title: 'Message not found',
    zh: '找不到报文 {id}（或它不属于本地系统）。',
    en: 'The message {id} does not exist (or does not belong to this local system).',
  },
  pull_cursor_invalid: {
    status: 400,
    title: 'Invalid pull cursor',
    zh: '拉取游标 {cursor} 无效：请使用上一页返回的游标。',
    en: 'The pull cursor {cursor} is invalid: use the cursor returned by the previous page.',
  },
} as const satisfies Record<string, ProblemSpec>;
