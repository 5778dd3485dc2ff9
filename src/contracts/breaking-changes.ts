import type { SchemaNode, SchemaWalker } from './schema-walk.js';

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
  readonly detail: string;
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
        detail: `type ${JSON.stringify(typeA)} became ${JSON.stringify(typeB)}`,
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
            detail: `value ${JSON.stringify(v)} was removed`,
          });
        }
      }
    } else if (Array.isArray(rb.enum)) {
      out.push({
        schema: schemaName,
        pointer: at,
        change: 'narrowed',
        detail: 'a value list (enum) was added',
      });
    }
    for (const k of NARROWING) {
      const x = ra[k] as number | undefined;
      const y = rb[k] as number | undefined;
      if (y !== undefined && (x === undefined || y > x))
        out.push({ schema: schemaName, pointer: at, change: 'narrowed', detail: `${k} became ${y}` });
    }
    for (const k of WIDENING_LIMITS) {
      const x = ra[k] as number | undefined;
      const y = rb[k] as number | undefined;
      if (y !== undefined && (x === undefined || y < x))
        out.push({ schema: schemaName, pointer: at, change: 'narrowed', detail: `${k} became ${y}` });
    }
    for (const k of ['pattern', 'format', 'const'] as const) {
      if (rb[k] !== undefined && JSON.stringify(ra[k]) !== JSON.stringify(rb[k])) {
        out.push({
          schema: schemaName,
          pointer: at,
          change: 'narrowed',
          detail: `${k} changed to ${JSON.stringify(rb[k])}`,
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
          detail: `"${r}" became required`,
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
            detail: `"${name}" was removed`,
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
        detail: `message type ${type} was removed`,
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
          detail: `${type} now requires /${p.join('/')}`,
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
        detail: `dialect ${name} was removed`,
      });
      continue;
    }
    const dialectWalkers = { previous: previous.walker, next: next.walker };
    out.push(...compareSchemas(dialect.schema, other.schema, dialectWalkers, `dialects/${name}/schema.json`));
  }
  return out;
}
