import { type LocalText, type TextParams, textOf } from '../errors/text.js';

export type EnvelopeReason = keyof (typeof ENVELOPE_REASON_TEXT)['zh'];

/**
 * Why a token, header, claim or receipt is refused, or a message cannot be sealed, in each language:
 * the `reason` of the jws_*, receipt_mismatch and seal_invalid problems.
 */
export const ENVELOPE_REASON_TEXT = {
  zh: {
    // The compact serialisation (RFC 7515 §7.1).
    notString: '它不是字符串',
    threeParts: '它应恰好由三部分组成',
    contains: '它含有{what}',
    partEmpty: '{part}部分为空',
    partCharacter: '{part}部分含有 base64url 之外的字符（{what}）',
    header: '头部',
    payload: '载荷',
    signature: '签名',
    padding: '填充符 "="',
    whitespace: '空白字符',
    standardBase64: '标准 base64 字符 "{character}"',
    codePoint: '字符 {codePoint}',
    unexpected: '意外的字符',
    // The protected header and the payload.
    notUtf8: '它不是 UTF-8',
    notJson: '它不是 JSON',
    notObject: '它不是 JSON 对象',
    kid: '`kid` 应为非空字符串',
    typ: '`typ` 应为字符串',
    // The claims.
    missing: '缺少该声明',
    nodeId: '应为节点编号',
    id: '应为由 1–128 个字母、数字或 . _ : - 组成的编号',
    audience: '应为节点编号，或非空的节点编号列表',
    numericDate: '应为以整秒计的 NumericDate',
    expAfterIat: '它应晚于 `iat`',
    messageType: '应为 yrdx 的报文类型',
    domain: '应为 yrdx 的业务领域',
    contract: '应为 domain@major.minor.patch 形式的数据契约版本',
    contractDomain: '它应为该报文业务领域的数据契约',
    threadId: '应为协作事项编号',
    messageId: '应为报文编号',
    jsonObject: '应为 JSON 对象',
    origin: '应为由 1–128 个字母、数字或 . _ : - 组成的本地系统编号',
    list: '应为列表',
    attachment: '应含有 `name`、`mediaType`、`sha256`（十六进制）和 `size`',
    sha256: '应为小写十六进制的 SHA-256',
    status: '应为以下之一：{statuses}',
    problemCode: '应为由 1–64 个 a-z、0-9 或 _ 组成的问题代码',
    object: '应为对象',
    lossSystems: '最多应有 {max} 个本地系统',
    lossIds: '键应为本地系统编号',
    lossLists: '应为最多含 {max} 个指针的列表',
    lossPointers: '应为最多 {max} 个字符的 JSON 指针',
    lossCounts: '应为正整数计数',
    // Receipts.
    notRecipient: '预期的签发节点不是该报文的收件节点',
    otherMessage: '它确认的是另一个报文编号',
    otherBytes: '其 SHA-256 与所发送的字节不符',
    // Sealing.
    payloadNotJson: '载荷无法写成 JSON',
    claims: '声明无效',
  },
  en: {
    notString: 'not a string',
    threeParts: 'it must have exactly three parts',
    contains: 'it contains {what}',
    partEmpty: 'the {part} part is empty',
    partCharacter: 'the {part} part has a character outside base64url ({what})',
    header: 'header',
    payload: 'payload',
    signature: 'signature',
    padding: 'padding "="',
    whitespace: 'whitespace',
    standardBase64: 'standard base64 "{character}"',
    codePoint: '{codePoint}',
    unexpected: 'an unexpected character',
    notUtf8: 'it is not UTF-8',
    notJson: 'it is not JSON',
    notObject: 'it is not a JSON object',
    kid: 'kid must be a non-empty string',
    typ: 'typ must be a string',
    missing: 'it is missing',
    nodeId: 'expected a node id',
    id: 'expected an id of 1–128 letters, digits or . _ : -',
    audience: 'expected a node id or a non-empty list of node ids',
    numericDate: 'expected a NumericDate in whole seconds',
    expAfterIat: 'it must be later than iat',
    messageType: 'expected a yrdx message type',
    domain: 'expected a yrdx domain',
    contract: 'expected domain@major.minor.patch',
    contractDomain: 'it must be a contract of the message domain',
    threadId: 'expected a thread id',
    messageId: 'expected a message id',
    jsonObject: 'expected a JSON object',
    origin: 'expected a local system id of 1–128 letters, digits or . _ : -',
    list: 'expected a list',
    attachment: 'expected name, mediaType, sha256 (hex) and size',
    sha256: 'expected a lower-case hex SHA-256',
    status: 'expected one of {statuses}',
    problemCode: 'expected a problem code of 1–64 characters a-z, 0-9 or _',
    object: 'expected an object',
    lossSystems: 'expected at most {max} local systems',
    lossIds: 'expected local system ids as keys',
    lossLists: 'expected lists of at most {max} pointers',
    lossPointers: 'expected JSON pointers of at most {max} characters',
    lossCounts: 'expected positive whole counts',
    notRecipient: 'the expected issuer was not a recipient',
    otherMessage: 'it acknowledges another message id',
    otherBytes: 'its SHA-256 is not that of the bytes sent',
    payloadNotJson: 'the payload is not JSON',
    claims: 'invalid claims',
  },
} as const satisfies { zh: Record<string, string>; en: Record<string, string> };

ENVELOPE_REASON_TEXT.en satisfies Record<EnvelopeReason, string>;

/** An envelope fault's reason in both languages. */
export function envelopeReason(key: EnvelopeReason, params: TextParams = {}): LocalText {
  return textOf(ENVELOPE_REASON_TEXT, key, params);
}
