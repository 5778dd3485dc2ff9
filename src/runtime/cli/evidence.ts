import {
  createReadStream,
  createWriteStream,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { verifyEvidence } from '../../audit/evidence.js';
import { assembleEvidence } from '../../audit/evidence-export.js';
import { checkIncludedFiles, EVIDENCE_FILE_NAME, type FileVerdict } from '../../audit/evidence-files.js';
import type { NodeConfig } from '../../config/types.js';
import { digestAlgorithmOf } from '../../envelope/digest.js';
import type { PublicJwk } from '../../envelope/verification-key.js';
import { YrdxError } from '../../errors/errors.js';
import { NodeKeyring } from '../../keys/keyring.js';
import { PartnerRegistry } from '../../trust/partner-registry.js';
import { cityLabel } from '../../vocabulary/regions.js';
import { createFsBlobStore } from '../node/blob-fs.js';
import { retainRetiredSeconds } from '../node/boot.js';
import { loadConfigFile } from '../node/config-file.js';
import { nodeHasher } from '../node/hasher.js';
import { nodeKeySource } from '../node/key-sources.js';
import { nodeDigest, nodeSha256 } from '../node/sha256.js';
import { digestLines, openReadOnly, reading } from './audit.js';
import { type Io, language, UsageError } from './output.js';
import { bilingual, type Params, texts } from './text.js';

export const TEXT = bilingual({
  zh: {
    messageRequired: '缺少 --message ID',
    outRequired: '缺少 --out FILE',
    outNotEmpty: '--with-files 需要一个不存在或为空的文件夹作为 --out：{out} 已有内容',
    readingLog: '正在读取审计日志直到链头……',
    purged: '（报文内容已按保留期限删除，其摘要仍可证明）',
    exported:
      '已写入 {out}：报文 {id}{purged}，{receipts} 份回执，{filesReceipts} 份文件回执，{files} 个附件，{entries} 条链记录，截至第 {seq} 条',
    keysUnavailable: '无法加载本节点密钥',
    oneBundle: '请给出一个证据包文件或文件夹 BUNDLE',
    unreadable: '无法读取 {file}（{code}）',
    outbound: '发出',
    inbound: '收到',
    evidenceValid:
      '证据包有效：报文 {id}（节点 {node} {direction}）{purged}，{receipts} 份回执，{entries} 条链记录，截至第 {seq} 条 {hash}',
    filesReceipts: '文件回执：{count} 份已校验（签名、报文、收件节点、所列文件摘要和审计记录）',
    unbundled:
      '注意：审计日志另记有 {count} 份文件回执，已被同一收件节点之后的回执取代，存储中只保留最新一份，故不在证据包中。',
    key: '  {owner} 的密钥 {kid}：指纹 {thumbprint}',
    compare: '请把这些指纹与你为这些节点登记的密钥核对。',
    unmatched:
      '注意：{count} 份回执以另一摘要算法确认该报文，而报文内容已按保留期限删除，无法再与其比对（回执的签名和审计记录仍已校验）。',
    file: '  附件 {index}「{name}」（{size} 字节，{algorithm} {digest}）：{status}',
    'file:ok': '与签名摘要一致（{path}）',
    'file:missing': '缺失：证据包中没有 {path}',
    'file:altered': '已被改动：{path} 读到 {foundSize} 字节，摘要 {found}',
    'file:not-included': '未包含在证据包中',
    filesOk: '附件：{count} 个已包含的附件都与报文签名的摘要一致',
    filesBad: '附件校验未通过：{bad} 个附件缺失或被改动（共包含 {count} 个）。证据包本身的签名与链证明有效。',
  },
  en: {
    messageRequired: '--message ID is required',
    outRequired: '--out FILE is required',
    outNotEmpty: '--with-files needs --out to be a folder that does not exist or is empty: {out} is not',
    readingLog: 'reading the audit log up to its head…',
    purged: ' (payload removed after retention; its digest is proven)',
    exported:
      'wrote {out}: message {id}{purged}, {receipts} receipt(s), {filesReceipts} files receipt(s), {files} file(s), {entries} chain entries up to {seq}',
    keysUnavailable: 'this node’s keys cannot be loaded',
    oneBundle: 'give exactly one BUNDLE file or folder',
    unreadable: '{file} cannot be read ({code})',
    outbound: 'sent',
    inbound: 'received',
    evidenceValid:
      'evidence valid: message {id} ({direction} at node {node}){purged}, {receipts} receipt(s), chain of {entries} entries up to {seq} {hash}',
    filesReceipts:
      'files receipts: {count} checked (signature, message, recipient, the digests of the files listed, audit entry)',
    unbundled:
      'note: the audit log records {count} more files receipt(s) that a later receipt from the same recipient replaced; the store keeps only the latest, so they are not in the bundle.',
    key: '  key {kid} of {owner}: thumbprint {thumbprint}',
    compare: 'Compare the thumbprints with the keys you have registered for these nodes.',
    unmatched:
      'note: {count} receipt(s) acknowledge the message by another digest algorithm and its payload was removed after retention, so they can no longer be compared with it (their signatures and audit entries were checked).',
    file: '  file {index} “{name}” ({size} bytes, {algorithm} {digest}): {status}',
    'file:ok': 'matches its signed digest ({path})',
    'file:missing': 'missing: the bundle has no {path}',
    'file:altered': 'altered: {path} reads {foundSize} bytes, digest {found}',
    'file:not-included': 'not included in the bundle',
    filesOk: 'files: all {count} included file(s) match the digests the message signed',
    filesBad:
      'files check failed: {bad} file(s) missing or altered ({count} included). The bundle’s own signatures and chain proof are valid.',
  },
});

/**
 * `yrdx evidence export [--config FILE] --message ID --out FILE|DIR [--with-files] [--json]`: writes the
 * evidence bundle of a message this node sent or received (see docs/evidence.md). With
 * `--with-files`, `--out` is a folder: `evidence.json` and the files' bytes under `files/`, copied
 * from the node's files folder chunk by chunk.
 */
export async function evidenceExport(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', default: 'config/node.json' },
      message: { type: 'string' },
      out: { type: 'string' },
      'with-files': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const t = texts(io, TEXT);
  if (values.message === undefined) throw new UsageError(t('messageRequired'));
  if (values.out === undefined) throw new UsageError(t('outRequired'));
  const out = values.out;
  const withFiles = values['with-files'] === true;
  if (withFiles && existsSync(out) && (!lstatSync(out).isDirectory() || readdirSync(out).length > 0))
    throw new UsageError(t('outNotEmpty', { out }));
  const id = values.message;
  const configFile = values.config;
  const config = loadConfigFile(configFile);
  const store = await openReadOnly(config, io);
  const blobs = createFsBlobStore(config.attachments.dir ?? join(config.dataDir, 'files'));
  try {
    if (withFiles) mkdirSync(join(out, 'files'), { recursive: true });
    const bundle = await assembleEvidence(id, {
      store,
      node: config.id,
      keyOf: nodeKeys(config, configFile, io, id),
      digest: nodeDigest(config.cryptoProfile),
      now: io.now(),
      reading: (read) => reading(config, read),
      onReadingLog: () => io.err(`${t('readingLog')}\n`),
      ...(withFiles
        ? {
            includeFile: async (file, path) => {
              const body = await blobs.readBlob(file.digest);
              if (body === undefined) return false;
              await pipeline(
                Readable.fromWeb(body as never),
                createWriteStream(join(out, path), { flags: 'wx' }),
              );
              return true;
            },
          }
        : {}),
    });
    const file = withFiles ? join(out, EVIDENCE_FILE_NAME) : out;
    writeFileSync(file, bundle.text);
    const summary = {
      out: file,
      messageId: id,
      purged: bundle.purged,
      receipts: bundle.receipts,
      filesReceipts: bundle.filesReceipts,
      files: bundle.files,
      entries: bundle.entries,
      head: bundle.head,
    };
    if (values.json) io.out(`${JSON.stringify(summary)}\n`);
    else
      io.out(
        `${t('exported', {
          out: file,
          id,
          purged: summary.purged ? t('purged') : '',
          receipts: bundle.receipts,
          filesReceipts: bundle.filesReceipts,
          files: bundle.files,
          entries: bundle.entries,
          seq: bundle.head.seq,
        })}\n`,
      );
    return 0;
  } finally {
    await store.close();
  }
}

/** The public keys known to the node: its own from its keyring, partners' from the registry (both loaded once, when first needed). */
function nodeKeys(
  config: NodeConfig,
  configFile: string,
  io: Io,
  id: string,
): (iss: string, kid: string) => Promise<PublicJwk | undefined> {
  let keyring: NodeKeyring | undefined;
  let partners: PartnerRegistry | undefined;
  return async (iss, kid) => {
    if (iss === config.id) {
      if (keyring === undefined) {
        const doc = await nodeKeySource(config.keys, config.dataDir, io.env, io.now).load();
        if (doc === undefined)
          throw new YrdxError('evidence_unavailable', {
            params: {
              id: id.slice(0, 40),
              reason: { zh: TEXT.zh.keysUnavailable, en: TEXT.en.keysUnavailable },
            },
          });
        keyring = await NodeKeyring.load(doc, config.id, {
          retainRetiredSeconds: retainRetiredSeconds(config),
        });
      }
      return keyring.verificationKey(kid)?.jwk;
    }
    partners ??= await PartnerRegistry.create(config.partners, {
      file: configFile,
      ownId: config.id,
      ownThumbprints: [],
      readFile: (path) => readFileSync(path, 'utf8'),
    });
    return partners.get(iss)?.keys.get(kid)?.jwk;
  };
}

/**
 * `yrdx evidence verify [--json] BUNDLE`: checks an evidence bundle with nothing but the bundle: a
 * file, or a folder exported `--with-files` (then every included file is read and compared with the
 * digest the message signed; a file missing or altered exits 1 with a report of each file).
 */
export async function evidenceVerify(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' } },
  });
  const t = texts(io, TEXT);
  const lang = language(io.env);
  if (positionals.length !== 1) throw new UsageError(t('oneBundle'));
  const given = positionals[0]!;
  let file = given;
  let text: string;
  try {
    if (lstatSync(given).isDirectory()) file = join(given, EVIDENCE_FILE_NAME);
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new UsageError(t('unreadable', { file, code: (cause as NodeJS.ErrnoException).code ?? 'EIO' }));
  }
  const report = await verifyEvidence(text, nodeSha256);
  const base = dirname(file);
  const files = await checkIncludedFiles(report.files, {
    hasher: nodeHasher,
    // Only a regular file at the path the bundle's index gives (never a link or a folder).
    open: async (path) => {
      const at = join(base, path);
      if (!existsSync(at) || !lstatSync(at).isFile()) return undefined;
      return Readable.toWeb(createReadStream(at)) as ReadableStream<Uint8Array>;
    },
  });
  const bad = files.filter((f) => f.status === 'missing' || f.status === 'altered');
  const includedCount = files.filter((f) => f.status !== 'not-included').length;
  if (values.json) {
    io.out(`${JSON.stringify({ valid: bad.length === 0, ...report, files })}\n`);
    return bad.length === 0 ? 0 : 1;
  }
  io.out(
    `${t('evidenceValid', {
      id: report.messageId,
      direction: t(report.direction),
      node: cityLabel(report.node, lang),
      purged: report.purged ? t('purged') : '',
      receipts: report.receipts,
      entries: report.entries,
      seq: report.head.seq,
      hash: report.head.hash,
    })}\n`,
  );
  io.out(digestLines(io, report.digests));
  if (report.unmatchedReceipts > 0) io.out(`${t('unmatched', { count: report.unmatchedReceipts })}\n`);
  if (report.filesReceipts > 0) io.out(`${t('filesReceipts', { count: report.filesReceipts })}\n`);
  if (report.unbundledFilesReceipts > 0)
    io.out(`${t('unbundled', { count: report.unbundledFilesReceipts })}\n`);
  for (const f of files) io.out(`${fileLine(t, f)}\n`);
  if (includedCount > 0)
    io.out(
      `${bad.length === 0 ? t('filesOk', { count: includedCount }) : t('filesBad', { bad: bad.length, count: includedCount })}\n`,
    );
  for (const k of report.keys)
    io.out(`${t('key', { kid: k.kid, owner: cityLabel(k.owner, lang), thumbprint: k.thumbprint })}\n`);
  io.out(`${t('compare')}\n`);
  return bad.length === 0 ? 0 : 1;
}

function fileLine(t: (key: keyof typeof TEXT.zh, params?: Params) => string, f: FileVerdict): string {
  const status = t(`file:${f.status}`, {
    path: f.path ?? '',
    foundSize: f.found?.size ?? 0,
    found: f.found?.digest ?? '',
  });
  return t('file', {
    index: f.index,
    name: f.name,
    size: f.size,
    algorithm: digestAlgorithmOf(f.digest) ?? '',
    digest: f.digest,
    status,
  });
}
