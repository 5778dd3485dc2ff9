// Writes the cooperation part (contracts/core/cooperation-1.schema.json, keys in
// scripts/cooperation-part/keys.ts) into one unpublished contract version:
//   npx tsx scripts/write-cooperation-part.ts contracts/<domain>/<version> [options]
// canonical properties ($ref to the cooperation defs), each dialect's schema properties, mapping
// rules and code tables. Idempotent: the part's own rules, keys and tables are replaced by the same
// ones; a domain's own fields are never touched, and a key or property that is the domain's own
// stops the script (exclude that part). Options:
//   --only a,b     only these parts (canonical property names: acceptance, alert, …)
//   --except a,b   all parts but these
//   --dialects sh,zj   only these dialects (default: every dialect folder of the version)
//   --check        write nothing; exit 1 if a file would change
//   --markdown     print the key table of every part (coop-part.md) and exit
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPart, type Schemas } from './cooperation-part/build.js';
import { DIALECTS, type Dialect, PARTS, type Part } from './cooperation-part/keys.js';
import { markdown } from './cooperation-part/markdown.js';

type Json = Record<string, unknown>;

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const list = (name: string) => opt(name)?.split(',').filter(Boolean);

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8')) as Json;
}

function loadSchemas(versionDir?: string): Schemas {
  const candidates = [
    ...(versionDir ? [join(versionDir, '..', '..', 'core')] : []),
    join(here, '..', 'contracts', 'core'),
  ];
  let coopPath: string | undefined;
  let core2Path: string | undefined;
  for (const c of candidates) {
    if (!coopPath && existsSync(join(c, 'cooperation-1.schema.json')))
      coopPath = join(c, 'cooperation-1.schema.json');
    if (!core2Path && existsSync(join(c, 'case-2.schema.json'))) core2Path = join(c, 'case-2.schema.json');
  }
  // Before the lead's core file is on a branch, the brief's copy stands in for it.
  coopPath ??= '/work/wt/briefs/cooperation-1.schema.json';
  if (!core2Path || !existsSync(coopPath))
    throw new Error('contracts/core/{case-2,cooperation-1}.schema.json not found');
  return { core2: readJson(core2Path), coop: readJson(coopPath) };
}

function selectedParts(): Part[] {
  const only = list('--only');
  const except = list('--except') ?? [];
  const known = new Set(PARTS.map((p) => p.property));
  for (const n of [...(only ?? []), ...except])
    if (!known.has(n)) throw new Error(`unknown part ${n}; parts: ${[...known].join(', ')}`);
  return PARTS.filter((p) => (only ? only.includes(p.property) : true) && !except.includes(p.property));
}

if (args.includes('--markdown')) {
  process.stdout.write(markdown(loadSchemas()));
  process.exit(0);
}

const dir = args.find(
  (a, i) => !a.startsWith('--') && !['--only', '--except', '--dialects'].includes(args[i - 1] ?? ''),
);
if (dir === undefined) {
  console.error(
    'usage: npx tsx scripts/write-cooperation-part.ts contracts/<domain>/<version> [--only a,b] [--except a,b] [--dialects sh,zj] [--check] | --markdown',
  );
  process.exit(2);
}
const versionDir = resolve(dir);
const schemas = loadSchemas(versionDir);
const parts = selectedParts();
const check = args.includes('--check');
const changed: string[] = [];

function write(path: string, value: unknown, before: string): void {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (JSON.stringify(JSON.parse(before)) === JSON.stringify(value)) return;
  changed.push(path);
  if (!check) writeFileSync(path, text);
}

const topOf = (pointer: string) => pointer.split('/')[1] ?? '';

// canonical
{
  const path = join(versionDir, 'canonical.schema.json');
  const before = readFileSync(path, 'utf8');
  const canonical = JSON.parse(before) as Json;
  const props = canonical.properties as Record<string, Json>;
  for (const p of parts) {
    const existing = props[p.property];
    if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(p.canonical)) {
      const ours =
        JSON.stringify(existing).includes('urn:yrdx:contracts:core:cooperation:1') ||
        p.property === 'alertRef';
      if (!ours)
        throw new Error(
          `canonical /${p.property} is the domain's own: exclude the part (--except ${p.property})`,
        );
    }
    props[p.property] = p.canonical;
  }
  write(path, canonical, before);
}

// dialects
const dialectDirs = readdirSync(join(versionDir, 'dialects')).filter((d) =>
  DIALECTS.includes(d as Dialect),
) as Dialect[];
const wanted = (list('--dialects') as Dialect[] | undefined) ?? dialectDirs;
for (const dialect of wanted) {
  const mPath = join(versionDir, 'dialects', dialect, 'mapping.json');
  const sPath = join(versionDir, 'dialects', dialect, 'schema.json');
  const mBefore = readFileSync(mPath, 'utf8');
  const sBefore = readFileSync(sPath, 'utf8');
  const mapping = JSON.parse(mBefore) as { codeTables?: Record<string, unknown>; rules: Json[] };
  const schema = JSON.parse(sBefore) as { properties: Record<string, Json> };
  for (const p of parts) {
    const built = buildPart(p, dialect, schemas);
    // this part's rules are the top-level rules whose canonical pointer starts at its property
    const isOurs = (r: Json) => typeof r.canonical === 'string' && topOf(r.canonical) === p.property;
    const previous = mapping.rules.filter(isOurs);
    const previousKeys = new Set(previous.map((r) => topOf(String(r.dialect))));
    const newKeys = Object.keys(built.properties);
    const otherKeys = new Set(mapping.rules.filter((r) => !isOurs(r)).flatMap((r) => dialectTops(r)));
    for (const k of newKeys) {
      if (otherKeys.has(k))
        throw new Error(
          `${dialect}: key /${k} of part ${p.property} is the domain's own (mapped by another rule)`,
        );
      if (schema.properties[k] !== undefined && !previousKeys.has(k)) {
        throw new Error(`${dialect}: key /${k} of part ${p.property} already exists in the dialect schema`);
      }
    }
    const at = mapping.rules.findIndex(isOurs);
    mapping.rules = mapping.rules.filter((r) => !isOurs(r));
    let insertAt =
      at >= 0 ? at : mapping.rules.findIndex((r) => r.canonical === undefined && r.switch === undefined);
    if (insertAt < 0) insertAt = mapping.rules.length;
    mapping.rules.splice(insertAt, 0, ...built.rules);
    for (const k of previousKeys) if (!newKeys.includes(k)) delete schema.properties[k];
    for (const [k, v] of Object.entries(built.properties)) schema.properties[k] = v;
    mapping.codeTables ??= {};
    for (const [name, t] of Object.entries(built.codeTables)) {
      const prev = mapping.codeTables[name];
      if (prev !== undefined && JSON.stringify(prev) !== JSON.stringify(t) && !ownTable(name)) {
        throw new Error(`${dialect}: code table ${name} is the domain's own`);
      }
      mapping.codeTables[name] = t;
    }
  }
  write(mPath, mapping, mBefore);
  write(sPath, schema, sBefore);
}

if (check) {
  if (changed.length > 0) {
    console.error(`would change:\n  ${changed.join('\n  ')}`);
    process.exit(1);
  }
  console.log('the cooperation part is current');
} else {
  console.log(
    changed.length
      ? `wrote:\n  ${changed.join('\n  ')}\nthen: npx biome format --write on them`
      : 'nothing to change',
  );
}

/** The top-level dialect keys a rule writes. */
function dialectTops(r: Json): string[] {
  if (typeof r.dialect === 'string') return [topOf(r.dialect)];
  const sw = r.switch as Json | undefined;
  if (sw) {
    const cases = Object.values(r.cases as Record<string, Json[]>).flat();
    return [topOf(String(sw.dialect)), ...cases.flatMap(dialectTops)];
  }
  return [];
}

function ownTable(name: string): boolean {
  return PARTS.some((p) => DIALECTS.some((d) => name in buildPart(p, d, schemas).codeTables));
}
