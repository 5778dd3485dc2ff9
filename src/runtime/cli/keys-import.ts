import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GmCryptoError } from '../../crypto/gm/errors.js';
import { exportSm2PrivateJwk } from '../../crypto/gm/jwk.js';
import { importSm2PrivatePem } from '../../crypto/gm/pkcs8.js';
import { YrdxError } from '../../errors/errors.js';
import { textOf } from '../../errors/text.js';
import { publicPart, thumbprint } from '../../keys/jwk.js';
import { createKeyring, type KeyringDocument, NodeKeyring, type StoredKey } from '../../keys/keyring.js';
import { publishJwksFile, retainRetiredSeconds } from '../node/boot.js';
import { loadConfigFile } from '../node/config-file.js';
import { nodeKeySource, writeFileAtomic } from '../node/key-sources.js';
import { type Io, UsageError } from './output.js';
import { bilingual, texts } from './text.js';

export const TEXT = bilingual({
  zh: {
    'help:keys import':
      'yrdx keys import --pem FILE [--kid KID] [--state next|active] [--replace] [--config FILE] [--out DIR] [--json]\n导入 OpenSSL 格式的 SM2 私钥（PKCS #8 或 SEC 1 PEM，如 CA 签发的密钥），加入节点的密钥环\n  --pem FILE                 私钥 PEM 文件（`openssl genpkey -algorithm SM2` 或 `openssl ecparam -genkey -name SM2` 生成）\n  --kid KID                  密钥标识（默认 <节点代码>-<日期>-<指纹前 8 位>）\n  --state next|active        加入为下一密钥（默认，伙伴节点可先登记其指纹）或立即启用为签名密钥\n  --replace                  替换现有的下一密钥（它从未签名）\n  --config FILE              节点配置文件（默认 config/node.json）\n  --out DIR                  不改密钥环，只把私钥 JWK 与公钥 JWKS 写入这个目录（供环境变量或 Workers secret 使用）\n  --json                     以 JSON 输出',
    pemRequired: '缺少 --pem FILE',
    state: '--state 应为 next 或 active',
    kid: '--kid 应为 1–128 个字母、数字或 . _ : -',
    unreadable: '无法读取 {file}（{code}）',
    tooLarge: '{file} 有 {size} 字节，不像一个私钥 PEM 文件（上限 {max} 字节）',
    encrypted:
      '{file} 中的私钥已加密；yrdx 不保存口令。请先解密：`openssl pkey -in {file} -out PLAIN.pem`，导入后删除明文文件',
    publicOnly: '{file} 只有公钥或证书，没有私钥；导入需要 CA 签发时一并交付的私钥文件',
    notPem:
      '{file} 不是 PEM 格式的私钥（应有 -----BEGIN PRIVATE KEY----- 或 -----BEGIN EC PRIVATE KEY-----）',
    otherCurve: '{file} 是曲线 {curve} 上的密钥，不是 SM2（sm2p256v1，OID 1.2.156.10197.1.301）密钥',
    otherType: '{file} 是 {type} 密钥，不是 SM2 密钥',
    notSm2: '{file} 不是可用的 SM2 私钥（PKCS #8 或 SEC 1，曲线 sm2p256v1，不带显式曲线参数，公钥未压缩）',
    duplicate: '这个密钥已在密钥环中（{kid}，指纹 {thumbprint}）',
    kidTaken: '密钥标识 {kid} 已在密钥环中',
    nextExists: '密钥环已有下一密钥 {kid}；加上 --replace 替换它（它从未签名），或先轮换',
    notWritable: '密钥来自 {source}，yrdx 无法写入；请用 --out DIR 把私钥写成 JWK 文件，再放入管理密钥的地方',
    imported: '已导入密钥 {kid}（SM2，{state}）\n指纹 {thumbprint}\n公钥 JWKS {jwks}',
    importedFirst: '本节点原先没有密钥：导入的密钥为签名密钥，并生成了下一密钥 {next}',
    asNext: '请把指纹交给伙伴节点，待其登记后再轮换（yrdx keys rotate）启用它',
    asActive: '它已开始签名：伙伴节点须先登记其指纹，否则会拒收本节点的报文；原签名密钥 {retired} 已停用',
    replaced: '原下一密钥 {kid} 已删除',
    reload: '向运行中的节点发送 SIGHUP 以加载新密钥',
    written: '密钥 {kid}（SM2）\n指纹 {thumbprint}\n私钥 {private}（权限 0600）\n公钥 JWKS {public}',
    exists: '{private} 或 {public} 已存在',
    next: '下一密钥',
    active: '签名密钥',
  },
  en: {
    'help:keys import':
      'yrdx keys import --pem FILE [--kid KID] [--state next|active] [--replace] [--config FILE] [--out DIR] [--json]\nimport an SM2 private key in OpenSSL’s form (PKCS #8 or SEC 1 PEM, such as a key a CA issued) into the node’s keyring\n  --pem FILE                 the private key PEM (made by `openssl genpkey -algorithm SM2` or `openssl ecparam -genkey -name SM2`)\n  --kid KID                  key id (default <node id>-<date>-<first 8 characters of the thumbprint>)\n  --state next|active        add it as the next key (default, so partners can pin it first) or make it sign at once\n  --replace                  replace the current next key (which never signed)\n  --config FILE              node configuration (default config/node.json)\n  --out DIR                  leave the keyring alone; write the private JWK and the public JWKS to this folder (for an environment variable or a Workers secret)\n  --json                     print JSON',
    pemRequired: '--pem FILE is required',
    state: '--state must be next or active',
    kid: '--kid must be 1–128 letters, digits or . _ : -',
    unreadable: '{file} cannot be read ({code})',
    tooLarge: '{file} has {size} bytes, too many for a private key PEM file (at most {max})',
    encrypted:
      'the private key in {file} is encrypted; yrdx keeps no passphrases. Decrypt it first: `openssl pkey -in {file} -out PLAIN.pem`, and delete the plain file after the import',
    publicOnly:
      '{file} holds a public key or a certificate, not a private key; the import needs the private key file the CA handed over with it',
    notPem:
      '{file} is not a private key in PEM form (it should have -----BEGIN PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)',
    otherCurve: '{file} is a key of the curve {curve}, not an SM2 (sm2p256v1, OID 1.2.156.10197.1.301) key',
    otherType: '{file} is an {type} key, not an SM2 key',
    notSm2:
      '{file} is not a usable SM2 private key (PKCS #8 or SEC 1, curve sm2p256v1, no explicit curve parameters, uncompressed public key)',
    duplicate: 'this key is already in the keyring ({kid}, thumbprint {thumbprint})',
    kidTaken: 'the key id {kid} is already in the keyring',
    nextExists:
      'the keyring already has a next key, {kid}; pass --replace to replace it (it never signed), or rotate first',
    notWritable:
      'the keys come from {source}, which yrdx cannot write; write the key as a JWK file with --out DIR and put it where the keys are managed',
    imported: 'imported key {kid} (SM2, {state})\nthumbprint {thumbprint}\npublic JWKS {jwks}',
    importedFirst: 'this node had no keys: the imported key signs, and a next key {next} was generated',
    asNext:
      'give partners its thumbprint; once they have pinned it, rotate (yrdx keys rotate) to make it sign',
    asActive:
      'it signs from now on: partners must pin its thumbprint first, or they will refuse this node’s messages; the previous active key {retired} is retired',
    replaced: 'the previous next key {kid} was removed',
    reload: 'send SIGHUP to a running node to load the new keys',
    written:
      'kid {kid} (SM2)\nthumbprint {thumbprint}\nprivate key {private} (mode 0600)\npublic JWKS {public}',
    exists: '{private} or {public} exists',
    next: 'next',
    active: 'active',
  },
});

type T = ReturnType<typeof texts<typeof TEXT>>;

const KID = /^[A-Za-z0-9._:-]{1,128}$/;
/** The PEM reader's own limit (src/crypto/gm/pem.ts): a larger file is not read at all. */
const MAX_PEM_BYTES = 16 * 1024;

const refused = (reason: ReturnType<typeof textOf>) => new YrdxError('keys_invalid', { params: { reason } });

/** Reads the PEM file, refusing what is too large to be one key before reading it. */
function readPem(file: string, t: T): string {
  let size: number;
  try {
    size = statSync(file).size;
    if (size <= MAX_PEM_BYTES) return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new UsageError(t('unreadable', { file, code: (cause as NodeJS.ErrnoException).code ?? 'EIO' }));
  }
  throw refused(textOf(TEXT, 'tooLarge', { file, size, max: MAX_PEM_BYTES }));
}

/**
 * The SM2 private key of an OpenSSL PEM, or a refusal that says what the file holds instead. The
 * parsing is src/crypto/gm's; node:crypto only names another curve or key type for the message.
 */
export function sm2KeyFromPem(file: string, pem: string) {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,\s*ENCRYPTED/.test(pem))
    throw refused(textOf(TEXT, 'encrypted', { file }));
  if (!/-----BEGIN (?:EC )?PRIVATE KEY-----/.test(pem)) {
    const publicOnly = /-----BEGIN (?:PUBLIC KEY|CERTIFICATE|EC PUBLIC KEY)-----/.test(pem);
    throw refused(textOf(TEXT, publicOnly ? 'publicOnly' : 'notPem', { file }));
  }
  try {
    return importSm2PrivatePem(pem);
  } catch (cause) {
    if (!(cause instanceof GmCryptoError)) throw cause;
    const { type, curve } = otherKey(pem);
    if (type === 'ec' && curve !== undefined && curve !== 'SM2')
      throw refused(textOf(TEXT, 'otherCurve', { file, curve }));
    // node:crypto names no type for an SM2 key (it reads one with d = 0, say): the generic refusal.
    if (type !== undefined && type !== 'ec')
      throw refused(textOf(TEXT, 'otherType', { file, type: type.toUpperCase() }));
    throw refused(textOf(TEXT, 'notSm2', { file }));
  }
}

/** What node:crypto makes of a key that is not SM2's, to name its curve or type; nothing when it cannot read it. */
function otherKey(pem: string): { type?: string; curve?: string } {
  try {
    const key = createPrivateKey(pem);
    return { type: key.asymmetricKeyType, curve: key.asymmetricKeyDetails?.namedCurve };
  } catch {
    return {};
  }
}

/** The key id a key gets when none is given: whose, when, and which (as keyring.ts names new keys). */
function defaultKid(owner: string, nowMs: number, tp: string): string {
  return `${owner}-${new Date(nowMs).toISOString().slice(0, 10).replaceAll('-', '')}-${tp.slice(0, 8)}`;
}

/**
 * `yrdx keys import --pem FILE [--kid KID] [--state next|active] [--replace] [--config FILE] [--out DIR]`:
 * an SM2 private key made by OpenSSL (or issued by a CA in that form) into this node's keyring — as
 * the next key by default, so that partners pin it before it signs.
 */
export async function keysImport(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      pem: { type: 'string' },
      kid: { type: 'string' },
      state: { type: 'string', default: 'next' },
      replace: { type: 'boolean' },
      config: { type: 'string', default: 'config/node.json' },
      out: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const t = texts(io, TEXT);
  if (values.pem === undefined) throw new UsageError(t('pemRequired'));
  if (values.state !== 'next' && values.state !== 'active') throw new UsageError(t('state'));
  if (values.kid !== undefined && !KID.test(values.kid)) throw new UsageError(t('kid'));
  const key = sm2KeyFromPem(values.pem, readPem(values.pem, t));
  const privateJwk = { ...exportSm2PrivateJwk(key) };
  const tp = await thumbprint(privateJwk);
  if (values.out !== undefined)
    return writeJwkFiles(values.out, values.kid ?? tp.slice(0, 16), privateJwk, tp, io, values.json === true);

  const config = loadConfigFile(values.config);
  const source = nodeKeySource(config.keys, config.dataDir, io.env, io.now);
  if (source.save === undefined)
    throw new YrdxError('keys_unavailable', {
      params: { reason: textOf(TEXT, 'notWritable', { source: source.description }) },
    });
  const now = io.now();
  const iso = new Date(now).toISOString();
  const kid = values.kid ?? defaultKid(config.id, now, tp);
  const lifetime = config.rotation.keyLifetimeDays;
  const imported: StoredKey = {
    kid,
    state: values.state,
    createdAt: iso,
    ...(values.state === 'active' ? { activatedAt: iso } : {}),
    ...(lifetime === null ? {} : { notAfter: new Date(now + lifetime * 86_400_000).toISOString() }),
    privateJwk: privateJwk as JsonWebKey,
  };
  const before = await source.load();
  const change =
    before === undefined
      ? await firstKeyring(imported, config, now)
      : await addToKeyring(before, imported, tp, values.replace === true);
  // Checked as the node will check it (one active key, SM2 under the national profile) before it is saved.
  const keyring = await NodeKeyring.load(change.document, config.id, {
    retainRetiredSeconds: retainRetiredSeconds(config),
    profile: config.cryptoProfile,
  });
  await source.save(change.document);
  const jwks = publishJwksFile(config, keyring, now);
  const state = change.document.keys.find((k) => k.kid === kid)!.state as 'next' | 'active';
  if (values.json) {
    io.out(
      `${JSON.stringify({ node: config.id, kid, alg: 'SM2', state, thumbprint: tp, jwks, ...change.facts })}\n`,
    );
    return 0;
  }
  io.out(`${t('imported', { kid, state: t(state), thumbprint: tp, jwks })}\n`);
  if (change.facts.generatedNext !== undefined)
    io.out(`${t('importedFirst', { next: change.facts.generatedNext })}\n`);
  else if (state === 'next') io.out(`${t('asNext')}\n`);
  else io.out(`${t('asActive', { retired: change.facts.retired ?? '-' })}\n`);
  if (change.facts.replaced !== undefined) io.out(`${t('replaced', { kid: change.facts.replaced })}\n`);
  io.out(`${t('reload')}\n`);
  return 0;
}

interface Change {
  readonly document: KeyringDocument;
  readonly facts: { retired?: string; replaced?: string; generatedNext?: string };
}

/** A node without keys: the imported key signs, and a next key of the configured algorithm waits. */
async function firstKeyring(
  imported: StoredKey,
  config: ReturnType<typeof loadConfigFile>,
  now: number,
): Promise<Change> {
  const generated = await createKeyring(
    config.id,
    config.keys.algorithm,
    now,
    config.rotation.keyLifetimeDays,
  );
  const next = generated.keys.find((k) => k.state === 'next')!;
  const iso = new Date(now).toISOString();
  return {
    document: { version: 1, keys: [{ ...imported, state: 'active', activatedAt: iso }, next] },
    facts: { generatedNext: next.kid },
  };
}

async function addToKeyring(
  doc: KeyringDocument,
  imported: StoredKey,
  tp: string,
  replace: boolean,
): Promise<Change> {
  for (const k of doc.keys) {
    if ((await thumbprint(k.privateJwk as Record<string, unknown>)) === tp)
      throw refused(textOf(TEXT, 'duplicate', { kid: k.kid, thumbprint: tp }));
    if (k.kid === imported.kid) throw refused(textOf(TEXT, 'kidTaken', { kid: k.kid }));
  }
  const facts: Change['facts'] = {};
  const keys: StoredKey[] = [];
  for (const k of doc.keys) {
    if (imported.state === 'next' && k.state === 'next') {
      if (!replace) throw refused(textOf(TEXT, 'nextExists', { kid: k.kid }));
      facts.replaced = k.kid;
    } else if (imported.state === 'active' && k.state === 'active') {
      keys.push({ ...k, state: 'retired', retiredAt: imported.activatedAt! });
      facts.retired = k.kid;
    } else keys.push(k);
  }
  keys.push(imported);
  return { document: { version: 1, keys }, facts };
}

/** `--out DIR`: the key as `keys generate` writes one, for a key source yrdx does not write. */
function writeJwkFiles(
  out: string,
  kid: string,
  privateJwk: Record<string, unknown>,
  tp: string,
  io: Io,
  json: boolean,
): number {
  const t = texts(io, TEXT);
  const privatePath = resolve(out, `${kid}.private.jwk.json`);
  const publicPath = resolve(out, `${kid}.jwks.json`);
  if (existsSync(privatePath) || existsSync(publicPath))
    throw new UsageError(t('exists', { private: privatePath, public: publicPath }));
  const meta = { kid, alg: 'SM2', use: 'sig' };
  writeFileAtomic(privatePath, `${JSON.stringify({ ...privateJwk, ...meta }, null, 2)}\n`, 0o600);
  writeFileAtomic(
    publicPath,
    `${JSON.stringify({ keys: [{ ...publicPart(privateJwk), ...meta }] }, null, 2)}\n`,
    0o644,
  );
  if (json)
    io.out(
      `${JSON.stringify({ kid, alg: 'SM2', thumbprint: tp, privateKey: privatePath, jwks: publicPath })}\n`,
    );
  else io.out(`${t('written', { kid, thumbprint: tp, private: privatePath, public: publicPath })}\n`);
  return 0;
}
