import { type LocalText, type TextParams, textOf } from './text.js';

type Key = keyof (typeof REQUEST_FAULT_TEXT)['zh'];

/** What is wrong with part of a request (body, header, query, workflow), in each language. */
export const REQUEST_FAULT_TEXT = {
  zh: {
    jsonObject: '请求应为 JSON 对象',
    notAllowed: '不允许出现该字段',
    domain: '应为数据契约声明的业务领域（如 food-safety）',
    type: '应为数据契约声明的报文类型（如 assistance-request）',
    body: '应为本地方言的报文内容（JSON 对象）',
    to: '应为收件节点的 6 位行政区划代码，或其列表',
    toMissing: '缺少收件节点（只有风险预警可以不填，发给订阅该业务领域的全部伙伴节点）',
    messageId: '应为报文或事项编号',
    inReplyTo: '回复类报文应指明所回复的报文编号',
    idempotencyKey: 'Idempotency-Key 应为 1–128 个可见 ASCII 字符',
    cursor: '应为 GET /v1/inbox/messages 返回的游标',
    publicHost: '应为主机只有公网地址的 URL',
    textInvalid: 'NUL（U+0000）或孤立的代理项',
    recipients: '收件节点：{to}',
    threadParties: '事项 {thread} 的参与方为 {partners}',
    notReady: '{reason}',
    fromTo: '应为方言名称或 "canonical"',
    messageType: '应为报文类型',
    contractType: '应为该数据契约的报文类型之一：{types}',
    dateTime: '应为 ISO 8601 日期时间，如 2026-05-16T09:30:00+08:00',
    limit: '应为 1 到 1000 之间的整数',
    direction: '应为 "outbound" 或 "inbound"',
    openClosed: '应为 "open" 或 "closed"',
    kind: '应为 "partner" 或 "local"',
    pathPartner: '应为路径中的伙伴节点 "{id}"',
    formJson: '{expected}：{reason}',
    expectedJson: '应为 JSON',
    jwksFile: '无法读取 JWKS 文件：{reason}',
    dialectFiles: '应为 {"schema", "mapping", "examples"}',
  },
  en: {
    jsonObject: 'expected a JSON object',
    notAllowed: 'this member is not allowed',
    domain: 'expected a domain a contract declares (such as food-safety)',
    type: 'expected a message type a contract declares (such as assistance-request)',
    body: 'expected the document in the local dialect (a JSON object)',
    to: 'expected the six-digit division code of the recipient node, or a list of them',
    toMissing:
      'the recipient is missing (only a risk alert may leave it out, to go to every partner subscribed to its domain)',
    messageId: 'expected a message or thread id',
    inReplyTo: 'a reply names the message it answers',
    idempotencyKey: 'Idempotency-Key must be 1–128 visible ASCII characters',
    cursor: 'expected a cursor returned by GET /v1/inbox/messages',
    publicHost: 'expected a URL whose host has public addresses only',
    textInvalid: 'NUL (U+0000) or a lone surrogate',
    recipients: 'recipient nodes: {to}',
    threadParties: 'the parties of thread {thread} are {partners}',
    notReady: '{reason}',
    fromTo: 'expected a dialect name or "canonical"',
    messageType: 'expected a message type',
    contractType: 'expected one of the message types of this contract: {types}',
    dateTime: 'expected an ISO 8601 date-time, e.g. 2026-05-16T09:30:00+08:00',
    limit: 'expected an integer from 1 to 1000',
    direction: 'expected "outbound" or "inbound"',
    openClosed: 'expected "open" or "closed"',
    kind: 'expected "partner" or "local"',
    pathPartner: 'expected "{id}", the partner in the path',
    formJson: '{expected}: {reason}',
    expectedJson: 'expected JSON',
    jwksFile: 'the JWKS file cannot be read: {reason}',
    dialectFiles: 'expected {"schema", "mapping", "examples"}',
  },
} as const satisfies { zh: Record<string, string>; en: Record<string, string> };

REQUEST_FAULT_TEXT.en satisfies Record<Key, string>;

/** A request fault's detail in both languages. */
export function requestFault(key: Key, params: TextParams = {}): LocalText {
  return textOf(REQUEST_FAULT_TEXT, key, params);
}
