// Builds, from keys.ts and the cooperation schema, what one dialect needs for one part: mapping rules
// with their conversions, code tables, and the dialect schema of the keys.
import { codeTable, DATE, DATE_SCHEMA, MONEY, MONEY_SCHEMA, UNIT, WHEN, WHEN_SCHEMA } from './conventions.js';
import type { Dialect, KeyRule, Part } from './keys.js';

type Json = Record<string, unknown>;

export interface Schemas {
  readonly core2: Json;
  readonly coop: Json;
}

/** A canonical node with the document it is in (for `#/$defs/…` references). */
interface Node {
  readonly schema: Json;
  readonly doc: Json;
  /** the core 2 definition it is, when it is one (date, when, money, name …) */
  readonly core?: string;
}

const CORE2 = 'urn:yrdx:contracts:core:2#/$defs/';
const COOP = 'urn:yrdx:contracts:core:cooperation:1#/$defs/';

function resolve(node: Node, s: Schemas): Node {
  let { schema, doc } = node;
  let core = node.core;
  for (let i = 0; i < 10 && typeof schema.$ref === 'string'; i++) {
    const r = schema.$ref;
    let name: string;
    if (r.startsWith(CORE2)) {
      doc = s.core2;
      name = r.slice(CORE2.length);
      core = name;
    } else if (r.startsWith(COOP)) {
      doc = s.coop;
      name = r.slice(COOP.length);
    } else if (r.startsWith('#/$defs/')) {
      name = r.slice('#/$defs/'.length);
      if (doc === s.core2) core = name;
    } else throw new Error(`unknown $ref ${r}`);
    const target = (doc.$defs as Record<string, Json>)[name];
    if (target === undefined) throw new Error(`$ref ${r} not found`);
    const { $ref: _, ...rest } = schema;
    schema = { ...target, ...(rest.description ? { description: rest.description } : {}) };
  }
  return { schema, doc, ...(core ? { core } : {}) };
}

function child(node: Node, pointer: string, s: Schemas): Node {
  let n = resolve(node, s);
  for (const seg of pointer.split('/').slice(1)) {
    const props = n.schema.properties as Record<string, Json> | undefined;
    const next = props?.[seg];
    if (next === undefined) throw new Error(`canonical pointer ${pointer}: no ${seg}`);
    n = resolve({ schema: next, doc: n.doc }, s);
  }
  return n;
}

function itemsOf(node: Node, s: Schemas): Node {
  const items = node.schema.items as Json | undefined;
  if (items === undefined) throw new Error('not an array');
  return resolve({ schema: items, doc: node.doc }, s);
}

function describe(node: Node): string | undefined {
  return typeof node.schema.description === 'string' ? node.schema.description : undefined;
}

/** The rules, code tables and schema of one part in one dialect. */
export interface Built {
  readonly rules: Json[];
  readonly codeTables: Record<string, Record<string, string>>;
  /** dialect schema properties to add at the top level */
  readonly properties: Record<string, Json>;
  /** one line per leaf: canonical pointer, dialect pointer, conversion */
  readonly table: { canonical: string; dialect: string; conversion: string }[];
}

export function buildPart(part: Part, dialect: Dialect, s: Schemas): Built {
  const root: Node = {
    schema: { type: 'object', properties: { [part.property]: part.canonical } },
    doc: s.coop,
  };
  const codeTables: Record<string, Record<string, string>> = {};
  const top: Json = { type: 'object', properties: {} };
  const table: Built['table'] = [];

  const leafSchema = (
    leaf: Node,
    rule: { codes?: string },
    constant?: string,
  ): { schema: Json; conv: Json; note: string } => {
    if (rule.codes !== undefined) {
      const values = (leaf.schema.enum ?? (itemsOf(leaf, s).schema.enum as unknown)) as string[];
      const t = codeTable(rule.codes, dialect, values);
      const prev = codeTables[rule.codes];
      if (prev !== undefined && JSON.stringify(prev) !== JSON.stringify(t))
        throw new Error(`code table ${rule.codes} differs`);
      codeTables[rule.codes] = t;
      const scalar = { type: 'string', enum: Object.values(t) };
      return { schema: scalar, conv: { codes: rule.codes }, note: `codes ${rule.codes}` };
    }
    if (constant !== undefined) return { schema: { type: 'string' }, conv: {}, note: `constant ${constant}` };
    switch (leaf.core) {
      case 'date':
        return {
          schema: { ...DATE_SCHEMA[dialect] },
          conv: DATE[dialect],
          note: `date ${DATE[dialect].date}`,
        };
      case 'when':
        return {
          schema: { ...WHEN_SCHEMA[dialect] },
          conv: WHEN[dialect],
          note: WHEN[dialect].date
            ? `date ${WHEN[dialect].date} (a date stays a date)`
            : 'ISO date or date-time as is',
        };
      case 'money':
        return {
          schema: { ...MONEY_SCHEMA[dialect] },
          conv: MONEY[dialect],
          note: `money ${MONEY[dialect].money} (${UNIT[dialect]})`,
        };
    }
    const sc = leaf.schema;
    if ('const' in sc) return { schema: { type: 'boolean', const: sc.const }, conv: {}, note: '' };
    const out: Json = {};
    for (const k of [
      'type',
      'enum',
      'format',
      'pattern',
      'minLength',
      'maxLength',
      'minimum',
      'maximum',
    ] as const) {
      if (sc[k] !== undefined) out[k] = sc[k];
    }
    if (out.type === undefined && out.enum !== undefined) out.type = 'string';
    if (out.type === undefined && leaf.core === 'when') out.type = 'string';
    return { schema: out, conv: {}, note: '' };
  };

  const place = (target: Json, pointer: string, schema: Json): void => {
    const segs = pointer.split('/').slice(1);
    let cur = target;
    segs.forEach((seg, i) => {
      cur.properties ??= {};
      const props = cur.properties as Record<string, Json>;
      if (i === segs.length - 1) {
        const prev = props[seg];
        if (prev !== undefined) {
          if (Array.isArray(prev.enum) && Array.isArray(schema.enum)) {
            prev.enum = [...new Set([...(prev.enum as string[]), ...(schema.enum as string[])])];
            return;
          }
          if (JSON.stringify(prev) === JSON.stringify(schema)) return;
          // one key for two identifiers (a USCC or an ID number, by party kind)
          const formats = [prev, schema].map(
            (x) => x.format ?? (x.anyOf as Json[] | undefined)?.map((a) => a.format),
          );
          if (formats.every((x) => x !== undefined)) {
            const all = [...new Set(formats.flat() as string[])];
            const { format: _f, anyOf: _a, ...rest } = prev;
            props[seg] = { ...rest, type: 'string', anyOf: all.map((format) => ({ format })) };
            return;
          }
          throw new Error(`${dialect} ${pointer} written twice`);
        }
        props[seg] = schema;
        return;
      }
      let next = props[seg];
      if (next === undefined) {
        next = { type: 'object', additionalProperties: false, properties: {} };
        props[seg] = next;
      }
      cur = next;
    });
  };

  const walk = (
    rules: readonly KeyRule[],
    cNode: Node,
    dTarget: Json,
    cPrefix: string,
    dPrefix: string,
  ): Json[] => {
    const out: Json[] = [];
    for (const r of rules) {
      if ('switch' in r) {
        const disc = child(cNode, r.switch.canonical, s);
        const { schema, conv } = leafSchema(disc, r.switch);
        place(dTarget, r.switch.dialect, { ...schema, description: `${describe(disc) ?? ''}` });
        table.push({
          canonical: cPrefix + r.switch.canonical,
          dialect: dPrefix + r.switch.dialect,
          conversion: `codes ${r.switch.codes} (switch)`,
        });
        const cases: Record<string, Json[]> = {};
        for (const [k, v] of Object.entries(r.cases)) cases[k] = walk(v, cNode, dTarget, cPrefix, dPrefix);
        out.push({ switch: { canonical: r.switch.canonical, dialect: r.switch.dialect, ...conv }, cases });
        continue;
      }
      if ('constant' in r) {
        place(dTarget, r.dialect, {
          type: 'string',
          enum: [r.constant],
          ...(r.description ? { description: r.description } : {}),
        });
        table.push({ canonical: '—', dialect: dPrefix + r.dialect, conversion: `constant "${r.constant}"` });
        out.push({ ...r });
        continue;
      }
      const leaf = child(cNode, r.canonical, s);
      if ('each' in r) {
        const item = itemsOf(leaf, s);
        const itemSchema: Json = { type: 'object', additionalProperties: false, properties: {} };
        const arr: Json = { type: 'array' };
        for (const k of ['minItems', 'maxItems', 'uniqueItems'] as const)
          if (leaf.schema[k] !== undefined) arr[k] = leaf.schema[k];
        arr.items = itemSchema;
        const d = describe(leaf);
        if (d) arr.description = `${d} (one row each)`;
        place(dTarget, r.dialect, arr);
        table.push({
          canonical: cPrefix + r.canonical,
          dialect: dPrefix + r.dialect,
          conversion: 'array: one row each',
        });
        out.push({
          canonical: r.canonical,
          dialect: r.dialect,
          each: walk(r.each, item, itemSchema, `${cPrefix + r.canonical}/*`, `${dPrefix + r.dialect}/*`),
        });
        continue;
      }
      const isArray = leaf.schema.type === 'array';
      const target = isArray ? itemsOf(leaf, s) : leaf;
      const { schema, conv, note } = leafSchema(target, r);
      let ds: Json = schema;
      if (isArray) {
        ds = { type: 'array', items: schema };
        for (const k of ['minItems', 'maxItems', 'uniqueItems'] as const)
          if (leaf.schema[k] !== undefined) ds[k] = leaf.schema[k];
      }
      ds.description = leafNote(
        describe(leaf) ?? describe(target),
        r.dialect,
        dialect,
        r.codes !== undefined,
      );
      place(dTarget, r.dialect, ds);
      const normalize = 'normalize' in r && r.normalize ? { normalize: [...r.normalize] } : {};
      table.push({
        canonical: cPrefix + r.canonical,
        dialect: dPrefix + r.dialect,
        conversion: [isArray ? 'array' : '', note, normalize.normalize ? 'normalize' : '']
          .filter(Boolean)
          .join(', '),
      });
      out.push({ canonical: r.canonical, dialect: r.dialect, ...conv, ...normalize });
    }
    return out;
  };

  const rules = walk(part.rules[dialect], root, top, '', '');
  const properties = (top.properties ?? {}) as Record<string, Json>;
  for (const v of Object.values(properties)) {
    if (v.type === 'object' && v.description === undefined)
      v.description = `${part.property} (yrdx's own keys; contracts/reference/cooperation.md)`;
  }
  return { rules, codeTables, properties, table };
}

/** A dialect leaf's description: the canonical meaning, where the key comes from, what a code is. */
function leafNote(meaning: string | undefined, key: string, dialect: Dialect, coded: boolean): string {
  const name = key.split('/').at(-1) ?? key;
  const origin = /^CF_/.test(name) ? '双公示 field' : "yrdx's own key";
  const codes: Record<Dialect, string> = {
    sh: '; UPPER_SNAKE codes of yrdx',
    zj: '; Chinese label, since no Zhejiang code table was found (unverified)',
    js: "; two-digit codes of yrdx's own table",
    ah: '; Chinese label (no Anhui code table found)',
  };
  return `${name} ${meaning ?? ''} (${origin}${coded ? codes[dialect] : ''})`.replace(/\s+\(/, ' (');
}
