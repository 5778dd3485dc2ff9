import type { MessageType } from '../vocabulary/messages.js';
import type { Contract } from './contract.js';
import { normalizeIdentifiers } from './identifier-forms.js';
import { differences, type LossReport, withPointers } from './loss.js';
import type { ProvenanceContext } from './mapping-types.js';
import { dialectOf } from './translate.js';

/** A canonical document written for a local system, with what its dialect could not carry. */
export interface LocalDocument {
  readonly body: Record<string, unknown>;
  readonly losses: LossReport;
  /** False when the body does not meet the dialect's own schema (e.g. a required field was lost). */
  readonly dialectValid: boolean;
}

/**
 * Canonical → a local system's dialect, for delivery: never refuses. A value the dialect cannot
 * express (a conversion fault, e.g. a code its table lacks) is left out of the body; then the body
 * is read back to canonical, and every pointer where that differs from the document received is a
 * loss — exactly what the local system cannot see, found by running the mapping, not from its
 * declarations. The canonical document must already be valid (the inbox validated it).
 */
export function toLocalDialect(
  contract: Contract,
  dialectName: string,
  type: MessageType,
  canonical: Record<string, unknown>,
  /** The envelope's sender, for the mapping's provenance rules (see `ProvenanceContext`). */
  provenance?: ProvenanceContext,
): LocalDocument {
  const dialect = dialectOf(contract, dialectName, type);
  const { value, faults } = dialect.toDialect(canonical, provenance);
  const back = dialect.toCanonical(value).value;
  normalizeIdentifiers(contract, back);
  // Compared in normal form on both sides: an `x` written as `X` is not a loss.
  const received = structuredClone(canonical);
  normalizeIdentifiers(contract, received);
  const losses = withPointers(
    differences(received, back),
    faults.map((f) => f.pointer),
  );
  return { body: value, losses, dialectValid: dialect.validate(value).length === 0 };
}
