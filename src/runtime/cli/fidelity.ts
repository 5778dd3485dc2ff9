import { parseArgs } from 'node:util';
import { type Fidelity, fidelity } from '../../contracts/fidelity.js';
import { checkDomain, loadOrFail } from './load-contracts.js';
import type { Io } from './output.js';
import { bilingual, texts } from './text.js';

/** The command's words, 简体中文 first (as the CLI's errors), English with YRDX_LANG=en. */
export const TEXT = bilingual({
  zh: {
    nothing: '不丢失任何内容',
    declared: '映射声明不携带 {pointers}',
    found: '实测丢失 {pointer}（来自 {dialects} 的示例）',
    sep: '；',
    line: '{contract} {dialect} {type}：{parts}',
    total: '{all} 个（方言 × 报文类型）中 {lossy} 个可能丢失内容',
    none: '{dir} 下没有可用的数据契约',
  },
  en: {
    nothing: 'loses nothing',
    declared: 'declared not carried: {pointers}',
    found: 'lost when tried: {pointer} (from the examples of {dialects})',
    sep: '; ',
    line: '{contract} {dialect} {type}: {parts}',
    total: '{lossy} of {all} (dialect × message type) may lose content',
    none: 'no usable contracts under {dir}',
  },
});

/**
 * `yrdx contracts fidelity [--dir contracts] [--domain D] [--json]`: per contract version, dialect
 * and message type, the canonical pointers a local system speaking the dialect can lose — declared by
 * its mapping, and found by delivering every other dialect's example to it as the inbox does.
 */
export async function contractsFidelity(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: 'string', default: 'contracts' },
      domain: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (values.domain !== undefined) checkDomain(values.dir, values.domain, io);
  const { registry, faults } = loadOrFail(values.dir, io, values.domain);
  const t = texts(io, TEXT);
  const rows = registry.list().flatMap(fidelity);
  for (const row of rows) io.out(values.json ? `${JSON.stringify(row)}\n` : `${line(row, t)}\n`);
  if (rows.length === 0) {
    io.err(`${t('none', { dir: values.dir })}\n`);
    return 1;
  }
  if (!values.json)
    io.out(
      `${t('total', { lossy: rows.filter((r) => r.declared.length + r.found.length > 0).length, all: rows.length })}\n`,
    );
  return faults.size > 0 ? 1 : 0;
}

function line(row: Fidelity, t: ReturnType<typeof texts<typeof TEXT>>): string {
  const parts = [
    ...(row.declared.length > 0 ? [t('declared', { pointers: row.declared.join(', ') })] : []),
    ...row.found.map((f) => t('found', { pointer: f.pointer, dialects: f.from.join(', ') })),
  ];
  return t('line', {
    contract: row.contract,
    dialect: row.dialect,
    type: row.type,
    parts: parts.length === 0 ? t('nothing') : parts.join(t('sep')),
  });
}
