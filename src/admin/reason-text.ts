import { type LocalText, type TextParams, textOf } from '../errors/text.js';

type Key = keyof (typeof ADMIN_REASON_TEXT)['zh'];

/** Why this node cannot do an admin action, in each language: the `reason` of admin_unsupported. */
export const ADMIN_REASON_TEXT = {
  zh: {
    noLifecycle: '本节点没有数据契约的发布与启用功能',
    noExchange: '本节点不运行报文交换',
    noCompile: '此处无法编译数据契约的模式；请在构建时发布数据契约',
  },
  en: {
    noLifecycle: 'no contract lifecycle on this node',
    noExchange: 'this node runs no exchange',
    noCompile: 'contract schemas cannot be compiled here; publish contracts in the build',
  },
} as const satisfies { zh: Record<string, string>; en: Record<string, string> };

ADMIN_REASON_TEXT.en satisfies Record<Key, string>;

/** An admin action's refusal reason in both languages. */
export function adminReason(key: Key, params: TextParams = {}): LocalText {
  return textOf(ADMIN_REASON_TEXT, key, params);
}
