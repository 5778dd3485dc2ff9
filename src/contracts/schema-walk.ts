import { isIndex, type Segments } from './pointer.js';

/** A JSON Schema node, as data. */
export type SchemaNode = Readonly<Record<string, unknown>>;

/**
 * The case cores canonical schemas may refer to by `$id` (`contracts/core/*.schema.json`): one per
 * generation, since a published contract version must keep reading the core it was written against.
 */
export type CoreSchemas = readonly SchemaNode[];

/**
 * Walks JSON Schemas by instance pointer, following `$ref` (within the schema or to a schema by
 * `$id`, such as the case core) and looking into `allOf`. Used by the mapping checks, not by
 * validation (ajv does that).
 */
export class SchemaWalker {
  readonly #byId: ReadonlyMap<string, SchemaNode>;

  constructor(schemas: readonly SchemaNode[]) {
    this.#byId = new Map(schemas.filter((s) => typeof s.$id === 'string').map((s) => [s.$id as string, s]));
  }

  /** Follows `$ref`s until a schema without one; `root` is the document local refs point into. */
  resolve(node: SchemaNode, root: SchemaNode): { node: SchemaNode; root: SchemaNode } {
    let current = { node, root };
    for (let guard = 0; typeof current.node.$ref === 'string' && guard < 32; guard++) {
      const ref = current.node.$ref as string;
      const [base, fragment = ''] = ref.split('#');
      const doc = base === '' ? current.root : this.#byId.get(base!);
      if (doc === undefined) throw new Error(`unresolved $ref "${ref}"`);
      let target: unknown = doc;
      for (const seg of fragment.split('/').filter((s) => s !== '')) {
        target = (target as Record<string, unknown>)?.[seg.replaceAll('~1', '/').replaceAll('~0', '~')];
      }
      if (typeof target !== 'object' || target === null) throw new Error(`unresolved $ref "${ref}"`);
      // Siblings of $ref (e.g. a description) are kept; the target's keywords win.
      const { $ref: _ignored, ...siblings } = current.node;
      current = { node: { ...siblings, ...(target as SchemaNode) }, root: doc };
    }
    return current;
  }

  /** The schema of the value at `segments`, or undefined when the schema has no such place. */
  at(schema: SchemaNode, segments: Segments): SchemaNode | undefined {
    return this.#locate(schema, segments)?.node;
  }

  /**
   * The `format`s the value at `segments` may have: its own, or those of the parts of an `anyOf` /
   * `oneOf` (core 2's `when` is a date or a date-time).
   */
  formats(schema: SchemaNode, segments: Segments): string[] {
    const found = this.#locate(schema, segments);
    if (found === undefined) return [];
    if (typeof found.node.format === 'string') return [found.node.format];
    const parts = [
      ...((found.node.anyOf as SchemaNode[]) ?? []),
      ...((found.node.oneOf as SchemaNode[]) ?? []),
    ];
    return parts
      .map((part) => this.resolve(part, found.root).node.format)
      .filter((f): f is string => typeof f === 'string');
  }

  #locate(schema: SchemaNode, segments: Segments): { node: SchemaNode; root: SchemaNode } | undefined {
    let current: { node: SchemaNode; root: SchemaNode } | undefined = this.resolve(schema, schema);
    for (const seg of segments) {
      current = this.#child(current.node, current.root, seg);
      if (current === undefined) return undefined;
    }
    return current;
  }

  #child(
    node: SchemaNode,
    root: SchemaNode,
    seg: string,
  ): { node: SchemaNode; root: SchemaNode } | undefined {
    if (seg === '*' || isIndex(seg)) {
      if (typeof node.items === 'object' && node.items !== null)
        return this.resolve(node.items as SchemaNode, root);
    }
    const props = node.properties as Record<string, SchemaNode> | undefined;
    if (props !== undefined && Object.hasOwn(props, seg)) return this.resolve(props[seg]!, root);
    for (const part of (node.allOf as SchemaNode[] | undefined) ?? []) {
      const resolved = this.resolve(part, root);
      const found = this.#child(resolved.node, resolved.root, seg);
      if (found) return found;
    }
    return undefined;
  }

  /** Every leaf (a value that is not an object with properties nor an array of such) as pointer segments; `*` stands for array items. */
  leaves(schema: SchemaNode): Segments[] {
    const out: Segments[] = [];
    const visit = (node: SchemaNode, root: SchemaNode, path: string[], depth: number) => {
      const r = this.resolve(node, root);
      if (depth > 16) return;
      const props = this.#properties(r.node, r.root);
      if (props.size > 0) {
        for (const [name, child] of props) visit(child.node, child.root, [...path, name], depth + 1);
        return;
      }
      if (typeof r.node.items === 'object' && r.node.items !== null) {
        const item = this.resolve(r.node.items as SchemaNode, r.root);
        if (this.#properties(item.node, item.root).size > 0) {
          visit(item.node, item.root, [...path, '*'], depth + 1);
          return;
        }
      }
      out.push(path);
    };
    visit(schema, schema, [], 0);
    return out;
  }

  #properties(node: SchemaNode, root: SchemaNode): Map<string, { node: SchemaNode; root: SchemaNode }> {
    const out = new Map<string, { node: SchemaNode; root: SchemaNode }>();
    for (const [name, child] of Object.entries(
      (node.properties as Record<string, SchemaNode> | undefined) ?? {},
    )) {
      out.set(name, { node: child, root });
    }
    for (const part of (node.allOf as SchemaNode[] | undefined) ?? []) {
      const r = this.resolve(part, root);
      for (const [k, v] of this.#properties(r.node, r.root)) if (!out.has(k)) out.set(k, v);
    }
    return out;
  }

  /** The `required` members of the object schema at `segments`, including those of `allOf` parts (not of conditionals). */
  required(schema: SchemaNode, segments: Segments): string[] {
    const node = this.at(schema, segments);
    if (node === undefined) return [];
    const out = new Set<string>((node.required as string[] | undefined) ?? []);
    for (const part of (node.allOf as SchemaNode[] | undefined) ?? []) {
      if (part.if !== undefined) continue;
      for (const r of (this.resolve(part, schema).node.required as string[] | undefined) ?? []) out.add(r);
    }
    return [...out];
  }
}

/** The JSON Schema type of a node (`items`' type for arrays when `items` is asked for). */
export function typeOf(node: SchemaNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node.type === 'string') return node.type;
  if (Array.isArray(node.enum) && node.enum.length > 0) {
    const t = typeof node.enum[0];
    if (t === 'number') return node.enum.every((v) => Number.isInteger(v)) ? 'integer' : 'number';
    return t;
  }
  if ('const' in node) return typeof node.const;
  return undefined;
}
