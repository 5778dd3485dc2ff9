import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isSigningAlgorithm } from '../../envelope/algorithms.js';
import { sha256Hex, sm3Digest } from '../../envelope/digest.js';
import { YrdxError } from '../../errors/errors.js';
import { generatePrivateJwk, publicPart, thumbprint } from '../../keys/jwk.js';
import { DEFAULT_KEY_LIFETIME_DAYS, NodeKeyring, rotateKeyring } from '../../keys/keyring.js';
import { keyReason } from '../../keys/text.js';
import { beijingClock, beijingTime } from '../../text/beijing-time.js';
import { cityLabel } from '../../vocabulary/regions.js';
import { loadKeyring, publishJwksFile, retainRetiredSeconds } from '../node/boot.js';
import { loadConfigFile } from '../node/config-file.js';
import { writeFileAtomic } from '../node/key-sources.js';
import { type Io, language, UsageError } from './output.js';
import { bilingual, listIn, texts } from './text.js';

export const TEXT = bilingual({
  zh: {
    lifetimeDays: '--lifetime-days 应为 0（不设期限）到 3650 之间的整数',
    alg: '--alg 应为 ES256、EdDSA、PS256 或 SM2',
    kid: '--kid 应为 1–128 个字母、数字或 . _ : -',
    outRequired: '缺少 --out DIR',
    exists: '{private} 或 {public} 已存在；如要覆盖，请加 --force',
    generated:
      '密钥 {kid}（{alg}）\n指纹 {thumbprint}\n到期 {notAfter}\n私钥 {private}（权限 0600）\n公钥 JWKS {public}',
    noEnd: '（不设期限）',
    initLine: '{node}：{keys}',
    keyState: '{kid}（{state}）',
    jwksLine: '  公钥 JWKS {jwks}',
    active: '签名密钥',
    next: '下一密钥',
    retired: '已停用',
    listHead:
      '密钥标识                         算法   状态       指纹                                         创建时间（北京时间）   到期时间（北京时间）',
    rotated: '{node}：{activated} 已启用为签名密钥；{retired} 已停用（其报文过期前仍会发布）',
    newNext: '新的下一密钥 {created}：下次轮换前请把它的指纹交给伙伴节点',
    dropped: '已删除过期的停用密钥：{kids}',
    reload: '公钥 JWKS {jwks}\n向运行中的节点发送 SIGHUP 以加载新密钥',
    apiKey: 'API 密钥（交给本地系统；yrdx 不保存它）：{key}\n写入配置（"apiKeys"）：{hash}',
    digest: '--digest 应为 sm3 或 sha256',
  },
  en: {
    lifetimeDays: '--lifetime-days must be an integer from 0 (no end) to 3650',
    alg: '--alg must be ES256, EdDSA, PS256 or SM2',
    kid: '--kid must be 1–128 letters, digits or . _ : -',
    outRequired: '--out DIR is required',
    exists: '{private} or {public} exists; pass --force to overwrite',
    generated:
      'kid {kid} ({alg})\nthumbprint {thumbprint}\nnot after {notAfter}\nprivate key {private} (mode 0600)\npublic JWKS {public}',
    noEnd: '(no end set)',
    initLine: '{node}: {keys}',
    keyState: '{kid} ({state})',
    jwksLine: '  public JWKS {jwks}',
    active: 'active',
    next: 'next',
    retired: 'retired',
    listHead:
      'KID                              ALG    STATE      THUMBPRINT                                   CREATED (Beijing time) NOT AFTER (Beijing time)',
    rotated: '{node}: {activated} is now active; {retired} is retired (published until its messages expire)',
    newNext: 'new next key {created}: give partners its thumbprint before the next rotation',
    dropped: 'dropped expired retired keys: {kids}',
    reload: 'public JWKS {jwks}\nsend SIGHUP to a running node to load the new keys',
    apiKey:
      'API key (give it to the local system; it is not stored): {key}\nfor the configuration ("apiKeys"): {hash}',
    digest: '--digest must be sm3 or sha256',
  },
});

type State = 'active' | 'next' | 'retired';
const stateWord = (t: ReturnType<typeof texts<typeof TEXT>>, state: string) =>
  state === 'active' || state === 'next' || state === 'retired' ? t(state as State) : state;

const KID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * `yrdx keys generate --alg ES256|EdDSA|PS256|SM2 --kid KID --out DIR [--lifetime-days N] [--force]`:
 * one key, whose `exp` (Unix seconds, N days from now, default 730; 0 for none) becomes its
 * `notAfter` when the private JWK is used as a node's keys.
 */
export async function keysGenerate(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      alg: { type: 'string', default: 'ES256' },
      kid: { type: 'string' },
      out: { type: 'string' },
      'lifetime-days': { type: 'string', default: String(DEFAULT_KEY_LIFETIME_DAYS) },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const t = texts(io, TEXT);
  const lifetimeDays = Number(values['lifetime-days']);
  if (!Number.isInteger(lifetimeDays) || lifetimeDays < 0 || lifetimeDays > 3650)
    throw new UsageError(t('lifetimeDays'));
  if (!isSigningAlgorithm(values.alg)) throw new UsageError(t('alg'));
  if (values.kid === undefined || !KID.test(values.kid)) throw new UsageError(t('kid'));
  if (values.out === undefined) throw new UsageError(t('outRequired'));
  const privatePath = resolve(values.out, `${values.kid}.private.jwk.json`);
  const publicPath = resolve(values.out, `${values.kid}.jwks.json`);
  if (!values.force && (existsSync(privatePath) || existsSync(publicPath))) {
    throw new UsageError(t('exists', { private: privatePath, public: publicPath }));
  }
  const jwk = await generatePrivateJwk(values.alg);
  const exp = lifetimeDays === 0 ? undefined : Math.floor(io.now() / 1000) + lifetimeDays * 86_400;
  const meta = { kid: values.kid, alg: values.alg, use: 'sig', ...(exp === undefined ? {} : { exp }) };
  const notAfter = exp === undefined ? undefined : new Date(exp * 1000).toISOString();
  writeFileAtomic(privatePath, `${JSON.stringify({ ...jwk, ...meta }, null, 2)}\n`, 0o600);
  writeFileAtomic(
    publicPath,
    `${JSON.stringify({ keys: [{ ...publicPart(jwk as Record<string, unknown>), ...meta }] }, null, 2)}\n`,
    0o644,
  );
  const tp = await thumbprint(jwk as Record<string, unknown>);
  if (values.json)
    io.out(
      `${JSON.stringify({ kid: values.kid, alg: values.alg, thumbprint: tp, ...(notAfter === undefined ? {} : { notAfter }), privateKey: privatePath, jwks: publicPath })}\n`,
    );
  else
    io.out(
      `${t('generated', {
        kid: values.kid,
        alg: values.alg,
        thumbprint: tp,
        notAfter: notAfter === undefined ? t('noEnd') : beijingTime(notAfter, language(io.env)),
        private: privatePath,
        public: publicPath,
      })}\n`,
    );
  return 0;
}

function configOption(values: { config?: string | string[] | undefined }): string[] {
  const given = values.config;
  if (given === undefined) return ['config/node.json'];
  return Array.isArray(given) ? given : [given];
}

/** `yrdx keys init [--config FILE]...`: first-run key generation for one or more nodes. */
export async function keysInit(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string', multiple: true }, json: { type: 'boolean' } },
  });
  const t = texts(io, TEXT);
  const lang = language(io.env);
  for (const file of configOption(values)) {
    const config = loadConfigFile(file);
    const { keySource, keyring } = await loadKeyring(config, { env: io.env, now: io.now }, 'if-writable');
    const jwks = resolve(config.dataDir, 'jwks.json');
    if (values.json)
      io.out(
        `${JSON.stringify({ node: config.id, source: keySource.description.en, jwks, keys: keyring.keys })}\n`,
      );
    else
      io.out(
        `${t('initLine', {
          node: nodeLabel(config.id, config.name, lang),
          keys: listIn(
            lang,
            keyring.keys.map((k) => t('keyState', { kid: k.kid, state: stateWord(t, k.state) })),
          ),
        })}\n${t('jwksLine', { jwks })}\n`,
      );
  }
  return 0;
}

/** `yrdx keys list [--config FILE] [--json]` */
export async function keysList(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' }, json: { type: 'boolean' } } });
  const config = loadConfigFile(configOption(values)[0]!);
  const { keyring } = await loadKeyring(config, { env: io.env, now: io.now }, 'if-writable');
  if (values.json) {
    for (const k of keyring.keys) io.out(`${JSON.stringify(k)}\n`);
    return 0;
  }
  const t = texts(io, TEXT);
  io.out(`${t('listHead')}\n`);
  for (const k of keyring.keys) {
    const state = stateWord(t, k.state);
    io.out(
      `${k.kid.padEnd(32)} ${k.alg.padEnd(6)} ${state}${' '.repeat(Math.max(1, 11 - width(state)))}${k.thumbprint} ${beijingClock(k.createdAt).padEnd(22)} ${k.notAfter === undefined ? '-' : beijingClock(k.notAfter)}\n`,
    );
  }
  return 0;
}

/**
 * `yrdx keys rotate [--config FILE] [--force] [--json]`: next → active, active → retired, a new next
 * key. A running node picks the new keyring up on SIGHUP.
 */
export async function keysRotate(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  const t = texts(io, TEXT);
  const config = loadConfigFile(configOption(values)[0]!);
  const { keySource } = await loadKeyring(config, { env: io.env, now: io.now }, 'if-writable');
  if (keySource.save === undefined) {
    throw new YrdxError('key_rotation_refused', {
      params: { reason: keyReason('notWritable', { source: keySource.description }) },
    });
  }
  const doc = await keySource.load();
  const result = await rotateKeyring(doc!, config.id, io.now(), {
    alg: config.keys.algorithm,
    minNextAgeSeconds: config.rotation.minNextAgeSeconds,
    retainRetiredSeconds: retainRetiredSeconds(config),
    lifetimeDays: config.rotation.keyLifetimeDays,
    force: values.force === true,
  });
  const keyring = await NodeKeyring.load(result.document, config.id, {
    retainRetiredSeconds: retainRetiredSeconds(config),
  });
  await keySource.save(result.document);
  const jwks = publishJwksFile(config, keyring, io.now());
  const summary = {
    node: config.id,
    activated: result.activated,
    retired: result.retired,
    created: result.created,
    dropped: result.dropped,
    jwks,
  };
  if (values.json) io.out(`${JSON.stringify(summary)}\n`);
  else {
    const node = nodeLabel(config.id, config.name, language(io.env));
    io.out(`${t('rotated', { node, activated: result.activated, retired: result.retired ?? '-' })}\n`);
    io.out(`${t('newNext', { created: result.created })}\n`);
    if (result.dropped.length > 0)
      io.out(`${t('dropped', { kids: listIn(language(io.env), result.dropped) })}\n`);
    io.out(`${t('reload', { jwks })}\n`);
  }
  return 0;
}

/**
 * `yrdx keys api-key [--digest sm3|sha256] [--config FILE] [--json]`: a new API key for a local system.
 * The key is shown once; the configuration stores only its digest (`"apiKeys": ["sha256:…"]` or
 * `["sm3:…"]`): SM3 when asked, or by default when `--config` names a node on the national profile.
 */
export async function keysApiKey(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { digest: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' } },
  });
  const t = texts(io, TEXT);
  if (values.digest !== undefined && values.digest !== 'sm3' && values.digest !== 'sha256')
    throw new UsageError(t('digest'));
  const profile = values.config === undefined ? undefined : loadConfigFile(values.config).cryptoProfile;
  const digest = values.digest ?? (profile === 'gm' ? 'sm3' : 'sha256');
  const key = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
  const hash = digest === 'sm3' ? sm3Digest(key) : `sha256:${await sha256Hex(key)}`;
  if (values.json) io.out(`${JSON.stringify({ key, hash })}\n`);
  else io.out(`${t('apiKey', { key, hash })}\n`);
  return 0;
}

/** A node as people read it: `330500 湖州市` (the configured name in Chinese, the city's name in English). */
function nodeLabel(id: string, name: string, lang: 'zh' | 'en'): string {
  return lang === 'en' ? cityLabel(id, 'en') : `${id} ${name}`;
}

/** Columns a terminal gives the text: CJK characters take two. */
const width = (text: string) => [...text].reduce((n, ch) => n + (ch.codePointAt(0)! >= 0x2e80 ? 2 : 1), 0);
