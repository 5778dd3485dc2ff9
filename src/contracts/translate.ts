import { MAX_PROBLEM_ERRORS, type ProblemItem, YrdxError } from '../errors/errors.js';
import type { MessageType } from '../vocabulary/messages.js';
import type { Contract } from './contract.js';
import type { TranslationFault } from './faults.js';
import { normalizeIdentifiers } from './identifier-forms.js';
import type { ProvenanceContext } from './mapping-types.js';
import { omittedFaults } from './validation-faults.js';

export const CANONICAL = 'canonical';

function invalid(
  contract: Contract,
  dialect: string,
  faults: readonly TranslationFault[],
  omitted = omittedFaults(faults),
): YrdxError {
  // Only the faults a problem can carry are copied; the rest are counted.
  const listed = faults.length > MAX_PROBLEM_ERRORS ? faults.slice(0, MAX_PROBLEM_ERRORS) : faults;
  const errors: ProblemItem[] = listed.map((f) => ({
    pointer: f.pointer,
    rule: f.rule,
    detail: f.detail,
    ...(f.expected === undefined ? {} : { expected: f.expected }),
  }));
  const errorsOmitted = omitted + faults.length - listed.length;
  return new YrdxError('document_invalid', {
    params: { contract: contract.id, dialect, count: errors.length + errorsOmitted },
    errors,
    errorsOmitted,
  });
}

export function dialectOf(contract: Contract, name: string, type: MessageType | undefined) {
  const dialect = contract.dialects.get(name);
  if (dialect === undefined) {
    throw new YrdxError('contract_unknown', {
      params: { reason: `${contract.id} has no dialect "${name}"` },
    });
  }
  if (type !== undefined && !dialect.messageTypes.includes(type)) {
    throw new YrdxError('contract_unknown', {
      params: { reason: `dialect ${name} of ${contract.id} does not carry ${type}` },
    });
  }
  return dialect;
}

/**
 * A local system's document → canonical: validate against the dialect schema, translate, write
 * identifiers in their normal form, validate the canonical result. Every fault is reported at once, with pointers in the sender's dialect.
 */
export function toCanonical(
  contract: Contract,
  dialectName: string,
  type: MessageType | undefined,
  document: unknown,
): Record<string, unknown> {
  const dialect = dialectOf(contract, dialectName, type);
  const schemaFaults = dialect.validate(document);
  if (schemaFaults.length > 0) throw invalid(contract, dialectName, schemaFaults);
  const { value, faults } = dialect.toCanonical(document);
  if (faults.length === 0) normalizeIdentifiers(contract, value);
  const canonicalFaults = faults.length > 0 ? faults : contract.validateCanonical(type, value);
  if (canonicalFaults.length > 0) {
    throw invalid(
      contract,
      dialectName,
      canonicalFaults.slice(0, MAX_PROBLEM_ERRORS).map((f) => {
        const pointer = faults.length > 0 ? f.pointer : dialect.dialectPointerFor(f.pointer);
        return pointer === undefined
          ? { ...f, detail: `${f.detail}（统一模型字段 ${f.pointer}）` }
          : { ...f, pointer };
      }),
      omittedFaults(canonicalFaults) + Math.max(0, canonicalFaults.length - MAX_PROBLEM_ERRORS),
    );
  }
  return value;
}

/**
 * Canonical → a local system's dialect: validate the canonical body, translate, validate the result
 * against the dialect schema (a failure there is a contract fault, reported with canonical pointers).
 * `provenance` (who sent the message, from its envelope) fills the mapping's provenance rules;
 * without it they write nothing.
 */
export function fromCanonical(
  contract: Contract,
  dialectName: string,
  type: MessageType | undefined,
  canonical: unknown,
  provenance?: ProvenanceContext,
): Record<string, unknown> {
  const dialect = dialectOf(contract, dialectName, type);
  const canonicalFaults = contract.validateCanonical(type, canonical);
  if (canonicalFaults.length > 0) throw invalid(contract, CANONICAL, canonicalFaults);
  const { value, faults } = dialect.toDialect(canonical, provenance);
  if (faults.length > 0) throw invalid(contract, dialectName, faults);
  const dialectFaults = dialect.validate(value);
  if (dialectFaults.length > 0) throw invalid(contract, dialectName, dialectFaults);
  return value;
}

/** Any dialect (or `canonical`) → any dialect (or `canonical`), through the canonical model. */
export function translate(
  contract: Contract,
  from: string,
  to: string,
  type: MessageType | undefined,
  document: unknown,
  provenance?: ProvenanceContext,
): Record<string, unknown> {
  let canonical: Record<string, unknown>;
  if (from === CANONICAL) {
    const faults = contract.validateCanonical(type, document);
    if (faults.length > 0) throw invalid(contract, CANONICAL, faults);
    canonical = document as Record<string, unknown>;
  } else {
    canonical = toCanonical(contract, from, type, document);
  }
  return to === CANONICAL ? canonical : fromCanonical(contract, to, type, canonical, provenance);
}
