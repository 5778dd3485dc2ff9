import { MAX_PROBLEM_ERRORS } from '../errors/errors.js';
import { IDENTIFIER_FORMATS } from '../vocabulary/identifiers/index.js';
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
 * identifiers, what was expected (the check character). Messages are in 简体中文.
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
  switch (e.keyword) {
    case 'required':
      return {
        pointer: `${e.instancePath}/${String(p.missingProperty)}`,
        rule: 'required',
        detail: '缺少必填字段',
      };
    case 'additionalProperties':
      return {
        pointer: `${e.instancePath}/${String(p.additionalProperty)}`,
        rule: 'additionalProperties',
        detail: '不允许出现该字段（字段名可能拼写有误）',
      };
    case 'type':
      return { pointer, rule: 'type', detail: `类型应为 ${String(p.type)}` };
    case 'enum':
      return {
        pointer,
        rule: 'enum',
        detail: `取值应为以下之一：${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join('、')}`,
      };
    case 'const':
      return { pointer, rule: 'const', detail: `取值应为 ${JSON.stringify(p.allowedValue)}` };
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
      return {
        pointer,
        rule: `format:${format}`,
        detail: `不符合格式 ${format}${format === 'date' ? '（YYYY-MM-DD）' : ''}`,
      };
    }
    case 'pattern': {
      const description = e.parentSchema?.description;
      return {
        pointer,
        rule: 'pattern',
        detail: `格式不正确${typeof description === 'string' ? `：应为${description}` : `（应匹配 ${String(p.pattern)}）`}`,
      };
    }
    case 'minLength':
      return { pointer, rule: 'minLength', detail: `至少 ${String(p.limit)} 个字符` };
    case 'maxLength':
      return { pointer, rule: 'maxLength', detail: `最多 ${String(p.limit)} 个字符` };
    case 'minItems':
      return { pointer, rule: 'minItems', detail: `至少 ${String(p.limit)} 项` };
    case 'maxItems':
      return { pointer, rule: 'maxItems', detail: `最多 ${String(p.limit)} 项` };
    case 'false schema':
      return { pointer, rule: 'forbidden', detail: '不允许出现该字段' };
    case 'uniqueItems':
      return { pointer, rule: 'uniqueItems', detail: '数组中有重复项' };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { pointer, rule: e.keyword, detail: `数值应 ${String(p.comparison)} ${String(p.limit)}` };
    default:
      return { pointer, rule: e.keyword, detail: e.message ?? '不符合模式' };
  }
}
