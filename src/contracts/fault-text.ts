import { type LocalText, type TextParams, textOf } from '../errors/text.js';

type Key = keyof (typeof MESSAGE_FAULT_TEXT)['zh'];

/**
 * What is wrong with a field of a message body, in each language: the detail of every fault a
 * `document_invalid` refusal lists (schema faults, faults met while translating, what a type requires).
 */
export const MESSAGE_FAULT_TEXT = {
  zh: {
    required: '缺少必填字段',
    additionalProperties: '不允许出现该字段（字段名可能拼写有误）',
    type: '类型应为 {type}',
    enum: '取值应为以下之一：{allowed}',
    const: '取值应为 {allowed}',
    format: '不符合格式 {format}',
    formatDate: '不符合格式 {format}（YYYY-MM-DD）',
    patternDescribed: '格式不正确：应为{description}',
    pattern: '格式不正确（应匹配 {pattern}）',
    minLength: '至少 {limit} 个字符',
    maxLength: '最多 {limit} 个字符',
    minItems: '至少 {limit} 项',
    maxItems: '最多 {limit} 项',
    forbidden: '不允许出现该字段',
    uniqueItems: '数组中有重复项',
    compare: '数值应 {comparison} {limit}',
    anyOf: '不符合所列的任何一种形式',
    oneOf: '应恰好符合所列形式中的一种',
    not: '不应符合被排除的形式',
    schema: '不符合模式（规则 {keyword}）',
    messageType: '本契约不承载报文类型“{type}”',
    requiredByType: '报文类型“{type}”要求此字段',
    canonicalField: '{detail}（规范模型字段 {pointer}）',
    array: '应为数组',
    noCase: '{value} 没有对应的映射分支（可用：{cases}）',
    conversion: '无法转换该值（规则 {rule}）',
  },
  en: {
    required: 'this required field is missing',
    additionalProperties: 'this field is not allowed (its name may be misspelt)',
    type: 'expected type {type}',
    enum: 'expected one of: {allowed}',
    const: 'expected {allowed}',
    format: 'does not match the format {format}',
    formatDate: 'does not match the format {format} (YYYY-MM-DD)',
    patternDescribed: 'malformed: expected {description}',
    pattern: 'malformed (expected to match {pattern})',
    minLength: 'at least {limit} character(s)',
    maxLength: 'at most {limit} character(s)',
    minItems: 'at least {limit} item(s)',
    maxItems: 'at most {limit} item(s)',
    forbidden: 'this field is not allowed',
    uniqueItems: 'the array has repeated items',
    compare: 'expected a number {comparison} {limit}',
    anyOf: 'matches none of the forms allowed here',
    oneOf: 'expected to match exactly one of the forms allowed here',
    not: 'matches a form that is excluded here',
    schema: 'does not fit the schema (rule {keyword})',
    messageType: 'this contract does not carry the message type "{type}"',
    requiredByType: 'the message type "{type}" requires this field',
    canonicalField: '{detail} (canonical model field {pointer})',
    array: 'expected an array',
    noCase: '{value} has no mapping branch (available: {cases})',
    conversion: 'the value cannot be converted (rule {rule})',
  },
} as const satisfies { zh: Record<string, string>; en: Record<string, string> };

MESSAGE_FAULT_TEXT.en satisfies Record<Key, string>;

/** A message fault's detail in both languages. */
export function messageFault(key: Key, params: TextParams = {}): LocalText {
  return textOf(MESSAGE_FAULT_TEXT, key, params);
}

/**
 * A contract schema's `description` in each language: contracts write them "中文 / English"; one
 * without the English half is used as written in both.
 */
export function describedIn(description: string): LocalText {
  const at = description.lastIndexOf(' / ');
  if (at < 0) return { zh: description, en: description };
  return { zh: description.slice(0, at).trim(), en: description.slice(at + 3).trim() };
}

/**
 * The Chinese shown for a fault in a contract's own files (schemas, mappings, workflows, breaking
 * changes), whose precise explanation exists in English only for now: contract authors read it with
 * `YRDX_LANG=en` or `Accept-Language: en`. Kept in one place so the remaining work is easy to find.
 */
const AUTHORING_ZH =
  '数据契约文件此处有误；详细说明目前只有英文版，请设置 YRDX_LANG=en 或发送 Accept-Language: en 查看。';

/** A fault of a contract's files as an item detail (see `AUTHORING_ZH`). */
export function authoringText(en: string): LocalText {
  return { zh: AUTHORING_ZH, en };
}
