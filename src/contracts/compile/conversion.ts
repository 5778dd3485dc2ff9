import { codes } from '../conversions/codes.js';
import { date } from '../conversions/date.js';
import { join } from '../conversions/join.js';
import { measured } from '../conversions/measured.js';
import { money } from '../conversions/money.js';
import { normalize } from '../conversions/normalize.js';
import { type Conversion, type ConversionFactory, ConversionFault } from '../conversions/op.js';
import { patent } from '../conversions/patent.js';
import { number, shift } from '../conversions/shift.js';
import { template } from '../conversions/template.js';
import type { Segments } from '../pointer.js';
import { type SchemaNode, typeOf } from '../schema-walk.js';
import { type Ctx, isRecord, type Record_ } from './context.js';

export const FACTORIES: Readonly<Record<string, ConversionFactory>> = {
  date,
  money,
  measured,
  shift,
  number,
  template,
  patent,
  normalize,
};

/** The conversion a field rule asks for, built from its keys, or undefined for a plain copy. */
export function conversionOf(
  ctx: Ctx,
  rule: Record_,
  at: string,
  canonicalNode: SchemaNode | undefined,
  canonicalPointer: Segments,
): Conversion | undefined {
  const primary = Object.keys(FACTORIES).filter((k) => k in rule);
  const hasCodes = 'codes' in rule;
  const hasJoin = 'join' in rule;
  const allowedPair = primary.length === 2 && primary.includes('shift') && primary.includes('number');
  if (
    (primary.length > 1 && !allowedPair) ||
    (hasCodes && primary.length > 0) ||
    (hasJoin && primary.length > 0)
  ) {
    ctx.faults.push({
      pointer: at,
      detail: 'a rule takes one conversion ("join" may combine with "codes", "shift" with "number")',
    });
    return undefined;
  }
  const itemNode =
    (hasJoin || hasCodes) && typeOf(canonicalNode) === 'array'
      ? ctx.input.walker.at(ctx.input.canonicalSchema, [...canonicalPointer, '*'])
      : canonicalNode;
  const itemPointer = itemNode === canonicalNode ? canonicalPointer : [...canonicalPointer, '*'];
  const facts = {
    type: typeOf(itemNode),
    format: typeof itemNode?.format === 'string' ? itemNode.format : undefined,
    formats: itemNode === undefined ? [] : ctx.input.walker.formats(ctx.input.canonicalSchema, itemPointer),
  };
  let element: Conversion | undefined;
  if (hasCodes) {
    const name = rule.codes;
    const table = typeof name === 'string' ? ctx.tables[name] : undefined;
    if (!isRecord(table)) {
      ctx.faults.push({ pointer: `${at}/codes`, detail: `no code table named ${JSON.stringify(name)}` });
      return undefined;
    }
    const built = codes(table, name as string, facts.type);
    if (typeof built === 'string')
      ctx.faults.push({ pointer: `/codeTables/${name as string}`, detail: built });
    else element = built;
  }
  const chain: Conversion[] = [];
  for (const key of primary) {
    const built = FACTORIES[key]!(rule[key], facts);
    if (typeof built === 'string') ctx.faults.push({ pointer: `${at}/${key}`, detail: built });
    else chain.push(built);
  }
  if (hasJoin) {
    const built = join(rule.join, element);
    if (typeof built === 'string') ctx.faults.push({ pointer: `${at}/join`, detail: built });
    return typeof built === 'string' ? undefined : built;
  }
  if (element) return typeOf(canonicalNode) === 'array' ? eachElement(element) : element;
  if (chain.length === 0) return undefined;
  if (chain.length === 1) return chain[0];
  // toDialect applies the chain in order (e.g. shift, then number); toCanonical in reverse.
  const order =
    primary.includes('number') && primary.includes('shift')
      ? [chain[primary.indexOf('shift')]!, chain[primary.indexOf('number')]!]
      : chain;
  return {
    toDialect: (v) => order.reduce((acc, c) => c.toDialect(acc), v),
    toCanonical: (v) => order.reduceRight((acc, c) => c.toCanonical(acc), v),
  };
}

/** Applies an element conversion to every item of an array (e.g. a code table over a list of codes). */
function eachElement(element: Conversion): Conversion {
  const map = (v: unknown, f: (x: unknown) => unknown) => {
    if (!Array.isArray(v)) throw new ConversionFault('type', '应为数组', 'expected an array');
    return v.map(f);
  };
  return {
    toCanonical: (v) => map(v, (x) => element.toCanonical(x)),
    toDialect: (v) => map(v, (x) => element.toDialect(x)),
  };
}
