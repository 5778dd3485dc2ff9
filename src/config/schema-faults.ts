import type { ErrorObject } from 'ajv';
import type { ProblemItem } from '../errors/errors.js';

/** Turns one ajv error into "what was expected" at a JSON pointer. */
export function describeAjvError(e: ErrorObject, file: string): ProblemItem {
  const params: Record<string, unknown> = e.params;
  // ajv types the schema an error comes from loosely; these are the members read from it.
  const schema = e.parentSchema as { description?: string; properties?: Record<string, unknown> } | undefined;
  const pointer = e.instancePath === '' ? '/' : e.instancePath;
  switch (e.keyword) {
    case 'required':
      return {
        file,
        pointer: join(e.instancePath, String(params.missingProperty)),
        detail: 'expected this member; it is missing',
      };
    case 'additionalProperties': {
      const allowed = Object.keys(schema?.properties ?? {}).join(', ');
      return {
        file,
        pointer: join(e.instancePath, String(params.additionalProperty)),
        detail: `expected no such member (allowed here: ${allowed})`,
      };
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : [];
      return {
        file,
        pointer,
        detail: `expected one of: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    }
    case 'type':
      return { file, pointer, detail: `expected ${String(params.type)}` };
    case 'pattern':
    case 'format':
      return {
        file,
        pointer,
        detail: `expected ${schema?.description ?? `a value of format ${String(params.format ?? params.pattern)}`}`,
      };
    case 'anyOf':
      return { file, pointer, detail: 'expected a thumbprint string or {"thumbprint", "notAfter"}' };
    default:
      return { file, pointer, detail: `expected a value that ${e.message ?? 'fits the schema'}` };
  }
}

function join(base: string, member: string): string {
  return `${base}/${member.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}
