import { type LocalText, type TextParams, textOf } from '../errors/text.js';

type Key = keyof (typeof KEY_REASON_TEXT)['zh'];

/** Why keys cannot be used or rotated, in each language: the `reason` of keys_* problems. */
export const KEY_REASON_TEXT = {
  zh: {
    notJson: '密钥文档不是 JSON',
    kidNeeded: '私钥 JWK 需要 "kid"',
    shape: '应为 {"version": 1, "keys": [...]} 或单个私钥 JWK',
    noNext: '没有可启用的下一密钥',
    nextTooYoung: '下一密钥 {kid} 已发布 {age} 秒，少于要求的 {min} 秒',
    managedOutside: '本节点的密钥由 yrdx 之外管理，请在保存密钥的地方轮换',
    notSet: '{what} 未设置',
  },
  en: {
    notJson: 'the key document is not JSON',
    kidNeeded: 'the private JWK needs a "kid"',
    shape: 'expected {"version": 1, "keys": [...]} or one private JWK',
    noNext: 'there is no next key to activate',
    nextTooYoung: 'next key {kid} has been published for {age} s, less than the required {min} s',
    managedOutside: 'the keys of this node are managed outside yrdx; rotate them where they are kept',
    notSet: '{what} is not set',
  },
} as const satisfies { zh: Record<string, string>; en: Record<string, string> };

KEY_REASON_TEXT.en satisfies Record<Key, string>;

export function keyReason(key: Key, params: TextParams = {}): LocalText {
  return textOf(KEY_REASON_TEXT, key, params);
}
