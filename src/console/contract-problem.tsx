import { isYrdxError, renderItems, YrdxError } from '../errors/errors.js';
import type { Language } from '../vocabulary/language.js';
import type { Dictionary } from './i18n/index.js';
import { ProblemBox } from './layout.js';
import type { Refusal } from './respond.js';

/** The refusal a page reports: its error (a problem of the catalogue), at `status` when given. */
export function refusalOf(
  outcome: { error: unknown } | object | undefined,
  status?: 400 | 409 | 422,
): Refusal | undefined {
  if (outcome === undefined || !('error' in outcome)) return undefined;
  const problem = isYrdxError(outcome.error) ? outcome.error : new YrdxError('internal_error');
  return status === undefined ? { problem } : { problem, status };
}

/** A refusal of the contract pages, with each of its faults. */
export function Problem(props: { t: Dictionary; error: unknown; lang: Language }) {
  const e = props.error as YrdxError;
  return (
    <ProblemBox
      t={props.t}
      detail={e.detail(props.lang)}
      code={e.code}
      errors={renderItems(e.errors, props.lang)}
    />
  );
}
