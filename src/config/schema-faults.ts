import type { ErrorObject } from 'ajv';
import type { ProblemItem } from '../errors/errors.js';
import { type LocalText, listOf } from '../errors/text.js';
import { CONFIG_DESCRIPTIONS_ZH, configFault } from './fault-text.js';

/** Turns one ajv error into "what was expected" at a JSON pointer, in both languages. */
export function describeAjvError(e: ErrorObject, file: string): ProblemItem {
  const params: Record<string, unknown> = e.params;
  // ajv types the schema an error comes from loosely; these are the members read from it.
  const schema = e.parentSchema as { description?: string; properties?: Record<string, unknown> } | undefined;
  const pointer = e.instancePath === '' ? '/' : e.instancePath;
  const at = (detail: LocalText, where = pointer): ProblemItem => ({ file, pointer: where, detail });
  switch (e.keyword) {
    case 'required':
      return at(configFault('required'), join(e.instancePath, String(params.missingProperty)));
    case 'additionalProperties': {
      const allowed = listOf(Object.keys(schema?.properties ?? {}));
      return at(
        configFault('additionalProperties', { allowed }),
        join(e.instancePath, String(params.additionalProperty)),
      );
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : [];
      return at(configFault('enum', { allowed: allowed.map((v) => JSON.stringify(v)).join(', ') }));
    }
    case 'const':
      return at(configFault('const', { allowed: JSON.stringify(params.allowedValue) }));
    case 'type':
      return at(configFault('type', { type: String(params.type) }));
    case 'pattern':
    case 'format': {
      const description = schema?.description;
      if (description === undefined)
        return at(configFault('format', { format: String(params.format ?? params.pattern) }));
      return at(configFault('described', { description: describedIn(description) }));
    }
    case 'anyOf':
      return at(configFault('pins'));
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at(
        configFault('minimum', { comparison: String(params.comparison), limit: String(params.limit) }),
      );
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
      return at(configFault(e.keyword, { limit: String(params.limit) }));
    case 'uniqueItems':
      return at(configFault('uniqueItems', { i: String(params.j), j: String(params.i) }));
    default:
      return at(configFault('schema', { keyword: e.keyword }));
  }
}

/** A schema description in both languages (its Chinese from the table kept beside the schema). */
function describedIn(description: string): LocalText {
  return { zh: CONFIG_DESCRIPTIONS_ZH[description] ?? description, en: description };
}

function join(base: string, member: string): string {
  return `${base}/${member.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}
