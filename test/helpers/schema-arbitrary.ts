import fc from 'fast-check';
import pollution from '../../contracts/reference/pollution-codes.json' with { type: 'json' };
import regions from '../../contracts/reference/regions.json' with { type: 'json' };
import type { SchemaNode, SchemaWalker } from '../../src/contracts/schema-walk.js';
import { idNumberCheckCharacter } from '../../src/vocabulary/identifiers/id-number.js';
import { patentCheckCharacter } from '../../src/vocabulary/identifiers/patent.js';
import { usccCheckCharacter } from '../../src/vocabulary/identifiers/uscc.js';

/**
 * fast-check arbitraries for documents valid against a contract's JSON Schema: objects with their
 * optional members, arrays, enums, numbers, patterns, and yrdx's identifier formats with correct
 * check characters. Free text is CJK and digits only, so that it survives every text conversion
 * the dialects declare (trimming, upper-casing, joining on Chinese punctuation).
 */
const CITY_CODES = regions.cities.map((c) => c.code);
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const POLLUTANTS = pollution.pollutants.map((p) => p.code);
const LEGACY = pollution.pollutants
  .map((p) => p.oldCodeHJT212_2005)
  .filter((c): c is string => typeof c === 'string');

const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const day = fc.record({
  y: fc.integer({ min: 2020, max: 2026 }),
  m: fc.integer({ min: 1, max: 12 }),
  d: fc.integer({ min: 1, max: 28 }),
});

const FORMATS: Record<string, fc.Arbitrary<string>> = {
  uscc: fc
    .tuple(
      fc.constantFrom('91', '92', '93', '12', '52'),
      fc.constantFrom(...CITY_CODES),
      fc.string({ unit: fc.constantFrom(...CHARSET), minLength: 9, maxLength: 9 }),
    )
    .map(([a, b, c]) => `${a}${b}${c}${usccCheckCharacter(`${a}${b}${c}`)}`),
  'cn-id-number': fc
    .tuple(
      fc.constantFrom(...CITY_CODES.map((c) => c.slice(0, 4))),
      digits(2),
      fc.integer({ min: 1950, max: 2005 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 28 }),
      digits(3),
    )
    .map(([city, county, y, m, d, seq]) => {
      const first = `${city}${county}${y}${pad(m, 2)}${pad(d, 2)}${seq}`;
      return `${first}${idNumberCheckCharacter(first)}`;
    }),
  'cn-patent-application': fc
    .tuple(fc.integer({ min: 2004, max: 2025 }), fc.constantFrom('1', '2', '3'), digits(7))
    .map(([y, t, n]) => `${y}${t}${n}.${patentCheckCharacter(`${y}${t}${n}`)}`),
  // CN + serial + kind code (A/B invention, U/Y utility model, S design), as the format accepts.
  'cn-patent-publication': fc
    .tuple(digits(9), fc.constantFrom('A', 'B', 'U', 'Y', 'S'))
    .map(([n, kind]) => `CN${n}${kind}`),
  'yrdx-division': fc.constantFrom(...CITY_CODES),
  'hj212-pollutant': fc.constantFrom(...POLLUTANTS),
  'hj212-pollutant-2005': fc.constantFrom(...LEGACY),
  'hazardous-waste-code': fc
    .tuple(
      digits(3),
      digits(3),
      fc.integer({ min: 1, max: 50 }).filter((n) => n < 41 || n > 44),
    )
    .map(([a, b, c]) => `${a}-${b}-${pad(c, 2)}`),
  'hazardous-waste-category': fc
    .integer({ min: 1, max: 50 })
    .filter((n) => n < 41 || n > 44)
    .map((n) => `HW${pad(n, 2)}`),
  'vehicle-plate': fc
    .tuple(
      fc.constantFrom('沪', '苏', '浙', '皖'),
      fc.constantFrom(...'ABCDEFGHJK'),
      fc.string({
        unit: fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'),
        minLength: 5,
        maxLength: 5,
      }),
    )
    .map(([p, l, s]) => `${p}${l}${s}`),
  'un-number': fc.constantFrom('1203', '1202', '1075', '1830', '1789', '3480', '1005', '1017'),
  date: day.map(({ y, m, d }) => `${y}-${pad(m, 2)}-${pad(d, 2)}`),
  'date-time': fc
    .tuple(
      day,
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: 0, max: 59 }),
    )
    .map(
      ([{ y, m, d }, hh, mm, ss]) =>
        `${y}-${pad(m, 2)}-${pad(d, 2)}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}+08:00`,
    ),
};

/** Normal-form decimals (no leading zeros, no trailing fractional zeros). */
const decimal = fc
  .tuple(fc.boolean(), fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 999 }))
  .map(([neg, w, f]) => {
    const frac = f === 0 ? '' : `.${String(f).padStart(3, '0').replace(/0+$/, '')}`;
    const text = `${w}${frac}`;
    return neg && text !== '0' ? `-${text}` : text;
  });
const money = fc
  .integer({ min: 0, max: 99_999_999 })
  .map((fen) => `${Math.floor(fen / 100)}.${pad(fen % 100, 2)}`);

const TEXT = [
  ...'湖州苏州上海合肥市场监督管理局食品安全案件协查线索移送企业有限公司商标专利污染排放检测结果处罚罚款',
];
const text = (min: number, max: number) =>
  fc.string({
    unit: fc.constantFrom(...TEXT, ...'0123456789'),
    minLength: Math.max(1, min),
    maxLength: Math.max(Math.max(1, min), Math.min(max, 12)),
  });

export function schemaArbitrary(walker: SchemaWalker, schema: SchemaNode): fc.Arbitrary<unknown> {
  const build = (node: SchemaNode, root: SchemaNode, depth: number): fc.Arbitrary<unknown> => {
    const { node: n, root: r } = walker.resolve(node, root);
    if (Array.isArray(n.enum)) return fc.constantFrom(...(n.enum as unknown[]));
    if ('const' in n) return fc.constant(n.const);
    const type = n.type;
    // A choice of schemas for one value (core 2's `when`: a date or a date-time): any of them.
    const choices = (n.anyOf ?? n.oneOf) as SchemaNode[] | undefined;
    if (choices !== undefined && n.properties === undefined && type === undefined) {
      const { anyOf: _a, oneOf: _o, ...rest } = n;
      return fc.oneof(...choices.map((c) => build({ ...rest, ...walker.resolve(c, r).node }, r, depth)));
    }
    if (type === 'object' || n.properties !== undefined) return object(n, r, depth);
    if (type === 'array') {
      const items = build(n.items as SchemaNode, r, depth + 1);
      const min = (n.minItems as number | undefined) ?? 0;
      const max = Math.min((n.maxItems as number | undefined) ?? 3, min + 2);
      return n.uniqueItems
        ? fc.uniqueArray(items, { minLength: min, maxLength: max, selector: (v) => JSON.stringify(v) })
        : fc.array(items, { minLength: min, maxLength: max });
    }
    if (type === 'integer' || type === 'number') {
      return fc.integer({
        min: (n.minimum as number | undefined) ?? 0,
        max: (n.maximum as number | undefined) ?? 100000,
      });
    }
    if (type === 'boolean') return fc.boolean();
    if (typeof n.format === 'string' && FORMATS[n.format]) {
      const re = typeof n.pattern === 'string' ? new RegExp(n.pattern) : undefined;
      return re ? FORMATS[n.format]!.filter((v) => re.test(v)) : FORMATS[n.format]!;
    }
    if (typeof n.pattern === 'string') {
      if (n.pattern.includes('\\.\\d{2}$')) return money;
      if (n.pattern.includes('\\d*[1-9]'))
        return n.pattern.includes('-') ? decimal : decimal.map((d) => d.replace(/^-/, ''));
      const re = new RegExp(n.pattern);
      return fc
        .stringMatching(re)
        .filter(
          (s) => s.trim() === s && s.length > 0 && s.length <= ((n.maxLength as number | undefined) ?? 64),
        );
    }
    return text((n.minLength as number | undefined) ?? 1, (n.maxLength as number | undefined) ?? 12);
  };

  const object = (n: SchemaNode, r: SchemaNode, depth: number): fc.Arbitrary<unknown> => {
    const props = (n.properties as Record<string, SchemaNode> | undefined) ?? {};
    const required = new Set((n.required as string[] | undefined) ?? []);
    const variants = alternativeVariants(n, conditionalVariants(n, required));
    const make = (v: Variant) => {
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      const keys: string[] = [];
      for (const [name, child] of Object.entries(props)) {
        if (v.forbidden.has(name)) continue;
        const needed = required.has(name) || v.required.has(name);
        if (name in v.fixed) model[name] = fc.constant(v.fixed[name]);
        else if (depth < 6 || needed) {
          const override = v.overrides[name];
          model[name] = override
            ? build({ ...walker.resolve(child, r).node, ...override }, r, depth + 1)
            : build(child, r, depth + 1);
        } else continue;
        if (needed || name in v.fixed) keys.push(name);
      }
      return fc.record(model, { requiredKeys: keys });
    };
    return fc.oneof(...variants.map(make));
  };

  return build(schema, schema, 0);
}

/**
 * An object's `oneOf`/`anyOf` of constraints only (core 2's `measured`: a value, or not detected):
 * each variant of the object once per alternative, with its required and forbidden members.
 */
function alternativeVariants(n: SchemaNode, variants: Variant[]): Variant[] {
  const choices = (n.oneOf ?? n.anyOf) as SchemaNode[] | undefined;
  if (choices === undefined) return variants;
  const out: Variant[] = [];
  for (const base of variants)
    for (const alt of choices) {
      const forbidden = new Set(base.forbidden);
      for (const [k, v] of Object.entries((alt.properties as Record<string, unknown>) ?? {}))
        if (v === false) forbidden.add(k);
      const req = new Set([...base.required, ...((alt.required as string[]) ?? [])]);
      if ([...req].some((k) => forbidden.has(k))) continue;
      out.push({ ...base, required: req, forbidden });
    }
  return out.length > 0 ? out : variants;
}

interface Variant {
  readonly fixed: Record<string, unknown>;
  readonly required: Set<string>;
  readonly forbidden: Set<string>;
  readonly overrides: Record<string, SchemaNode>;
}

/**
 * `allOf` conditionals of the form if {member: const} then {...} become explicit variants: one per
 * combination of discriminator values (or the discriminator absent, where allowed), with the `then`
 * parts merged in (more required members, forbidden members, narrower member schemas).
 */
function conditionalVariants(n: SchemaNode, required: ReadonlySet<string>): Variant[] {
  const groups = new Map<string, { value: unknown; consequence: SchemaNode }[]>();
  for (const part of (n.allOf as SchemaNode[] | undefined) ?? []) {
    const cond = part.if as SchemaNode | undefined;
    const on = cond && Object.entries((cond.properties as Record<string, SchemaNode>) ?? {})[0];
    if (!on || !('const' in on[1])) continue;
    const list = groups.get(on[0]) ?? [];
    list.push({ value: on[1].const, consequence: (part.then as SchemaNode) ?? {} });
    groups.set(on[0], list);
  }
  let combos: Variant[] = [{ fixed: {}, required: new Set(), forbidden: new Set(), overrides: {} }];
  for (const [member, options] of groups) {
    const next: Variant[] = [];
    for (const base of combos) {
      const choices: ({ value: unknown; consequence: SchemaNode } | undefined)[] = [...options];
      if (!required.has(member)) choices.push(undefined);
      for (const choice of choices) {
        if (choice === undefined) {
          if (base.required.has(member)) continue;
          next.push({ ...base, forbidden: new Set([...base.forbidden, member]) });
          continue;
        }
        if (base.forbidden.has(member)) continue;
        const then = choice.consequence;
        const forbidden = new Set(base.forbidden);
        const overrides = { ...base.overrides };
        for (const [k, v] of Object.entries((then.properties as Record<string, unknown>) ?? {})) {
          if (v === false) forbidden.add(k);
          else overrides[k] = { ...(overrides[k] ?? {}), ...(v as SchemaNode) };
        }
        // A `then` may ask for any of several members (a patent: its application or its publication
        // number): one variant per alternative.
        const alternatives = ((then.anyOf as SchemaNode[] | undefined) ?? [{}]).map(
          (alt) => (alt.required as string[] | undefined) ?? [],
        );
        for (const also of alternatives) {
          const req = new Set([...base.required, ...((then.required as string[]) ?? []), ...also]);
          if ([...req].some((k) => forbidden.has(k)) || Object.keys(base.fixed).some((k) => forbidden.has(k)))
            continue;
          next.push({
            fixed: { ...base.fixed, [member]: choice.value },
            required: req,
            forbidden,
            overrides,
          });
        }
      }
    }
    combos = next;
  }
  return combos.length > 0
    ? combos
    : [{ fixed: {}, required: new Set(), forbidden: new Set(), overrides: {} }];
}
