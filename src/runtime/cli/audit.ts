import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KINDS_HEADING, type KindTally, kindLabel } from '../../audit/kinds.js';
import { CHAIN_FAULT_ZH, verifyStoredLog } from '../../audit/verify-log.js';
import type { NodeConfig } from '../../config/types.js';
import { YrdxError } from '../../errors/errors.js';
import type { DigestRun } from '../../store/audit-chain.js';
import type { Store } from '../../store/port.js';
import { loadConfigFile } from '../node/config-file.js';
import { keySourceAtRest } from '../node/data-keys.js';
import { nodeSha256 } from '../node/sha256.js';
import { nodeStoreConfig, openNodeStore } from '../node/store.js';
import { type Io, language } from './output.js';
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
    kinds: '{heading}：{list}',
    kindCount: '{label}（{kind}）{count} 条',
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
    kinds: '{heading}: {list}',
    kindCount: '{label} ({kind}) {count}',
  },
});

/**
 * The node's store, opened read-only: these commands run beside a running node and change nothing.
 * Payloads encrypted at rest are opened with the data keys of the node's key source.
 */
export async function openReadOnly(config: NodeConfig, io: Io): Promise<Store> {
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
export async function reading<T>(config: NodeConfig, read: () => Promise<T>): Promise<T> {
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
      io.out(
        `${JSON.stringify({ valid: true, entries: head.seq, head, digests: verdict.digests, kinds: verdict.kinds })}\n`,
      );
    else {
      io.out(`${texts(io, TEXT)('valid', { count: head.seq, hash: head.hash })}\n`);
      io.out(digestLines(io, verdict.digests));
      io.out(kindLine(io, verdict.kinds));
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** How many entries of each kind the log holds, each named in the CLI's language with its `kind`. */
export function kindLine(io: Io, tally: KindTally): string {
  if (tally.length === 0) return '';
  const t = texts(io, TEXT);
  const lang = language(io.env);
  const list = tally.map(({ kind, count }) => t('kindCount', { label: kindLabel(kind, lang), kind, count }));
  return `${t('kinds', { heading: KINDS_HEADING[lang], list: list.join(t('runSeparator')) })}\n`;
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
