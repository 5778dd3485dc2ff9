import type { Language } from '../vocabulary/language.js';
import { adminProblems } from './problems/admin.js';
import { attachmentProblems } from './problems/attachments.js';
import { auditProblems } from './problems/audit.js';
import { envelopeProblems } from './problems/envelope.js';
import { generalProblems } from './problems/general.js';
import { runtimeProblems } from './problems/runtime.js';
import type { ProblemSpec } from './problems/spec.js';
import { workflowProblems } from './problems/workflow.js';
import { fill, type LocalText, type TextParams } from './text.js';

/** Every problem yrdx can report, by stable code. Codes never change meaning once released. */
export const problemCatalogue = {
  ...generalProblems,
  ...envelopeProblems,
  ...auditProblems,
  ...adminProblems,
  ...runtimeProblems,
  ...workflowProblems,
  ...attachmentProblems,
} as const satisfies Record<string, ProblemSpec>;

export type ErrorCode = keyof typeof problemCatalogue;

/**
 * A precise pointer to one bad input, e.g. a config member or a message field. Its `detail` is written
 * in each language; problem+json, the CLI and the console show the one of the reader's language.
 */
export interface ProblemItem {
  readonly pointer: string;
  readonly detail: LocalText;
  readonly file?: string;
  /** The rule broken (e.g. `required`, `uscc-check`), for documents. */
  readonly rule?: string;
  /** What was expected, e.g. the check character of an identifier. */
  readonly expected?: string;
}

/** A fault item as a reader sees it: its detail in one language (the `errors` of problem+json). */
export interface RenderedProblemItem extends Omit<ProblemItem, 'detail'> {
  readonly detail: string;
}

/** Items with their detail in `lang`. */
export function renderItems(items: readonly ProblemItem[], lang: Language): RenderedProblemItem[] {
  return items.map((item) => ({ ...item, detail: item.detail[lang] }));
}

export interface YrdxErrorOptions {
  /** Data (ids, numbers, paths) as strings or numbers; prose as a LocalText in both languages. */
  /**
   * The detail's parameters: data (ids, numbers, paths) as written, prose in both languages. A
   * `reason` is always prose, so it must be a LocalText (the compiler refuses a one-language string).
   */
  readonly params?: TextParams & { readonly reason?: LocalText };
  readonly errors?: readonly ProblemItem[];
  /** Faults found but not passed in `errors` (a collector that stopped at the cap). */
  readonly errorsOmitted?: number;
  readonly cause?: unknown;
}

/**
 * At most this many fault items travel with an error (in problem+json and in logs); the count of
 * the others is kept in `errorsOmitted`. One hostile document can hold a fault per byte.
 */
export const MAX_PROBLEM_ERRORS = 100;

/**
 * The one error base of yrdx: a stable `code`, its HTTP status, parameters for the detail text and,
 * where the input had several faults, one item per fault. Rendered by `toProblem` as RFC 9457.
 */
export class YrdxError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: TextParams;
  readonly errors: readonly ProblemItem[];
  /** How many faults were found beyond those in `errors`. */
  readonly errorsOmitted: number;

  constructor(code: ErrorCode, options: YrdxErrorOptions = {}) {
    const spec: ProblemSpec = problemCatalogue[code];
    const params = options.params ?? {};
    super(
      `${code}: ${fill(spec.en, params, 'en')}`,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.name = 'YrdxError';
    this.code = code;
    this.status = spec.status;
    this.params = params;
    const errors = options.errors ?? [];
    this.errors = errors.length > MAX_PROBLEM_ERRORS ? errors.slice(0, MAX_PROBLEM_ERRORS) : errors;
    this.errorsOmitted = (options.errorsOmitted ?? 0) + errors.length - this.errors.length;
  }

  /** The detail text in the given language. */
  detail(lang: Language = 'zh'): string {
    const spec: ProblemSpec = problemCatalogue[this.code];
    return fill(lang === 'en' ? spec.en : spec.zh, this.params, lang);
  }
}

export function isYrdxError(value: unknown): value is YrdxError {
  return value instanceof YrdxError;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ErrorCode;
  readonly instance?: string;
  readonly errors?: readonly RenderedProblemItem[];
  /** Faults found beyond the listed `errors` (which are capped at `MAX_PROBLEM_ERRORS`). */
  readonly errorsOmitted?: number;
}

/**
 * RFC 9457 problem details for an error, in `lang` (its detail and the detail of every item).
 * Unknown errors become `internal_error` and reveal nothing.
 */
export function toProblem(error: unknown, lang: Language = 'zh', instance?: string): Problem {
  const known = isYrdxError(error) ? error : new YrdxError('internal_error');
  const spec: ProblemSpec = problemCatalogue[known.code];
  return {
    type: `urn:yrdx:problem:${known.code}`,
    title: spec.title,
    status: known.status,
    detail: known.detail(lang),
    code: known.code,
    ...(instance === undefined ? {} : { instance }),
    ...(known.errors.length > 0 ? { errors: renderItems(known.errors, lang) } : {}),
    ...(known.errorsOmitted > 0 ? { errorsOmitted: known.errorsOmitted } : {}),
  };
}
