import { type LocalText, listOf, type TextParams, textOf } from '../errors/text.js';
import { suggest } from '../text/suggest.js';

type Key = keyof (typeof CONFIG_FAULT_TEXT)['zh'];

/**
 * What a configuration member should have been, in each language: the detail of every fault of a
 * configuration file (and of a partner the admin API receives).
 */
export const CONFIG_FAULT_TEXT = {
  zh: {
    required: '缺少此成员',
    additionalProperties: '此处不应有该成员（此处允许：{allowed}）',
    enum: '取值应为以下之一：{allowed}',
    const: '取值应为 {allowed}',
    type: '类型应为 {type}',
    described: '应为{description}',
    format: '应为格式为 {format} 的值',
    pins: '应为一个指纹字符串或 {"thumbprint", "notAfter"}',
    minimum: '数值应 {comparison} {limit}',
    minLength: '至少 {limit} 个字符',
    maxLength: '最多 {limit} 个字符',
    minItems: '至少 {limit} 项',
    maxItems: '最多 {limit} 项',
    uniqueItems: '不应有重复项（第 {i} 项与第 {j} 项相同）',
    schema: '不符合配置模式（规则 {keyword}）',
    notCity: '应为长三角 41 个城市之一的行政区划代码；“{id}”不是',
    province: '节点 {id}（{city}）的 province 应为 "{province}"',
    partnerRepeats: '伙伴节点的 id 不能重复；它与 /partners/{first}/id 相同',
    localRepeats: '本地系统的 id 不能重复；“{id}”重复出现',
    lifetime: '不应超过 maxLifetimeSeconds（{max}）',
    lease: '至少应为 timeoutMs 的两倍（{min} ms），使认领的租期长于它所覆盖的调用',
    keyAlgorithm: '应为 envelope.algorithms 之一（{allowed}）',
    gmKeyAlgorithm:
      '国密配置（cryptoProfile: "gm"）下本节点只用 SM2 签名，不能用 {alg}；删去 keys.algorithm 或改为 "SM2"',
    gmPartnerAlgorithms: '该伙伴采用国密配置，只能用 SM2 签名，但 envelope.algorithms（{allowed}）不含 SM2',
    gmPartnerKey: '该伙伴采用国密配置（cryptoProfile: "gm"），只接受 SM2 密钥，这把是 {alg} 密钥',
    notSelf: '应为另一个节点；节点不能是自己的伙伴节点',
    oneKeySource: '"jwks"、"jwksFile"、"jwksUrl" 应有且只有一个',
    pinsNeeded: '至少应有一个固定的指纹：从 URL 取得的密钥只有在已登记（固定）后才会使用',
    dateTime: '应为 ISO 8601 日期时间',
    envVariable: '应为保存密钥的环境变量名',
    secretBinding: '应为保存密钥的 Workers secret 名称',
    pushUrl: '应为网关推送报文的 URL',
    pullNoUrl: '拉取方式不应有 URL（由本地系统轮询）',
    credentialRepeats: '管理凭证的 id 不能重复；它与 /admin/credentials/{first}/id 相同',
    tokenRepeats: '应使用不同的令牌；/admin/credentials/{first} 的令牌与它相同，两者无法区分',
    sqliteNoUrl: 'SQLite 存储不应有 URL（它是 dataDir 中的文件）',
    sqliteNoPool: 'SQLite 存储不应有连接池大小（它是 dataDir 中的文件）',
    postgresUrlMissing:
      '应为 PostgreSQL 数据库的 URL（postgres://user@host:5432/database），或在环境变量中设置 DATABASE_URL 并删除 "store" 成员',
    postgresUrl: '应为 PostgreSQL 连接 URL（postgres://user@host:5432/database）',
    postgresScheme: '应为 postgres:// 或 postgresql:// 开头的 URL，而不是 {scheme}//',
    postgresHost: '应写明 PostgreSQL 服务器的主机（postgres://user@host:5432/database）',
    postgresDatabase: 'URL 末尾应为数据库名（…/database）',
    absoluteUrl: '应为绝对的 http(s) URL',
    noCredentials: 'URL 中不应含有用户名或密码',
    https: '应使用 https（仅在本机回环地址上，或设置 "allowInsecureHttp": true 时才允许 http）',
    jwksInline: '应为内联的 "jwks" 或已固定的 "jwksUrl"',
    unreadable: '应为可读取的 JSON 文件；它无法读取',
    notJson: '应为 JSON；解析器报告：{message}',
    jsonObject: '应为 JSON 对象',
    poolSize: '应为 1 到 100 之间的整数连接数，而不是“{size}”',
    adminState: '应为 yrdx 写在这里的 JSON；请恢复或删除该文件',
    publicKey: '应为公开的签名密钥：{reason}',
    kid: '应有密钥标识（kid）',
    kidRepeats: '同一伙伴节点的 kid 不能重复；“{kid}”重复出现',
    pinMatch: '应为与某个固定指纹相符的密钥',
    keyOwner: '应为只属于此伙伴节点的密钥；它已属于 {owner}',
    keyPinnedFor: '应为只属于此伙伴节点的密钥；它已为 {owner} 固定',
    keyRefused: '密钥无法导入：{reason}',
    noDomain: '没有业务领域“{domain}”的数据契约（已加载：{known}）{hint}',
    noMajor: '业务领域 {domain} 没有第 {major} 版的数据契约（已加载的主版本：{known}）',
    noDialect: '数据契约 {contract} 没有方言“{dialect}”（可用：{known}）{hint}',
    noType: '这些业务领域的数据契约没有报文类型“{type}”（可用：{known}）{hint}',
    closest: '；最接近的是：{names}',
    noClosest: '',
    jwksInlineOnly: '应为内联的 "jwks"：此运行环境不能读取文件',
    jwksUnreadable: '应为可读取的 JWKS 文件；“{path}”无法读取（该伙伴节点是否已生成密钥并发来其 JWKS？）',
    jwksEmpty: '“{path}”应为至少含一个密钥的 JWKS（{"keys": [...]}）',
    workerJwks: '应为内联的 "jwks" 或已固定的 "jwksUrl"：Worker 没有文件',
    workerSecret: '应为 "secret"（Workers secret）：Worker 没有文件',
    certHeaderReserved: '应为专用于客户端证书的请求头；“{header}”另有用途',
    proxyRange: '应为 IP 地址或 CIDR 地址段（如 "127.0.0.1"、"10.8.0.0/24"）；“{range}”不是',
    tlsClientWithoutProxy:
      '需要 "clientCertificates" 一节（由哪个请求头、从哪些代理地址传来证书）；没有它，这些证书永远无法核对',
    tlsClientEmpty: '应至少列出一个 fingerprints 或 subjects',
    tlsClientSubjects:
      '代理传来的是证书本身（carries: "certificate"），应以 fingerprints 登记，而不是 subjects',
    tlsClientFingerprints:
      '代理传来的是主题名（carries: "subject"），应以 subjects 登记，而不是 fingerprints',
    workerClientCertificates:
      'Worker 看不到 TCP 对端地址，无法判断请求头是否来自受信任的代理；请在 Node 节点前终止 TLCP，或删去此节',
  },
  en: {
    required: 'expected this member; it is missing',
    additionalProperties: 'expected no such member (allowed here: {allowed})',
    enum: 'expected one of: {allowed}',
    const: 'expected {allowed}',
    type: 'expected {type}',
    described: 'expected {description}',
    format: 'expected a value of format {format}',
    pins: 'expected a thumbprint string or {"thumbprint", "notAfter"}',
    minimum: 'expected a number {comparison} {limit}',
    minLength: 'expected at least {limit} character(s)',
    maxLength: 'expected at most {limit} character(s)',
    minItems: 'expected at least {limit} item(s)',
    maxItems: 'expected at most {limit} item(s)',
    uniqueItems: 'expected no repeated items (items {i} and {j} are the same)',
    schema: 'expected a value that fits the configuration schema (rule {keyword})',
    notCity: 'expected the division code of one of the Delta\'s 41 cities; "{id}" is not one',
    province: 'expected "{province}" for node {id} ({city})',
    partnerRepeats: 'expected a partner id not used before; it repeats /partners/{first}/id',
    localRepeats: 'expected a local system id not used before; "{id}" repeats',
    lifetime: 'expected at most maxLifetimeSeconds ({max})',
    lease: 'expected at least twice timeoutMs ({min} ms), so that a claim outlives the call it covers',
    keyAlgorithm: 'expected one of envelope.algorithms ({allowed})',
    gmKeyAlgorithm:
      'under the national profile (cryptoProfile: "gm") this node signs with SM2 only, not {alg}; remove keys.algorithm or set it to "SM2"',
    gmPartnerAlgorithms:
      'this partner uses the national profile and signs with SM2 only, but envelope.algorithms ({allowed}) lacks SM2',
    gmPartnerKey:
      'this partner uses the national profile (cryptoProfile: "gm"), which accepts only SM2 keys; this one is a {alg} key',
    notSelf: 'expected another node; a node is not its own partner',
    oneKeySource: 'expected exactly one of "jwks", "jwksFile" or "jwksUrl"',
    pinsNeeded: 'expected at least one pinned thumbprint: keys fetched from a URL are used only when pinned',
    dateTime: 'expected an ISO 8601 date-time',
    envVariable: 'expected the name of the environment variable that holds the keys',
    secretBinding: 'expected the name of the Workers secret that holds the keys',
    pushUrl: 'expected the URL the gateway posts messages to',
    pullNoUrl: 'expected no URL for pull delivery (the local system polls)',
    credentialRepeats: 'expected a credential id not used before; it repeats /admin/credentials/{first}/id',
    tokenRepeats:
      'expected a token of its own; /admin/credentials/{first} has the same token, so the two could not be told apart',
    sqliteNoUrl: 'expected no URL for the SQLite store (it is a file in dataDir)',
    sqliteNoPool: 'expected no pool size for the SQLite store (it is a file in dataDir)',
    postgresUrlMissing:
      'expected the URL of the PostgreSQL database (postgres://user@host:5432/database), or DATABASE_URL in the environment and no "store" member',
    postgresUrl: 'expected a PostgreSQL connection URL (postgres://user@host:5432/database)',
    postgresScheme: 'expected a postgres:// or postgresql:// URL, not {scheme}//',
    postgresHost: 'expected the host of the PostgreSQL server (postgres://user@host:5432/database)',
    postgresDatabase: 'expected the database name at the end of the URL (…/database)',
    absoluteUrl: 'expected an absolute http(s) URL',
    noCredentials: 'expected a URL without credentials',
    https: 'expected https (plain http is allowed only on loopback, or with "allowInsecureHttp": true)',
    jwksInline: 'expected inline "jwks" or a pinned "jwksUrl"',
    unreadable: 'expected a readable JSON file; it cannot be read',
    notJson: 'expected JSON; the parser reports: {message}',
    jsonObject: 'expected a JSON object',
    poolSize: 'expected a whole number of connections from 1 to 100, not "{size}"',
    adminState: 'expected the JSON that yrdx wrote here; restore it or remove it',
    publicKey: 'expected a public signing key: {reason}',
    kid: 'expected a key id (kid)',
    kidRepeats: 'expected a kid not used before by this partner; "{kid}" repeats',
    pinMatch: 'expected a key that matches one of the pinned thumbprints',
    keyOwner: 'expected a key of this partner only; it already belongs to {owner}',
    keyPinnedFor: 'expected a key of this partner only; it is already pinned for {owner}',
    keyRefused: 'the key cannot be imported: {reason}',
    noDomain: 'no contract for the domain "{domain}" (loaded: {known}){hint}',
    noMajor: 'no contract of {domain} major {major} (loaded majors: {known})',
    noDialect: 'the contract {contract} has no dialect "{dialect}" (available: {known}){hint}',
    noType: 'the contracts of these domains have no message type "{type}" (available: {known}){hint}',
    closest: '; the closest: {names}',
    noClosest: '',
    jwksInlineOnly: 'expected inline "jwks": files cannot be read on this runtime',
    jwksUnreadable:
      'expected a readable JWKS file; "{path}" cannot be read (has the partner generated its keys and sent its JWKS?)',
    jwksEmpty: 'expected "{path}" to hold a JWKS ({"keys": [...]}) with at least one key',
    workerJwks: 'expected inline "jwks" or a pinned "jwksUrl": a Worker has no files',
    workerSecret: 'expected "secret" (a Workers secret): a Worker has no files',
    certHeaderReserved:
      'expected a header of its own for the client certificate; "{header}" is used for something else',
    proxyRange:
      'expected an IP address or CIDR range (such as "127.0.0.1" or "10.8.0.0/24"); "{range}" is not one',
    tlsClientWithoutProxy:
      'expected a "clientCertificates" section (which header, from which proxy addresses): without it these certificates can never be checked',
    tlsClientEmpty: 'expected at least one fingerprint or subject',
    tlsClientSubjects:
      'expected fingerprints, not subjects: the proxy passes the certificate itself (carries: "certificate")',
    tlsClientFingerprints:
      'expected subjects, not fingerprints: the proxy passes the subject DN (carries: "subject")',
    workerClientCertificates:
      'expected no "clientCertificates" on a Worker: it does not see the TCP peer address, so it cannot tell whether the header comes from a trusted proxy; terminate TLCP in front of a Node node instead',
  },
} as const satisfies { zh: Record<string, string>; en: Record<string, string> };

// The same keys in both languages, checked by the compiler.
CONFIG_FAULT_TEXT.en satisfies Record<Key, string>;

/** A configuration fault's detail in both languages. */
export function configFault(key: Key, params: TextParams = {}): LocalText {
  return textOf(CONFIG_FAULT_TEXT, key, params);
}

/** "The closest: …" for a name not among `known`, or nothing. */
export function closestOf(input: string, known: readonly string[]): LocalText {
  const close = suggest(input, known);
  return close.length === 0 ? configFault('noClosest') : configFault('closest', { names: listOf(close) });
}

/**
 * The Chinese of every schema `description` a fault can quote (members with a pattern or format):
 * "expected {description}". The configuration tests check that each such description has one.
 */
export const CONFIG_DESCRIPTIONS_ZH: Readonly<Record<string, string>> = {
  'a six-digit GB/T 2260 division code of a Delta city, e.g. "330500"':
    '长三角城市的 6 位 GB/T 2260 行政区划代码，如 "330500"',
  'an http(s) URL': 'http(s) URL',
  'an environment variable name': '环境变量名',
  'a Workers secret name': 'Workers secret 名称',
  'a domain a contract declares, such as "food-safety", or "*" for every domain':
    '数据契约声明的业务领域，如 "food-safety"，或以 "*" 表示所有业务领域',
  'a local system id of lower-case letters, digits and -': '由小写字母、数字和 - 组成的本地系统 id',
  'a dialect name such as "zj"': '方言名称，如 "zj"',
  'an organ kind of the cooperation core, such as "public-security" or "procuratorate"':
    '协作核心中的机关类别，如 "public-security" 或 "procuratorate"',
  'a domain a contract declares, such as "food-safety"': '数据契约声明的业务领域，如 "food-safety"',
  'the SHA-256 or SM3 of an API key, as printed by "yrdx keys api-key" ("sha256:<hex>" or "sm3:<hex>")':
    'API 密钥的 SHA-256 或 SM3，即 "yrdx keys api-key" 输出的值（"sha256:<hex>" 或 "sm3:<hex>"）',
  'a message type a contract declares, such as "case-transfer", or "*" for every type':
    '数据契约声明的报文类型，如 "case-transfer"，或以 "*" 表示所有报文类型',
  'a request type ("case-transfer": the state its workflow opens in) or "<workflow>/<state>" ("crime-handover/received")':
    '请求报文类型（"case-transfer"：其工作流的初始状态）或 "<workflow>/<state>"（"crime-handover/received"）',
  'a PostgreSQL connection URL (postgres://user@host:5432/database)':
    'PostgreSQL 连接 URL（postgres://user@host:5432/database）',
  'a credential id of lower-case letters, digits, ".", "_" and "-"':
    '由小写字母、数字、"."、"_" 和 "-" 组成的管理凭证 id',
  'the SHA-256 or SM3 of an admin token, as printed by "yrdx keys api-key" ("sha256:<hex>" or "sm3:<hex>")':
    '管理令牌的 SHA-256 或 SM3，即 "yrdx keys api-key" 输出的值（"sha256:<hex>" 或 "sm3:<hex>"）',
  'an RFC 7638 SHA-256 thumbprint (43 base64url characters)': 'RFC 7638 SHA-256 指纹（43 个 base64url 字符）',
  'an RFC 7638 SHA-256 thumbprint': 'RFC 7638 SHA-256 指纹',
  'an HTTP header name such as "X-Client-Cert"': 'HTTP 请求头名称，如 "X-Client-Cert"',
  'an IP address or CIDR range, such as "127.0.0.1" or "10.8.0.0/24"':
    'IP 地址或 CIDR 地址段，如 "127.0.0.1" 或 "10.8.0.0/24"',
  'the SHA-256 or SM3 of the certificate (DER), as "sha256:<hex>" or "sm3:<hex>"':
    '证书（DER）的 SHA-256 或 SM3，写作 "sha256:<hex>" 或 "sm3:<hex>"',
};
