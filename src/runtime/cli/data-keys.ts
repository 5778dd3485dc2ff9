import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { NodeConfig } from '../../config/types.js';
import { YrdxError } from '../../errors/errors.js';
import { DataKeyring, dataKeyAlgorithm, rotateDataKeys, type StoredDataKey } from '../../keys/data-keys.js';
import type { KeySource } from '../../keys/source.js';
import { keyReason } from '../../keys/text.js';
import { type RewrapReport, rewrapStore } from '../../store/at-rest/rewrap.js';
import { beijingTime } from '../../text/beijing-time.js';
import { loadConfigFile } from '../node/config-file.js';
import { fileKeySource, nodeKeySource } from '../node/key-sources.js';
import { openNodeStore } from '../node/store.js';
import { type Io, language, UsageError } from './output.js';
import { bilingual, texts } from './text.js';

export const TEXT = bilingual({
  zh: {
    'group:data-key': '数据密钥：列出、轮换用于静态加密的数据密钥，并用新密钥重新加密已存储的数据',
    'help:data-key list':
      'yrdx data-key list [--config FILE] [--keys FILE] [--json]\n列出数据密钥：标识、算法、状态和时间（从不显示密钥本身）\n  --config FILE              节点配置文件（默认 config/node.json）\n  --keys FILE                读取这个密钥环文档，而不是节点的密钥来源\n  --json                     以 JSON 输出',
    'help:data-key rotate':
      'yrdx data-key rotate [--config FILE] [--keys FILE] [--rewrap] [--batch N] [--json]\n生成新的数据密钥并启用（国密配置为 SM4-GCM，否则为 AES-256-GCM）；原密钥停用但保留，用于解密它加密的数据\n  --config FILE              节点配置文件（默认 config/node.json）\n  --keys FILE                改写这个密钥环文档（密钥来源为环境变量或 Workers secret 时，对其副本操作）\n  --rewrap                   随后用新密钥分批重新加密已存储的数据，原为明文的值一并加密\n  --batch N                  每批的行数（默认 200）\n  --json                     以 JSON 输出',
    listHead: '数据密钥标识            算法          状态      创建时间（北京时间）   停用时间（北京时间）',
    active: '启用',
    retired: '已停用',
    none: '（没有数据密钥：节点首次启动时生成）',
    rotated: '{activated}（{alg}）已启用为数据密钥',
    retiredKey: '{retired} 已停用，仍保留以解密它加密的数据',
    saved: '已写入 {source}',
    reload:
      '运行中的节点读到新密钥加密的数据时会重新读取密钥来源；重启节点可使新数据立即用新密钥加密。密钥来源为环境变量或 Workers secret 时，请把更新后的文档放回去。',
    page: '{column}：已读 {read}，换用新密钥 {rewrapped}，原为明文而加密 {sealed}',
    rewrapped: '重新加密完成：{rewrapped} 个值换用新密钥，{sealed} 个原为明文的值已加密',
    batch: '--batch 应为 1 到 10000 之间的整数',
  },
  en: {
    'group:data-key':
      'data keys: list and rotate the keys of encryption at rest, and re-encrypt what is stored',
    'help:data-key list':
      'yrdx data-key list [--config FILE] [--keys FILE] [--json]\nlist the data keys: id, algorithm, state and times (never the keys themselves)\n  --config FILE              node configuration (default config/node.json)\n  --keys FILE                read this keyring document instead of the node’s key source\n  --json                     print JSON',
    'help:data-key rotate':
      'yrdx data-key rotate [--config FILE] [--keys FILE] [--rewrap] [--batch N] [--json]\nmake a new active data key (SM4-GCM under the national profile, AES-256-GCM otherwise); the old one is retired and kept to decrypt what it encrypted\n  --config FILE              node configuration (default config/node.json)\n  --keys FILE                rewrite this keyring document (for keys in an environment variable or a Workers secret, work on a copy)\n  --rewrap                   then re-encrypt what is stored under the new key, in batches; values in the clear are encrypted too\n  --batch N                  rows per batch (default 200)\n  --json                     print JSON',
    listHead: 'DATA KEY ID             ALG           STATE     CREATED (Beijing time) RETIRED (Beijing time)',
    active: 'active',
    retired: 'retired',
    none: '(no data key: the node makes one when it first starts)',
    rotated: '{activated} ({alg}) is now the active data key',
    retiredKey: '{retired} is retired, kept to decrypt what it encrypted',
    saved: 'written to {source}',
    reload:
      'A running node reads its key source again when it meets a value under the new key; restart it to encrypt new values under the new key at once. For keys in an environment variable or a Workers secret, put the updated document back.',
    page: '{column}: {read} read, {rewrapped} moved to the new key, {sealed} encrypted that were in the clear',
    rewrapped:
      'rewrap done: {rewrapped} value(s) moved to the new key, {sealed} value(s) in the clear encrypted',
    batch: '--batch must be an integer from 1 to 10000',
  },
});

const COMMON = {
  config: { type: 'string', default: 'config/node.json' },
  keys: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The keyring document's source: `--keys FILE`, else the node's own key source. */
function sourceOf(config: NodeConfig, keysFile: string | undefined, io: Io): KeySource {
  return keysFile === undefined
    ? nodeKeySource(config.keys, config.dataDir, io.env, io.now)
    : fileKeySource(resolve(keysFile), io.now);
}

function line(k: Omit<StoredDataKey, 'key'>, t: ReturnType<typeof texts<typeof TEXT>>, io: Io): string {
  const lang = language(io.env);
  const at = (iso: string | undefined) => (iso === undefined ? '—' : beijingTime(Date.parse(iso), lang));
  return [
    k.id.padEnd(23),
    k.alg.padEnd(13),
    t(k.state).padEnd(9),
    at(k.createdAt).padEnd(22),
    at(k.retiredAt),
  ].join(' ');
}

/** `yrdx data-key list [--config FILE] [--keys FILE] [--json]` */
export async function dataKeyList(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: COMMON });
  const config = loadConfigFile(values.config);
  const doc = await sourceOf(config, values.keys, io).load();
  const keys =
    doc === undefined
      ? []
      : (DataKeyring.from(doc)?.keys ?? (doc.dataKeys ?? []).map(({ key: _k, ...k }) => k));
  const t = texts(io, TEXT);
  if (values.json) {
    for (const k of keys) io.out(`${JSON.stringify(k)}\n`);
    return 0;
  }
  io.out(`${t('listHead')}\n`);
  if (keys.length === 0) io.out(`${t('none')}\n`);
  for (const k of keys) io.out(`${line(k, t, io)}\n`);
  return 0;
}

/** `yrdx data-key rotate [--config FILE] [--keys FILE] [--rewrap] [--batch N] [--json]` */
export async function dataKeyRotate(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...COMMON, rewrap: { type: 'boolean' }, batch: { type: 'string', default: '200' } },
  });
  const t = texts(io, TEXT);
  const batch = Number(values.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) throw new UsageError(t('batch'));
  const config = loadConfigFile(values.config);
  const source = sourceOf(config, values.keys, io);
  if (source.save === undefined)
    throw new YrdxError('key_rotation_refused', {
      params: { reason: keyReason('dataKeyNotWritable', { source: source.description }) },
    });
  const doc = await source.load();
  if (doc === undefined)
    throw new YrdxError('keys_unavailable', {
      params: { reason: keyReason('noKeys', { source: source.description }) },
    });
  const alg = dataKeyAlgorithm(config.cryptoProfile);
  const rotation = rotateDataKeys(doc, alg, io.now());
  await source.save.call(source, rotation.document);
  let report: RewrapReport | undefined;
  if (values.rewrap) {
    const keys = DataKeyring.from(rotation.document)!;
    const store = openNodeStore(config, { env: io.env, atRest: { keys: () => keys } });
    try {
      await store.migrate();
      report = await rewrapStore(store, keys, {
        batch,
        onPage: (column, count) => io.err(`${t('page', { column, ...count })}\n`),
      });
    } finally {
      await store.close();
    }
  }
  const totals = Object.values(report ?? {}).reduce(
    (sum, c) => ({ rewrapped: sum.rewrapped + c.rewrapped, sealed: sum.sealed + c.sealed }),
    { rewrapped: 0, sealed: 0 },
  );
  if (values.json) {
    io.out(
      `${JSON.stringify({ activated: rotation.activated, alg, retired: rotation.retired ?? null, rewrap: report ?? null })}\n`,
    );
    return 0;
  }
  io.out(`${t('rotated', { activated: rotation.activated, alg })}\n`);
  if (rotation.retired !== undefined) io.out(`${t('retiredKey', { retired: rotation.retired })}\n`);
  io.out(`${t('saved', { source: source.description })}\n`);
  if (report !== undefined) io.out(`${t('rewrapped', totals)}\n`);
  io.out(`${t('reload')}\n`);
  return 0;
}
