import { formatPointer } from '../pointer.js';

/** Keywords whose value is one subschema, a list of them, or a map of them (JSON Schema 2020-12). */
const ONE = [
  'items',
  'additionalItems',
  'additionalProperties',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
] as const;
const LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'] as const;
const MAP = ['properties', '$defs', 'definitions', 'dependentSchemas', 'patternProperties'] as const;

/**
 * Every regular expression a schema holds, with its pointer: `pattern` values and the names of
 * `patternProperties`. Only schema positions are visited, so data that happens to have a member
 * called "pattern" (an `enum`, a `const`, an example) is not mistaken for one. The schema must
 * already be bounded in depth (`measureDocument`).
 */
export function findPatterns(schema: unknown): { pointer: string; pattern: string }[] {
  const found: { pointer: string; pattern: string }[] = [];
  const visit = (node: unknown, path: string[]) => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
    const n = node as Record<string, unknown>;
    if (typeof n.pattern === 'string')
      found.push({ pointer: formatPointer([...path, 'pattern']), pattern: n.pattern });
    const pp = n.patternProperties;
    if (typeof pp === 'object' && pp !== null && !Array.isArray(pp)) {
      for (const name of Object.keys(pp))
        found.push({ pointer: formatPointer([...path, 'patternProperties', name]), pattern: name });
    }
    for (const k of ONE) if (Object.hasOwn(n, k)) visit(n[k], [...path, k]);
    for (const k of LIST) {
      const list = n[k];
      if (Array.isArray(list)) for (const [i, s] of list.entries()) visit(s, [...path, k, String(i)]);
    }
    for (const k of MAP) {
      const map = n[k];
      if (typeof map === 'object' && map !== null && !Array.isArray(map))
        for (const [name, s] of Object.entries(map)) visit(s, [...path, k, name]);
    }
  };
  visit(schema, []);
  return found;
}
