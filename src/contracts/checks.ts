import type { Contract, Dialect } from './contract.js';
import type { ContractFault } from './faults.js';
import type { RulePath } from './mapping-types.js';
import { formatPointer, type Segments } from './pointer.js';
import { firstDifference, roundTripIgnores, without } from './round-trip.js';
import { type SchemaNode, typeOf } from './schema-walk.js';

/**
 * The checks run when a contract loads (docs/contracts.md, "Checks"): required canonical fields
 * produced, code tables total and one-to-one, every leaf on both sides mapped or dropped, and every
 * example valid and round-tripping — within its dialect and through every other dialect.
 */
export function checkContract(contract: Contract): ContractFault[] {
  const faults: ContractFault[] = [];
  checkClosedObjects(contract.canonicalSchema, 'canonical.schema.json', (file, pointer, detail) =>
    faults.push({ file, pointer, detail }),
  );
  for (const dialect of contract.dialects.values()) {
    const file = (f: string) => `dialects/${dialect.name}/${f}`;
    const add = (f: string, pointer: string, detail: string) =>
      faults.push({ file: file(f), pointer, detail });
    checkProduced(contract, dialect, add);
    checkCodeTables(contract, dialect, add);
    checkCoverage(contract, dialect, add);
    checkClosedObjects(dialect.schema, 'schema.json', add);
    checkFlattenedArrays(dialect, add);
    checkExamples(contract, dialect, add);
  }
  return faults;
}

type Add = (file: string, pointer: string, detail: string) => void;

const key = (s: Segments) => formatPointer(s.map((x) => (/^\d+$/.test(x) ? '*' : x)));

/** Canonical pointers written when translating to canonical. */
function produced(paths: readonly RulePath[]): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    if (p.canonical === undefined || p.kind === 'drop') continue;
    // Every prefix of a written pointer is produced too.
    for (let i = 1; i <= p.canonical.length; i++) out.add(key(p.canonical.slice(0, i)));
  }
  return out;
}

function checkProduced(contract: Contract, dialect: Dialect, add: Add): void {
  const made = produced(dialect.mapping.paths);
  const visit = (segments: string[]) => {
    for (const member of contract.walker.required(contract.canonicalSchema, segments)) {
      const child = [...segments, member];
      if (!made.has(key(child))) {
        add(
          'mapping.json',
          '/rules',
          `the canonical field ${formatPointer(child)} is required but no rule produces it`,
        );
        continue;
      }
      const node = contract.walker.at(contract.canonicalSchema, child);
      if (typeOf(node) === 'object') visit(child);
      if (typeOf(node) === 'array') visit([...child, '*']);
    }
  };
  visit([]);
  // Optional objects that are produced must get their own required members.
  for (const pointer of made) {
    const segments = pointer.split('/').slice(1);
    const node = contract.walker.at(contract.canonicalSchema, segments);
    if (typeOf(node) === 'object') visit(segments);
    if (typeOf(node) === 'array' && made.has(`${pointer}/*`)) visit([...segments, '*']);
  }
  for (const type of dialect.messageTypes) {
    for (const pointer of contract.requires.get(type) ?? []) {
      if (!made.has(key(pointer)))
        add(
          'mapping.json',
          '/rules',
          `message type ${type} requires ${formatPointer(pointer)} but no rule produces it`,
        );
    }
  }
}

function enumAt(
  contract: Contract,
  schema: SchemaNode,
  pointer: Segments,
  _joined: boolean,
): unknown[] | undefined {
  let node = contract.walker.at(schema, pointer);
  if (typeOf(node) === 'array') node = contract.walker.at(schema, [...pointer, '*']);
  return Array.isArray(node?.enum) ? node.enum : undefined;
}

function checkCodeTables(contract: Contract, dialect: Dialect, add: Add): void {
  for (const path of dialect.mapping.paths) {
    if (path.codes === undefined || path.canonical === undefined || path.dialect === undefined) continue;
    const table = tableOf(dialect, path.codes);
    const keys = new Set(Object.keys(table));
    const values = new Set(Object.values(table).map((v) => JSON.stringify(v)));
    const canonicalEnum = enumAt(contract, contract.canonicalSchema, path.canonical, path.joined === true);
    for (const v of canonicalEnum ?? []) {
      if (!keys.has(String(v)))
        add(
          'mapping.json',
          `/codeTables/${path.codes}`,
          `is not total: canonical value ${JSON.stringify(v)} of ${formatPointer(path.canonical)} has no entry`,
        );
    }
    const dialectEnum = enumAt(contract, dialect.schema, path.dialect, path.joined === true);
    for (const v of dialectEnum ?? []) {
      if (!values.has(JSON.stringify(v)))
        add(
          'mapping.json',
          `/codeTables/${path.codes}`,
          `is not total: dialect value ${JSON.stringify(v)} of ${formatPointer(path.dialect)} has no entry`,
        );
    }
    for (const k of keys) {
      if (canonicalEnum && !canonicalEnum.map(String).includes(k))
        add('mapping.json', `/codeTables/${path.codes}/${k}`, `"${k}" is not a value of the canonical enum`);
    }
  }
}

function tableOf(dialect: Dialect, name: string): Readonly<Record<string, unknown>> {
  return dialect.codeTables[name] ?? {};
}

/** Every object a schema describes must refuse unknown members, so a misspelt field is an error. */
function checkClosedObjects(schema: SchemaNode, file: string, add: Add): void {
  const visit = (node: unknown, path: string) => {
    if (typeof node !== 'object' || node === null) return;
    const n = node as SchemaNode;
    if (n.properties !== undefined && n.additionalProperties !== false && n.$ref === undefined) {
      add(
        file,
        path || '/',
        'an object schema must say "additionalProperties": false, so that a misspelt field is refused',
      );
    }
    // Only the schemas that define values; conditions (if/then/allOf …) only constrain them.
    for (const [name, child] of Object.entries((n.properties as Record<string, unknown>) ?? {}))
      visit(child, `${path}/properties/${name}`);
    for (const [name, child] of Object.entries((n.$defs as Record<string, unknown>) ?? {}))
      visit(child, `${path}/$defs/${name}`);
    if (n.items !== undefined) visit(n.items, `${path}/items`);
  };
  visit(schema, '');
}

/**
 * A rule that maps a fixed item of a canonical array (a flat dialect carries `/parties/0/...`)
 * must come with a drop that says what happens to the other items (`"keep": 1`).
 */
function checkFlattenedArrays(dialect: Dialect, add: Add): void {
  const drops = dialect.mapping.paths
    .filter((p) => p.kind === 'drop' && p.canonical !== undefined)
    .map((p) => formatPointer(p.canonical!));
  const arrays = dialect.mapping.paths
    .filter((p) => p.kind === 'array' && p.canonical !== undefined)
    .map((p) => formatPointer(p.canonical!));
  const reported = new Set<string>();
  for (const p of dialect.mapping.paths) {
    if (p.canonical === undefined || p.kind === 'drop') continue;
    p.canonical.forEach((seg, i) => {
      if (!/^\d+$/.test(seg)) return;
      const list = formatPointer(p.canonical!.slice(0, i));
      if (reported.has(list) || arrays.includes(list) || drops.some((d) => d === list)) return;
      reported.add(list);
      add(
        'mapping.json',
        p.at,
        `rules map fixed items of the canonical list ${list}; declare the others, e.g. {"canonical": "${list}", "keep": ${Number(seg) + 1}, "lossy": "toDialect"}`,
      );
    });
  }
}

function checkCoverage(contract: Contract, dialect: Dialect, add: Add): void {
  // Mapped fields cover their pattern with any index (a flat dialect maps /parties/0/name for every
  // party's name); a drop covers only what it names, and a drop that keeps leading items covers nothing.
  const covered = (side: 'canonical' | 'dialect') =>
    dialect.mapping.paths.flatMap((p) => {
      const pointer = p[side];
      if (pointer === undefined || p.keep !== undefined) return [];
      return [p.kind === 'drop' ? formatPointer(pointer) : key(pointer)];
    });
  const isCovered = (leaf: Segments, list: string[]) => {
    const k = key(leaf);
    return list.some((c) => k === c || k.startsWith(`${c}/`));
  };
  const dialectCovered = covered('dialect');
  for (const leaf of contract.walker.leaves(dialect.schema)) {
    if (!isCovered(leaf, dialectCovered)) {
      add(
        'mapping.json',
        '/rules',
        `the dialect field ${formatPointer(leaf)} is neither mapped nor dropped (add {"dialect": "${formatPointer(leaf)}", "lossy": "toCanonical"} if it has no canonical meaning)`,
      );
    }
  }
  const canonicalCovered = covered('canonical');
  for (const leaf of contract.walker.leaves(contract.canonicalSchema)) {
    if (!isCovered(leaf, canonicalCovered)) {
      add(
        'mapping.json',
        '/rules',
        `the canonical field ${formatPointer(leaf)} is neither mapped nor dropped (add {"canonical": "${formatPointer(leaf)}", "lossy": "toDialect"} if this dialect cannot carry it)`,
      );
    }
  }
}

function checkExamples(contract: Contract, dialect: Dialect, add: Add): void {
  for (const type of dialect.messageTypes) {
    const example = dialect.examples[type];
    const file = `examples/${type}.json`;
    if (example === undefined) {
      add(file, '', `dialect ${dialect.name} carries ${type} but has no example for it`);
      continue;
    }
    for (const f of dialect.validate(example)) add(file, f.pointer, `${f.detail.zh} [${f.rule}]`);
    const canonical = dialect.toCanonical(example);
    for (const f of canonical.faults) add(file, f.pointer, `${f.detail.zh} [${f.rule}]`);
    for (const f of contract.validateCanonical(type, canonical.value)) {
      add(
        file,
        dialect.dialectPointerFor(f.pointer) ?? f.pointer,
        `after translation to canonical, ${f.pointer}: ${f.detail.zh} [${f.rule}]`,
      );
    }
    const back = dialect.toDialect(canonical.value);
    for (const f of back.faults) add(file, f.pointer, `translating back: ${f.detail.zh} [${f.rule}]`);
    // A date or an amount may be written back in another spelling of the same value (2025年10月09日 →
    // 2025年10月9日): those fields are compared by what they mean, through canonical.
    const spelled = dialect.mapping.paths.flatMap((p) => (p.spellings && p.dialect ? [p.dialect] : []));
    const ignore = roundTripIgnores(dialect.mapping.paths, 'dialect');
    const diff =
      firstDifference(
        without(example, [...ignore, ...spelled]),
        without(back.value, [...ignore, ...spelled]),
      ) ?? firstDifference(canonical.value, dialect.toCanonical(back.value).value);
    if (diff !== undefined)
      add(
        file,
        diff,
        'does not survive dialect → canonical → dialect (declare the field lossy if this is intended)',
      );
    for (const other of contract.dialects.values()) {
      if (other === dialect || !other.messageTypes.includes(type)) continue;
      const there = other.toDialect(canonical.value);
      const again = other.toCanonical(there.value);
      const otherIgnore = roundTripIgnores(other.mapping.paths, 'canonical');
      const d = firstDifference(without(canonical.value, otherIgnore), without(again.value, otherIgnore));
      for (const f of [...there.faults, ...again.faults])
        add(file, f.pointer, `through dialect ${other.name}: ${f.detail.zh} [${f.rule}]`);
      if (d !== undefined)
        add(
          file,
          d,
          `canonical ${d} does not survive ${dialect.name} → canonical → ${other.name} → canonical (declare it lossy in ${other.name} if intended)`,
        );
    }
  }
}
