import type { Direction } from '../mapping-types.js';
import { formatPointer, parsePointer, type Segments } from '../pointer.js';
import type { SchemaNode } from '../schema-walk.js';
import type { Ctx, Record_ } from './context.js';

export function unknownKeys(ctx: Ctx, rule: Record_, allowed: ReadonlySet<string>, at: string): boolean {
  const extra = Object.keys(rule).filter((k) => !allowed.has(k));
  for (const k of extra)
    ctx.faults.push({
      pointer: `${at}/${k}`,
      detail: `unknown key "${k}" (allowed here: ${[...allowed].join(', ')})`,
    });
  return extra.length > 0;
}

export function pointerOf(ctx: Ctx, value: unknown, at: string): Segments | undefined {
  const parsed = parsePointer(value);
  if (typeof parsed === 'string') {
    ctx.faults.push({ pointer: at, detail: parsed });
    return undefined;
  }
  if (parsed.length === 0) {
    ctx.faults.push({ pointer: at, detail: 'a rule cannot map the whole document' });
    return undefined;
  }
  return parsed;
}

/** Checks that a pointer exists in its schema; returns the schema node there. */
export function schemaAt(
  ctx: Ctx,
  side: 'canonical' | 'dialect',
  full: Segments,
  at: string,
): SchemaNode | undefined {
  const schema = side === 'canonical' ? ctx.input.canonicalSchema : ctx.input.dialectSchema;
  const node = ctx.input.walker.at(schema, full);
  if (node === undefined)
    ctx.faults.push({ pointer: at, detail: `"${formatPointer(full)}" does not exist in the ${side} schema` });
  return node;
}

export function lossyOf(ctx: Ctx, value: unknown, at: string): Direction | undefined {
  if (value === undefined) return undefined;
  if (value === 'toCanonical' || value === 'toDialect') return value;
  ctx.faults.push({ pointer: at, detail: 'expected "toCanonical" or "toDialect"' });
  return undefined;
}
