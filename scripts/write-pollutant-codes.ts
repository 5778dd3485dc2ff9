// Writes the zj dialect's pollutant code table (mapping.json codeTables.pollutant2005) and the value
// list of its pollutant code field (schema.json: 1.x `JCSJ[].WRWBM`, 2.x `monitor_data[].pollutant_code`) from contracts/reference/pollution-codes.json, so that they
// cannot drift from the reference. A test fails when the committed files differ; run
//   npx tsx scripts/write-pollutant-codes.ts contracts/pollution/<version>
// on an unpublished version only (published versions are immutable).
//
// Every pollutant of the reference is in the table: those with an HJ/T 212-2005 code map to it, the
// others to their HJ 212-2017 code unchanged (no 2017 code is also a 2005 code, so the table stays
// one-to-one and the round trip lossless).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Pollutant {
  readonly code: string;
  readonly oldCodeHJT212_2005: string | null;
}

const folder = process.argv[2];
if (folder === undefined) {
  console.error('usage: npx tsx scripts/write-pollutant-codes.ts contracts/pollution/<version>');
  process.exit(2);
}

const reference = JSON.parse(
  readFileSync(new URL('../contracts/reference/pollution-codes.json', import.meta.url), 'utf8'),
) as { pollutants: Pollutant[] };

const table: Record<string, string> = {};
for (const p of reference.pollutants) table[p.code] = p.oldCodeHJT212_2005 ?? p.code;
const values = Object.values(table);
if (new Set(values).size !== values.length) throw new Error('pollutant table would not be one-to-one');

/** The parts of the zj files this script writes (everything else is kept as it is). */
interface ZjFiles {
  codeTables: Record<string, unknown>;
  properties: Record<string, { items: { properties: Record<string, { enum: string[] }> } }>;
}

/** Where the pollutant code field is: 1.x zj kept pinyin initials, 2.x the Zhejiang field set. */
const FIELDS: Record<string, readonly [string, string]> = {
  '1': ['JCSJ', 'WRWBM'],
  '2': ['monitor_data', 'pollutant_code'],
};
const major = /(\d+)\.\d+\.\d+\/?$/.exec(folder)?.[1] ?? '';
const field = FIELDS[major];
if (field === undefined) {
  console.error(`${folder}: no pollutant code field known for major ${major}`);
  process.exit(2);
}
const [list, code] = field;

const rewrite = (file: string, edit: (json: ZjFiles) => void) => {
  const path = join(folder, 'dialects/zj', file);
  const json = JSON.parse(readFileSync(path, 'utf8')) as ZjFiles;
  edit(json);
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
};

rewrite('mapping.json', (mapping) => {
  mapping.codeTables.pollutant2005 = table;
});
rewrite('schema.json', (schema) => {
  schema.properties[list]!.items.properties[code]!.enum = values;
});
const legacy = reference.pollutants.filter((p) => p.oldCodeHJT212_2005 !== null).length;
console.log(
  `${folder}: ${values.length} pollutants, ${legacy} to HJ/T 212-2005 codes, ${values.length - legacy} as HJ 212-2017 codes`,
);
