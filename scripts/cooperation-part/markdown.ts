// The key table of the cooperation part (coop-part.md), printed from keys.ts by
// `npx tsx scripts/write-cooperation-part.ts --markdown`.
import { buildPart, type Schemas } from './build.js';
import { DIALECTS, type Dialect, PARTS } from './keys.js';

const CONVENTION: Record<Dialect, string> = {
  sh: "Nested camelCase groups; dates `yyyy-MM-dd`, date-times ISO 8601 with +08:00 (a `when` as written); money in 元 (decimal string); codes UPPER_SNAKE of the canonical value (yrdx's own).",
  zj: "snake_case groups in the style of the Zhejiang unified enforcement field set (none of these keys is in §2.2: yrdx's own); dates `yyyy-MM-dd`, a `when` as ISO text like `sampling_time`; money in 元; enums as Chinese labels, because no Zhejiang code table was found (unverified — never invented codes). Party rows inside findings use the case part's `administrative_cp_*` keys.",
  js: "Flat top-level columns, arrays as `*_list` rows; dates `yyyy/MM/dd`, a `when` `yyyy/MM/dd HH:mm:ss` or the date alone; money in 分 (integer); enums as two-digit codes in the order of the canonical enum (yrdx's own table, not a Jiangsu standard). Party rows inside findings use food-safety 2.0.0's js party keys.",
  ah: 'Chinese keys in groups (like `协查请求`); 双公示 `CF_XDR_*`/`CF_FR_*` keys where 双公示 has the field (the party of an inspection finding); dates `yyyy年M月d日` (zero-padded read too), a `when` `yyyy年M月d日 HH:mm:ss` or the date alone; money in 万元 (decimal string, read exactly); enums as Chinese labels.',
};

export function markdown(s: Schemas): string {
  const out: string[] = [];
  for (const d of DIALECTS) {
    out.push(`### ${d}\n`);
    out.push(`${CONVENTION[d]}\n`);
    out.push('| canonical | dialect | conversion |');
    out.push('|---|---|---|');
    const tables: Record<string, Record<string, string>> = {};
    for (const p of PARTS) {
      const b = buildPart(p, d, s);
      for (const row of b.table)
        out.push(`| \`${row.canonical}\` | \`${row.dialect}\` | ${row.conversion} |`);
      Object.assign(tables, b.codeTables);
    }
    out.push('');
    out.push(`Code tables of ${d} (canonical → ${d}):\n`);
    for (const [name, t] of Object.entries(tables)) {
      out.push(
        `- \`${name}\`: ${Object.entries(t)
          .map(([k, v]) => `${k} → ${v}`)
          .join(', ')}`,
      );
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
