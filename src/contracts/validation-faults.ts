import { MAX_PROBLEM_ERRORS } from '../errors/errors.js';
import type { LocalText } from '../errors/text.js';
import { IDENTIFIER_FORMATS } from '../vocabulary/identifiers/index.js';
import { describedIn, messageFault } from './fault-text.js';
import type { TranslationFault } from './faults.js';
import { getAt, parsePointer } from './pointer.js';

/** The shape of an ajv error that we read (compiled and standalone validators produce the same). */
export interface SchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
  readonly parentSchema?: Readonly<Record<string, unknown>>;
}

export type ValidateFn = ((data: unknown) => boolean) & { errors?: readonly SchemaError[] | null };

/** Faults of one check, at most `MAX_PROBLEM_ERRORS`, with the number of further faults left out. */
export type FaultList = TranslationFault[] & { omitted?: number };

/** How many faults a list left out (see `describeSchemaErrors`). */
export function omittedFaults(faults: readonly TranslationFault[]): number {
  return (faults as FaultList).omitted ?? 0;
}

/**
 * Turns schema errors into faults an operator can act on: the JSON pointer, the rule broken and, for
 * identifiers, what was expected (the check character). Details are in both languages.
 *
 * Only the first `MAX_PROBLEM_ERRORS` faults are described (describing, and above all telling
 * duplicates apart, costs far more than validating); the others are only counted, in `omitted`.
 */
export function describeSchemaErrors(errors: readonly SchemaError[], document: unknown): FaultList {
  const out: FaultList = [];
  const seen = new Set<string>();
  let i = 0;
  for (; i < errors.length && out.length < MAX_PROBLEM_ERRORS; i++) {
    const e = errors[i]!;
    // `if` failures only say that a `then` failed; the `then` error is reported on its own.
    if (e.keyword === 'if') continue;
    const f = describe(e, document);
    const key = `${f.pointer}\u0000${f.rule}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  let omitted = 0;
  for (; i < errors.length; i++) if (errors[i]!.keyword !== 'if') omitted++;
  if (omitted > 0) out.omitted = omitted;
  return out;
}

function describe(e: SchemaError, document: unknown): TranslationFault {
  const pointer = e.instancePath === '' ? '/' : e.instancePath;
  const p = e.params;
  const at = (rule: string, detail: LocalText, where = pointer): TranslationFault => ({
    pointer: where,
    rule,
    detail,
  });
  switch (e.keyword) {
    case 'required':
      return at('required', messageFault('required'), `${e.instancePath}/${String(p.missingProperty)}`);
    case 'additionalProperties':
      return at(
        'additionalProperties',
        messageFault('additionalProperties'),
        `${e.instancePath}/${String(p.additionalProperty)}`,
      );
    case 'type':
      return at('type', messageFault('type', { type: String(p.type) }));
    case 'enum': {
      const values = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      return at('enum', messageFault('enum', { allowed: { zh: values.join('、'), en: values.join(', ') } }));
    }
    case 'const':
      return at('const', messageFault('const', { allowed: JSON.stringify(p.allowedValue) }));
    case 'format': {
      const format = String(p.format);
      const check = IDENTIFIER_FORMATS[format];
      const segments = parsePointer(e.instancePath);
      const value = typeof segments === 'string' ? undefined : getAt(document, segments);
      const identifierFault = check && typeof value === 'string' ? check(value) : undefined;
      if (identifierFault) {
        return {
          pointer,
          rule: identifierFault.rule,
          detail: identifierFault.message,
          ...(identifierFault.expected === undefined ? {} : { expected: identifierFault.expected }),
        };
      }
      return at(`format:${format}`, messageFault(format === 'date' ? 'formatDate' : 'format', { format }));
    }
    case 'pattern': {
      const description = e.parentSchema?.description;
      return at(
        'pattern',
        typeof description === 'string'
          ? messageFault('patternDescribed', { description: describedIn(description) })
          : messageFault('pattern', { pattern: String(p.pattern) }),
      );
    }
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
      return at(e.keyword, messageFault(e.keyword, { limit: String(p.limit) }));
    case 'false schema':
      return at('forbidden', messageFault('forbidden'));
    case 'uniqueItems':
      return at('uniqueItems', messageFault('uniqueItems'));
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at(
        e.keyword,
        messageFault('compare', { comparison: String(p.comparison), limit: String(p.limit) }),
      );
    case 'anyOf':
    case 'oneOf':
    case 'not':
      return at(e.keyword, messageFault(e.keyword));
    default:
      return at(e.keyword, messageFault('schema', { keyword: e.keyword }));
  }
}
