import { type CompiledRule, PROVENANCE_SOURCES } from '../mapping-types.js';
import { compilePointer } from '../pointer.js';
import { typeOf } from '../schema-walk.js';
import type { Ctx, Record_, Scope } from './context.js';
import { DROP } from './plan.js';
import { pointerOf, schemaAt, unknownKeys } from './rule-checks.js';

const KEYS = new Set(['dialect', 'provenance', 'description']);

/**
 * `{ "dialect": "/cf_sjly", "provenance": "sender-name" }`: a dialect field that says who sent the
 * message. Its value comes from the envelope of the message being translated (the provenance
 * context), never from the body or a constant: towards the dialect it is written from the context
 * (nothing without one), towards canonical it is ignored. Only at the top of a mapping (not inside
 * an array or a branch case), so that it is written once, after every other rule.
 */
export function compileProvenance(
  ctx: Ctx,
  rule: Record_,
  at: string,
  scope: Scope,
): CompiledRule | undefined {
  unknownKeys(ctx, rule, KEYS, at);
  if ('canonical' in rule) {
    ctx.faults.push({
      pointer: `${at}/canonical`,
      detail:
        'a provenance rule names only the dialect field: the envelope, not the canonical body, says who sent',
    });
    return undefined;
  }
  const source = rule.provenance;
  if (typeof source !== 'string' || !Object.hasOwn(PROVENANCE_SOURCES, source)) {
    ctx.faults.push({
      pointer: `${at}/provenance`,
      detail: `expected one of ${Object.keys(PROVENANCE_SOURCES).join(', ')}`,
    });
    return undefined;
  }
  if (scope.canonical.length > 0 || scope.dialect.length > 0 || scope.inCase) {
    ctx.faults.push({
      pointer: at,
      detail: 'a provenance rule stands at the top of the rules, not inside "each" or "cases"',
    });
    return undefined;
  }
  const p = pointerOf(ctx, rule.dialect, `${at}/dialect`);
  if (!p) return undefined;
  const node = schemaAt(ctx, 'dialect', p, `${at}/dialect`);
  if (node && typeOf(node) !== 'string')
    ctx.faults.push({ pointer: `${at}/dialect`, detail: 'a provenance field holds a string' });
  ctx.paths.push({ kind: 'provenance', dialect: p, at });
  const pointer = compilePointer(p);
  ctx.provenance.push({
    from: PROVENANCE_SOURCES[source as keyof typeof PROVENANCE_SOURCES],
    set: (dst, value) => pointer.set(dst, value),
  });
  return DROP;
}
