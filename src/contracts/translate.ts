import { MAX_PROBLEM_ERRORS, type ProblemItem, YrdxError } from '../errors/errors.js';
import type { MessageType } from '../vocabulary/messages.js';
import type { Contract, Dialect } from './contract.js';
import { messageFault } from './fault-text.js';
import type { TranslationFault } from './faults.js';
import { normalizeIdentifiers } from './identifier-forms.js';
import type { ProvenanceContext } from './mapping-types.js';
import { typeNotCarried, unknownDialect } from './unknown.js';
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
  if (dialect === undefined) throw unknownDialect(contract, name);
  if (type !== undefined && !dialect.messageTypes.includes(type))
    throw typeNotCarried(contract, name, type, dialect.messageTypes);
  return dialect;
}

/**
 * A local system's document → canonical: validate against the dialect schema, translate, write
 * identifiers in their normal form, validate the canonical result. Every fault is reported at once,
 * with pointers in the sender's dialect: a document the dialect schema refuses is still translated
 * as far as it goes, so that what only translation or the canonical schema finds (a check character
 * of a field the dialect writes freely, a value no code table knows) is listed in the same refusal.
 */
export function toCanonical(
  contract: Contract,
  dialectName: string,
  type: MessageType | undefined,
  document: unknown,
): Record<string, unknown> {
  const dialect = dialectOf(contract, dialectName, type);
  const schemaFaults = dialect.validate(document);
  const omitted = omittedFaults(schemaFaults);
  // A refusal already full (the faults beyond it only counted) gains nothing from further stages.
  if (omitted > 0 || schemaFaults.length >= MAX_PROBLEM_ERRORS)
    throw invalid(contract, dialectName, schemaFaults);
  const later = laterFaults(contract, dialect, type, document, schemaFaults.length > 0);
  if (later.value !== undefined && schemaFaults.length === 0) return later.value;
  if (schemaFaults.length === 0) throw invalid(contract, dialectName, later.faults, later.omitted);
  // Faults of later stages beyond those listed are not counted: many would repeat the schema's.
  throw invalid(contract, dialectName, [...schemaFaults, ...beyond(schemaFaults, later.faults)], 0);
}

interface Later {
  /** The canonical body, when translation and the canonical schema found no fault. */
  readonly value?: Record<string, unknown>;
  readonly faults: readonly TranslationFault[];
  readonly omitted: number;
}

/** Translation and canonical validation, their faults written with dialect pointers. */
function laterFaults(
  contract: Contract,
  dialect: Dialect,
  type: MessageType | undefined,
  document: unknown,
  alreadyRefused: boolean,
): Later {
  let translated: ReturnType<Dialect['toCanonical']>;
  try {
    translated = dialect.toCanonical(document);
  } catch (error) {
    // A document the schema refused may hold shapes the mapping never meets; its schema faults stand.
    if (alreadyRefused) return { faults: [], omitted: 0 };
    throw error;
  }
  const { value, faults } = translated;
  if (faults.length > 0) return { faults, omitted: omittedFaults(faults) };
  normalizeIdentifiers(contract, value);
  const canonicalFaults = contract.validateCanonical(type, value);
  if (canonicalFaults.length === 0) return { value, faults: [], omitted: 0 };
  const listed: TranslationFault[] = [];
  for (const f of canonicalFaults.slice(0, MAX_PROBLEM_ERRORS)) {
    const pointer = dialect.dialectPointerFor(f.pointer);
    // Beside faults of the dialect schema, one the dialect has no place for is most likely their echo.
    if (pointer === undefined && alreadyRefused) continue;
    listed.push(
      pointer === undefined
        ? { ...f, detail: messageFault('canonicalField', { detail: f.detail, pointer: f.pointer }) }
        : { ...f, pointer },
    );
  }
  return {
    faults: listed,
    omitted: omittedFaults(canonicalFaults) + Math.max(0, canonicalFaults.length - MAX_PROBLEM_ERRORS),
  };
}

/**
 * The faults of `later` not already told by `first`: none at or below a pointer `first` reported
 * (a field of the wrong type cannot also be translated).
 */
function beyond(first: readonly TranslationFault[], later: readonly TranslationFault[]): TranslationFault[] {
  if (first.length === 0) return [...later];
  const told = first.map((f) => f.pointer);
  const covered = (pointer: string) =>
    told.some((t) => t === pointer || t === '/' || pointer.startsWith(`${t}/`));
  return later.filter((f) => !covered(f.pointer));
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
