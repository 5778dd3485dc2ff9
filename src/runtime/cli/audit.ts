import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { verifyEvidence } from '../../audit/evidence.js';
import { assembleEvidence } from '../../audit/evidence-export.js';
import { CHAIN_FAULT_ZH, verifyStoredLog } from '../../audit/verify-log.js';
import type { NodeConfig } from '../../config/types.js';
import type { PublicJwk } from '../../envelope/verification-key.js';
import { YrdxError } from '../../errors/errors.js';
import { NodeKeyring } from '../../keys/keyring.js';
import type { DigestRun } from '../../store/audit-chain.js';
import type { Store } from '../../store/port.js';
import { PartnerRegistry } from '../../trust/partner-registry.js';
import { cityLabel } from '../../vocabulary/regions.js';
import { retainRetiredSeconds } from '../node/boot.js';
import { loadConfigFile } from '../node/config-file.js';
import { keySourceAtRest } from '../node/data-keys.js';
import { nodeKeySource } from '../node/key-sources.js';
import { nodeDigest, nodeSha256 } from '../node/sha256.js';
import { nodeStoreConfig, openNodeStore } from '../node/store.js';
import { type Io, language, UsageError } from './output.js';
import { bilingual, textOf, texts } from './text.js';

export const TEXT = bilingual({
  zh: {
    noFile: '文件不存在',
    storeFault: '存储报告：{message}',
    checked: '已校验 {count} 条记录……',
    valid: '审计日志完好：共 {count} 条记录，链头 {hash}',
    digests: '摘要算法：{runs}',
    digestRun: '{algorithm}（第 {first}–{last} 条）',
    runSeparator: '，',
    digestChanged: '第 {seq} 条起由 {from} 改用 {to}（该条为算法变更标记）',
    messageRequired: '缺少 --message ID',
    outRequired: '缺少 --out FILE',
    readingLog: '正在读取审计日志直到链头……',
    purged: '（报文内容已按保留期限删除，其摘要仍可证明）',
    exported: '已写入 {out}：报文 {id}{purged}，{receipts} 份回执，{entries} 条链记录，截至第 {seq} 条',
    keysUnavailable: '无法加载本节点密钥',
    oneBundle: '请给出一个证据包文件 BUNDLE',
    unreadable: '无法读取 {file}（{code}）',
    outbound: '发出',
    inbound: '收到',
    evidenceValid:
      '证据包有效：报文 {id}（节点 {node} {direction}）{purged}，{receipts} 份回执，{entries} 条链记录，截至第 {seq} 条 {hash}',
    key: '  {owner} 的密钥 {kid}：指纹 {thumbprint}',
    compare: '请把这些指纹与你为这些节点登记的密钥核对。',
    unmatched:
      '注意：{count} 份回执以另一摘要算法确认该报文，而报文内容已按保留期限删除，无法再与其比对（回执的签名和审计记录仍已校验）。',
  },
  en: {
    noFile: 'the file does not exist',
    storeFault: 'the store reports: {message}',
    checked: 'checked {count} entries…',
    valid: 'audit log valid: {count} entries, head {hash}',
    digests: 'digest algorithms: {runs}',
    digestRun: '{algorithm} (entries {first}–{last})',
    runSeparator: ', ',
    digestChanged: 'from entry {seq} on {to} instead of {from} (that entry marks the change)',
    messageRequired: '--message ID is required',
    outRequired: '--out FILE is required',
    readingLog: 'reading the audit log up to its head…',
    purged: ' (payload removed after retention; its digest is proven)',
    exported: 'wrote {out}: message {id}{purged}, {receipts} receipt(s), {entries} chain entries up to {seq}',
    keysUnavailable: 'this node’s keys cannot be loaded',
    oneBundle: 'give exactly one BUNDLE file',
    unreadable: '{file} cannot be read ({code})',
    outbound: 'sent',
    inbound: 'received',
    evidenceValid:
      'evidence valid: message {id} ({direction} at node {node}){purged}, {receipts} receipt(s), chain of {entries} entries up to {seq} {hash}',
    key: '  key {kid} of {owner}: thumbprint {thumbprint}',
    compare: 'Compare the thumbprints with the keys you have registered for these nodes.',
    unmatched:
      'note: {count} receipt(s) acknowledge the message by another digest algorithm and its payload was removed after retention, so they can no longer be compared with it (their signatures and audit entries were checked).',
  },
});

/**
 * The node's store, opened read-only: these commands run beside a running node and change nothing.
 * Payloads encrypted at rest are opened with the data keys of the node's key source.
 */
async function openReadOnly(config: NodeConfig, io: Io): Promise<Store> {
  const atRest = await keySourceAtRest(config, process.env, io.now, { lenient: true });
  // A PostgreSQL store is read through an ordinary connection; these commands only read.
  if (nodeStoreConfig(config, process.env).kind === 'postgres')
    return openNodeStore(config, { env: process.env, atRest });
  const file = join(config.dataDir, 'yrdx.sqlite');
  if (!existsSync(file)) {
    throw new YrdxError('audit_log_unavailable', { params: { file, reason: textOf(TEXT, 'noFile') } });
  }
  return openNodeStore(config, { readOnly: true, atRest });
}

/** Reads through the store, turning a missing table (a store never upgraded) into a clear problem. */
async function reading<T>(config: NodeConfig, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (cause) {
    if (cause instanceof YrdxError) throw cause;
    throw new YrdxError('audit_log_unavailable', {
      params: {
        file: join(config.dataDir, 'yrdx.sqlite'),
        reason: textOf(TEXT, 'storeFault', { message: (cause as Error).message }),
      },
      cause,
    });
  }
}

/**
 * `yrdx audit verify [--config FILE] [--json]`: checks the node's whole audit log offline, page by
 * page, and names the first broken entry (exit 1).
 */
export async function auditVerify(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string', default: 'config/node.json' }, json: { type: 'boolean' } },
  });
  const config = loadConfigFile(values.config);
  const store = await openReadOnly(config, io);
  try {
    const verdict = await reading(config, () =>
      verifyStoredLog(store, nodeSha256, {
        onPage: (checked) => io.err(`${texts(io, TEXT)('checked', { count: checked })}\n`),
      }),
    );
    if (!verdict.ok) {
      const broken = verdict.broken;
      const error = new YrdxError('audit_chain_broken', {
        params: { seq: broken.seq, reason: { zh: CHAIN_FAULT_ZH[broken.fault], en: broken.reason } },
      });
      if (values.json) {
        io.out(`${JSON.stringify({ valid: false, code: error.code, broken })}\n`);
        return 1;
      }
      throw error;
    }
    const head = verdict.head;
    if (values.json)
      io.out(`${JSON.stringify({ valid: true, entries: head.seq, head, digests: verdict.digests })}\n`);
    else {
      io.out(`${texts(io, TEXT)('valid', { count: head.seq, hash: head.hash })}\n`);
      io.out(digestLines(io, verdict.digests));
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** The digest algorithms of a verified chain, run by run, and where each change is marked. */
export function digestLines(io: Io, runs: readonly DigestRun[]): string {
  if (runs.length === 0) return '';
  const t = texts(io, TEXT);
  const listed = runs.map((r) => t('digestRun', { algorithm: r.algorithm, first: r.first, last: r.last }));
  let out = `${t('digests', { runs: listed.join(t('runSeparator')) })}\n`;
  runs.forEach((run, i) => {
    const before = runs[i - 1];
    if (before !== undefined)
      out += `${t('digestChanged', { seq: run.first, from: before.algorithm, to: run.algorithm })}\n`;
  });
  return out;
}

/**
 * `yrdx evidence export [--config FILE] --message ID --out FILE [--json]`: writes the evidence
 * bundle of a message this node sent or received (see docs/evidence.md).
 */
export async function evidenceExport(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', default: 'config/node.json' },
      message: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const t = texts(io, TEXT);
  if (values.message === undefined) throw new UsageError(t('messageRequired'));
  if (values.out === undefined) throw new UsageError(t('outRequired'));
  const id = values.message;
  const configFile = values.config;
  const config = loadConfigFile(configFile);
  const store = await openReadOnly(config, io);
  try {
    const bundle = await assembleEvidence(id, {
      store,
      node: config.id,
      keyOf: nodeKeys(config, configFile, io, id),
      digest: nodeDigest(config.cryptoProfile),
      now: io.now(),
      reading: (read) => reading(config, read),
      onReadingLog: () => io.err(`${t('readingLog')}\n`),
    });
    writeFileSync(values.out, bundle.text);
    const summary = {
      out: values.out,
      messageId: id,
      purged: bundle.purged,
      receipts: bundle.receipts,
      entries: bundle.entries,
      head: bundle.head,
    };
    if (values.json) io.out(`${JSON.stringify(summary)}\n`);
    else
      io.out(
        `${t('exported', {
          out: values.out,
          id,
          purged: summary.purged ? t('purged') : '',
          receipts: bundle.receipts,
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

/** `yrdx evidence verify [--json] BUNDLE`: checks an evidence bundle with nothing but the bundle. */
export async function evidenceVerify(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' } },
  });
  const t = texts(io, TEXT);
  const lang = language(io.env);
  if (positionals.length !== 1) throw new UsageError(t('oneBundle'));
  let text: string;
  try {
    text = readFileSync(positionals[0]!, 'utf8');
  } catch (cause) {
    throw new UsageError(
      t('unreadable', { file: positionals[0]!, code: (cause as NodeJS.ErrnoException).code ?? 'EIO' }),
    );
  }
  const report = await verifyEvidence(text, nodeSha256);
  if (values.json) io.out(`${JSON.stringify({ valid: true, ...report })}\n`);
  else {
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
    for (const k of report.keys)
      io.out(`${t('key', { kid: k.kid, owner: cityLabel(k.owner, lang), thumbprint: k.thumbprint })}\n`);
    io.out(`${t('compare')}\n`);
  }
  return 0;
}
