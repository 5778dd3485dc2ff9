import { type LocalText, type TextParams, textOf } from '../errors/text.js';

export type KeyReason = keyof (typeof KEY_REASON_TEXT)['zh'];

/**
 * Why keys cannot be used, imported or rotated, and where they are kept, in each language: the
 * `reason` of the keys_* and key_* problems.
 */
export const KEY_REASON_TEXT = {
  zh: {
    notJson: '密钥文档不是 JSON',
    kidNeeded: '私钥 JWK 需要 "kid"',
    shape: '应为 {"version": 1, "keys": [...]} 或单个私钥 JWK',
    noNext: '没有可启用的下一密钥',
    nextTooYoung: '下一密钥 {kid} 已发布 {age} 秒，少于要求的 {min} 秒',
    managedOutside: '本节点的密钥由 yrdx 之外管理，请在保存密钥的地方轮换',
    notSet: '{what} 未设置',
    // Where the keys are kept (a key source's description).
    sourceFile: '文件 {path}',
    sourceEnv: '环境变量 {variable}',
    sourceSecret: 'Workers secret {name}',
    noKeys: '{source} 中没有密钥',
    cannotRead: '无法读取 {path}',
    secretOnWorkers: 'Workers secret 只在 Workers 上可用；在 Node 上请使用 "file" 或 "env"',
    notWritable: '密钥来自 {source}，yrdx 无法写入；请在管理它们的地方轮换',
    empty: '{source} 为空',
    pinnedForPartner: '新密钥的指纹已作为伙伴节点的密钥登记（固定）：{partners}',
    // Data keys (encryption at rest).
    dataKeysShape: '`dataKeys` 应为数组',
    dataKeyEntry: '`dataKeys[{i}]` 不是对象',
    dataKeyId: '`dataKeys[{i}].id` 应为 1–64 个字母、数字或 . _ -',
    dataKeyTwice: '数据密钥 {id} 出现了两次',
    dataKeyAlg: '`dataKeys[{i}].alg` 应为 "SM4-GCM" 或 "AES-256-GCM"',
    dataKeyState: '`dataKeys[{i}].state` 应为 "active" 或 "retired"',
    dataKeyTime: '`dataKeys[{i}].{member}` 应为 ISO 8601 时间',
    dataKeyBytes: '`dataKeys[{i}].key` 应为 {bytes} 字节的 base64url 文本',
    dataKeyOneActive: '至多一个数据密钥可为 active（现有 {count} 个）',
    dataKeyNotWritable:
      '密钥来自 {source}，yrdx 无法写入；请对密钥环文档的副本运行 `yrdx data-key rotate --keys FILE`，再把它放回 {source}',
    // A keyring document.
    entryNotObject: '`keys[{i}]` 不是对象',
    entryKid: '`keys[{i}].kid` 应为 1–128 个字母、数字或 . _ : -',
    kidTwice: '`kid` "{kid}" 出现了两次',
    entryState: '`keys[{i}].state` 应为 `next`、`active` 或 `retired`',
    entryRetiredAt: '`keys[{i}]` 已停用，但没有 `retiredAt`',
    entryNotAfter: '`keys[{i}].notAfter` 应为 ISO 8601 日期时间',
    entryNoPrivateJwk: '缺少 `keys[{i}].privateJwk`',
    entryPrivateJwk: '`keys[{i}].privateJwk`：{fault}',
    oneActive: '应恰好有一个签名密钥（现有 {count} 个）',
    oneNext: '最多只能有一个下一密钥（现有 {count} 个）',
    // A JWK yrdx cannot use.
    keyType: '只支持 EC P-256、EC SM2、OKP Ed25519 和 RSA 密钥',
    gmSigner:
      '国密配置（cryptoProfile: "gm"）下签名密钥须为 SM2，{kid} 是 {alg} 密钥：用 `yrdx keys generate --alg SM2` 生成新的密钥环，或用 `yrdx keys rotate` 轮换两次（新密钥按 keys.algorithm 生成）',
    memberMissing: '缺少成员 "{member}"',
    algMismatch: '`alg` "{alg}" 与 {kty} 密钥不符',
    use: '`use` 应为 "sig"',
    privateMaterial: '它含有私钥材料',
    noPrivatePart: '它没有私钥部分 "d"',
    rsaBits: 'RSA 密钥至少需要 {bits} 位',
    importRefused: '加密库拒绝导入它（{message}）',
    // A partner's JWKS URL.
    noPinnedMatch: '取得的 JWKS 中没有与已登记（固定）指纹相符的密钥',
    someRefused: '取得的 JWKS 中有 {count} 个密钥被拒绝',
    jwksStatus: '应答的 HTTP 状态为 {status}',
    jwksNotJson: '应答不是 JSON',
    jwksNotJwks: '应答不是 JWKS（{"keys": [...]}）',
  },
  en: {
    notJson: 'the key document is not JSON',
    kidNeeded: 'the private JWK needs a "kid"',
    shape: 'expected {"version": 1, "keys": [...]} or one private JWK',
    noNext: 'there is no next key to activate',
    nextTooYoung: 'next key {kid} has been published for {age} s, less than the required {min} s',
    managedOutside: 'the keys of this node are managed outside yrdx; rotate them where they are kept',
    notSet: '{what} is not set',
    sourceFile: 'file {path}',
    sourceEnv: 'environment variable {variable}',
    sourceSecret: 'Workers secret {name}',
    noKeys: 'no keys in {source}',
    cannotRead: '{path} cannot be read',
    secretOnWorkers: 'Workers secrets exist only on Cloudflare Workers; on Node use "file" or "env"',
    notWritable: 'the keys come from {source}, which yrdx cannot write; rotate them where they are managed',
    empty: '{source} is empty',
    pinnedForPartner: 'a new key’s thumbprint is already pinned for a partner ({partners})',
    // Data keys (encryption at rest).
    dataKeysShape: '`dataKeys` must be an array',
    dataKeyEntry: '`dataKeys[{i}]` is not an object',
    dataKeyId: '`dataKeys[{i}].id` must be 1–64 letters, digits or . _ -',
    dataKeyTwice: 'the data key {id} appears twice',
    dataKeyAlg: '`dataKeys[{i}].alg` must be "SM4-GCM" or "AES-256-GCM"',
    dataKeyState: '`dataKeys[{i}].state` must be "active" or "retired"',
    dataKeyTime: '`dataKeys[{i}].{member}` must be an ISO 8601 time',
    dataKeyBytes: '`dataKeys[{i}].key` must be {bytes} bytes as base64url',
    dataKeyOneActive: 'at most one data key may be active (found {count})',
    dataKeyNotWritable:
      'the keys come from {source}, which yrdx cannot write: run `yrdx data-key rotate --keys FILE` on a copy of the keyring document, then put it back into {source}',
    entryNotObject: 'keys[{i}] is not an object',
    entryKid: 'keys[{i}].kid must be 1–128 letters, digits or . _ : -',
    kidTwice: 'kid "{kid}" appears twice',
    entryState: 'keys[{i}].state must be next, active or retired',
    entryRetiredAt: 'keys[{i}] is retired without retiredAt',
    entryNotAfter: 'keys[{i}].notAfter must be an ISO 8601 date-time',
    entryNoPrivateJwk: 'keys[{i}].privateJwk is missing',
    entryPrivateJwk: 'keys[{i}].privateJwk: {fault}',
    oneActive: 'exactly one key must be active (found {count})',
    oneNext: 'at most one key may be next (found {count})',
    keyType: 'only EC P-256, EC SM2, OKP Ed25519 and RSA keys are supported',
    gmSigner:
      'under the national profile (cryptoProfile: "gm") the signing key must be SM2, and {kid} is an {alg} key: make a new keyring with `yrdx keys generate --alg SM2`, or rotate twice with `yrdx keys rotate` (new keys follow keys.algorithm)',
    memberMissing: 'member "{member}" is missing',
    algMismatch: 'alg "{alg}" does not fit a {kty} key',
    use: 'use must be "sig"',
    privateMaterial: 'it contains private key material',
    noPrivatePart: 'it has no private part "d"',
    rsaBits: 'RSA keys need at least {bits} bits',
    importRefused: 'the crypto library refused it ({message})',
    noPinnedMatch: 'no key in the fetched JWKS matches a pinned thumbprint',
    someRefused: '{count} key(s) of the fetched JWKS refused',
    jwksStatus: 'the answer has HTTP status {status}',
    jwksNotJson: 'the answer is not JSON',
    jwksNotJwks: 'the answer is not a JWKS ({"keys": [...]})',
  },
} as const satisfies { zh: Record<string, string>; en: Record<string, string> };

KEY_REASON_TEXT.en satisfies Record<KeyReason, string>;

export function keyReason(key: KeyReason, params: TextParams = {}): LocalText {
  return textOf(KEY_REASON_TEXT, key, params);
}
