import { parseArgs } from 'node:util';
import { type Fidelity, fidelity } from '../../contracts/fidelity.js';
import type { Language } from '../../vocabulary/language.js';
import { loadOrFail } from './load-contracts.js';
import { type Io, language } from './output.js';

/** The command's words, 简体中文 first (as the CLI's errors), English with YRDX_LANG=en. */
const TEXT = {
  zh: {
    nothing: '不丢失任何内容',
    declared: (p: string) => `映射声明不携带 ${p}`,
    found: (p: string) => `实测丢失 ${p}`,
    from: (d: string) => `（来自 ${d} 的示例）`,
    sep: '；',
    colon: '：',
    total: (lossy: number, all: number) => `${all} 个（方言 × 报文类型）中 ${lossy} 个可能丢失内容`,
    none: (dir: string) => `${dir} 下没有可用的数据契约`,
  },
  en: {
    nothing: 'loses nothing',
    declared: (p: string) => `declared not carried: ${p}`,
    found: (p: string) => `lost when tried: ${p}`,
    from: (d: string) => ` (from the examples of ${d})`,
    sep: '; ',
    colon: ': ',
    total: (lossy: number, all: number) => `${lossy} of ${all} (dialect × message type) may lose content`,
    none: (dir: string) => `no usable contracts under ${dir}`,
  },
} satisfies Record<Language, unknown>;

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
  const { registry, faults } = loadOrFail(values.dir, io, values.domain);
  const t = TEXT[language(io.env)];
  const rows = registry.list().flatMap(fidelity);
  for (const row of rows) io.out(values.json ? `${JSON.stringify(row)}\n` : `${line(row, t)}\n`);
  if (rows.length === 0) {
    io.err(`${t.none(values.dir)}\n`);
    return 1;
  }
  if (!values.json)
    io.out(`${t.total(rows.filter((r) => r.declared.length + r.found.length > 0).length, rows.length)}\n`);
  return faults.size > 0 ? 1 : 0;
}

function line(row: Fidelity, t: (typeof TEXT)[Language]): string {
  const parts = [
    ...(row.declared.length > 0 ? [t.declared(row.declared.join(', '))] : []),
    ...row.found.map((f) => `${t.found(f.pointer)}${t.from(f.from.join(', '))}`),
  ];
  return `${row.contract} ${row.dialect} ${row.type}${t.colon}${parts.length === 0 ? t.nothing : parts.join(t.sep)}`;
}
