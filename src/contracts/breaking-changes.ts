import { type LocalText, type TextParams, textOf } from '../errors/text.js';
import type { SchemaNode, SchemaWalker } from './schema-walk.js';

/** What changed between two versions of a contract, in each language. */
export const BREAKING_CHANGE_TEXT = {
  zh: {
    type: '类型 {from} 变为 {to}',
    valueRemoved: '取值 {value} 被删除',
    enumAdded: '新增了取值列表（enum）',
    became: '{keyword} 变为 {value}',
    changed: '{keyword} 改为 {value}',
    required: '“{name}”变为必填',
    fieldRemoved: '“{name}”被删除',
    typeRemoved: '报文类型 {type} 被删除',
    typeRequires: '{type} 现在要求 {pointer}',
    dialectRemoved: '方言 {name} 被删除',
  },
  en: {
    type: 'type {from} became {to}',
    valueRemoved: 'value {value} was removed',
    enumAdded: 'a value list (enum) was added',
    became: '{keyword} became {value}',
    changed: '{keyword} changed to {value}',
    required: '"{name}" became required',
    fieldRemoved: '"{name}" was removed',
    typeRemoved: 'message type {type} was removed',
    typeRequires: '{type} now requires {pointer}',
    dialectRemoved: 'dialect {name} was removed',
  },
} as const satisfies { zh: Record<string, string>; en: Record<string, string> };

const changeText = (key: keyof (typeof BREAKING_CHANGE_TEXT)['zh'], params: TextParams = {}) =>
  textOf(BREAKING_CHANGE_TEXT, key, params);

/** One change that breaks readers of the previous version. */
export interface BreakingChange {
  readonly schema: string;
  readonly pointer: string;
  readonly change:
    | 'required-added'
    | 'field-removed'
    | 'type-changed'
    | 'enum-value-removed'
    | 'narrowed'
    | 'message-type-removed'
    | 'dialect-removed';
  readonly detail: LocalText;
}

const NARROWING = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems'] as const;
const WIDENING_LIMITS = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems'] as const;

/**
 * Whether `next` can read everything `previous` accepted (a new minor version must): no newly
 * required fields, no removed or narrowed fields, no removed enum values. Mechanical and
 * conservative: a change it cannot prove safe (a new pattern or format) is reported.
 */
export function compareSchemas(
  previous: SchemaNode,
  next: SchemaNode,
  walkers: { readonly previous: SchemaWalker; readonly next: SchemaWalker },
  schemaName: string,
): BreakingChange[] {
  const out: BreakingChange[] = [];
  const visit = (
    a: SchemaNode,
    rootA: SchemaNode,
    b: SchemaNode,
    rootB: SchemaNode,
    path: string,
    depth: number,
  ) => {
    if (depth > 24) return;
    const resolvedA = walkers.previous.resolve(a, rootA);
    const resolvedB = walkers.next.resolve(b, rootB);
    const ra = resolvedA.node;
    const rb = resolvedB.node;
    const at = path === '' ? '/' : path;
    const typeA = ra.type;
    const typeB = rb.type;
    if (typeA !== undefined && JSON.stringify(typeA) !== JSON.stringify(typeB)) {
      out.push({
        schema: schemaName,
        pointer: at,
        change: 'type-changed',
        detail: changeText('type', { from: JSON.stringify(typeA), to: JSON.stringify(typeB) }),
      });
      return;
    }
    if (Array.isArray(ra.enum)) {
      const allowed = new Set((Array.isArray(rb.enum) ? rb.enum : []).map((v) => JSON.stringify(v)));
      for (const v of ra.enum) {
        if (Array.isArray(rb.enum) && !allowed.has(JSON.stringify(v))) {
          out.push({
            schema: schemaName,
            pointer: at,
            change: 'enum-value-removed',
            detail: changeText('valueRemoved', { value: JSON.stringify(v) }),
          });
        }
      }
    } else if (Array.isArray(rb.enum)) {
      out.push({
        schema: schemaName,
        pointer: at,
        change: 'narrowed',
        detail: changeText('enumAdded'),
      });
    }
    for (const k of NARROWING) {
      const x = ra[k] as number | undefined;
      const y = rb[k] as number | undefined;
      if (y !== undefined && (x === undefined || y > x))
        out.push({
          schema: schemaName,
          pointer: at,
          change: 'narrowed',
          detail: changeText('became', { keyword: k, value: String(y) }),
        });
    }
    for (const k of WIDENING_LIMITS) {
      const x = ra[k] as number | undefined;
      const y = rb[k] as number | undefined;
      if (y !== undefined && (x === undefined || y < x))
        out.push({
          schema: schemaName,
          pointer: at,
          change: 'narrowed',
          detail: changeText('became', { keyword: k, value: String(y) }),
        });
    }
    for (const k of ['pattern', 'format', 'const'] as const) {
      if (rb[k] !== undefined && JSON.stringify(ra[k]) !== JSON.stringify(rb[k])) {
        out.push({
          schema: schemaName,
          pointer: at,
          change: 'narrowed',
          detail: changeText('changed', { keyword: k, value: JSON.stringify(rb[k]) }),
        });
      }
    }
    const requiredA = new Set((ra.required as string[] | undefined) ?? []);
    for (const r of (rb.required as string[] | undefined) ?? []) {
      if (!requiredA.has(r))
        out.push({
          schema: schemaName,
          pointer: `${path}/${r}`,
          change: 'required-added',
          detail: changeText('required', { name: r }),
        });
    }
    const propsA = (ra.properties as Record<string, SchemaNode> | undefined) ?? {};
    const propsB = (rb.properties as Record<string, SchemaNode> | undefined) ?? {};
    for (const [name, child] of Object.entries(propsA)) {
      const other = propsB[name];
      if (other === undefined) {
        if (rb.additionalProperties === false)
          out.push({
            schema: schemaName,
            pointer: `${path}/${name}`,
            change: 'field-removed',
            detail: changeText('fieldRemoved', { name }),
          });
        continue;
      }
      visit(child, resolvedA.root, other, resolvedB.root, `${path}/${name}`, depth + 1);
    }
    if (
      typeof ra.items === 'object' &&
      ra.items !== null &&
      typeof rb.items === 'object' &&
      rb.items !== null
    ) {
      visit(
        ra.items as SchemaNode,
        resolvedA.root,
        rb.items as SchemaNode,
        resolvedB.root,
        `${path}/*`,
        depth + 1,
      );
    }
  };
  visit(previous, previous, next, next, '', 0);
  return out;
}

/** Every breaking change from `previous` to `next`: canonical schema, message types, each dialect. */
export function compareContracts(
  previous: import('./contract.js').Contract,
  next: import('./contract.js').Contract,
): BreakingChange[] {
  const walkers = { previous: previous.walker, next: next.walker };
  const out = compareSchemas(
    previous.canonicalSchema,
    next.canonicalSchema,
    walkers,
    'canonical.schema.json',
  );
  for (const [type, requires] of previous.requires) {
    const now = next.requires.get(type);
    if (now === undefined) {
      out.push({
        schema: 'contract.json',
        pointer: `/messageTypes/${type}`,
        change: 'message-type-removed',
        detail: changeText('typeRemoved', { type }),
      });
      continue;
    }
    const before = new Set(requires.map((p) => p.join('/')));
    for (const p of now) {
      if (!before.has(p.join('/'))) {
        out.push({
          schema: 'contract.json',
          pointer: `/messageTypes/${type}/requires`,
          change: 'required-added',
          detail: changeText('typeRequires', { type, pointer: `/${p.join('/')}` }),
        });
      }
    }
  }
  for (const [name, dialect] of previous.dialects) {
    const other = next.dialects.get(name);
    if (other === undefined) {
      out.push({
        schema: `dialects/${name}`,
        pointer: '/',
        change: 'dialect-removed',
        detail: changeText('dialectRemoved', { name }),
      });
      continue;
    }
    const dialectWalkers = { previous: previous.walker, next: next.walker };
    out.push(...compareSchemas(dialect.schema, other.schema, dialectWalkers, `dialects/${name}/schema.json`));
  }
  return out;
}
