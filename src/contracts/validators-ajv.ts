import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { IDENTIFIER_FORMATS } from '../vocabulary/identifiers/index.js';
import { linearRegExp, type PatternEngine } from './patterns/engine.js';
import type { CoreSchemas, SchemaNode } from './schema-walk.js';
import type { ValidateFn } from './validation-faults.js';

/** ajv options shared by runtime compilation and the standalone build, so both validate alike. */
export const AJV_OPTIONS = {
  allErrors: true,
  strict: true,
  strictTypes: false,
  strictRequired: false,
  verbose: true,
} as const;

/** Adds yrdx's identifier formats (and ajv-formats' date/date-time) to an ajv instance. */
export function addYrdxFormats(ajv: Ajv2020): void {
  addFormats.default(ajv, ['date', 'date-time']);
  for (const [name, check] of Object.entries(IDENTIFIER_FORMATS)) {
    ajv.addFormat(name, { type: 'string', validate: (value: string) => check(value) === undefined });
  }
}

/**
 * Compiles a contract's schemas with ajv at run time (Node). Workers cannot generate code; there
 * the validators built by `yrdx contracts build` are used instead. Patterns run in `regExp`, a
 * linear-time engine (`patterns/engine.ts`): `linearRegExp` compiles each on first use,
 * `compiledRegExp` at once (where every fault must be reported now, e.g. an upload).
 */
export function compileValidators(
  core: CoreSchemas,
  schemas: Readonly<Record<string, SchemaNode>>,
  regExp: PatternEngine = linearRegExp,
): Record<string, ValidateFn> {
  const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { regExp } });
  addYrdxFormats(ajv);
  for (const schema of core) ajv.addSchema(schema as object);
  const out: Record<string, ValidateFn> = {};
  for (const [name, schema] of Object.entries(schemas))
    out[name] = ajv.compile(schema as object) as ValidateFn;
  return out;
}
