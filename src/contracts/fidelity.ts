import type { MessageType } from '../vocabulary/messages.js';
import type { Contract } from './contract.js';
import { toLocalDialect } from './deliver.js';
import { formatPointer } from './pointer.js';
import { CANONICAL, translate } from './translate.js';

/** What one dialect can lose of one message type's canonical documents. */
export interface Fidelity {
  readonly contract: string;
  readonly dialect: string;
  readonly type: MessageType;
  /**
   * Canonical pointer patterns the mapping declares it does not carry towards the dialect (`lossy:
   * toDialect`, dropped): `*` stands for any array item, `n-` for every item from index n on.
   */
  readonly declared: readonly string[];
  /** Canonical pointers lost when every other dialect's example, read as canonical, is written in this one. */
  readonly found: readonly { readonly pointer: string; readonly from: readonly string[] }[];
}

/**
 * Per dialect and message type of a contract, what a local system speaking it can lose: from the
 * mapping's declarations, and by mechanism — every other dialect's example of the type, translated to
 * canonical, is delivered in this dialect as the inbox does (`toLocalDialect`) and its losses kept.
 */
export function fidelity(contract: Contract): Fidelity[] {
  const out: Fidelity[] = [];
  for (const dialect of contract.dialects.values()) {
    const declared = declaredLosses(contract, dialect.name);
    for (const type of dialect.messageTypes) {
      const found = new Map<string, string[]>();
      for (const other of contract.dialects.values()) {
        if (other.name === dialect.name || !other.messageTypes.includes(type)) continue;
        let canonical: Record<string, unknown>;
        try {
          canonical = translate(contract, other.name, CANONICAL, type, other.examples[type]);
        } catch {
          continue; // `yrdx contracts test` reports an example that does not translate.
        }
        for (const pointer of toLocalDialect(contract, dialect.name, type, canonical).losses.pointers)
          found.set(pointer, [...(found.get(pointer) ?? []), other.name]);
      }
      out.push({
        contract: contract.id,
        dialect: dialect.name,
        type,
        declared,
        found: [...found].map(([pointer, from]) => ({ pointer, from })),
      });
    }
  }
  return out;
}

function declaredLosses(contract: Contract, dialectName: string): string[] {
  const patterns = new Set<string>();
  for (const p of contract.dialects.get(dialectName)?.mapping.paths ?? []) {
    if (p.canonical === undefined) continue;
    if (p.keep !== undefined) patterns.add(formatPointer([...p.canonical, `${p.keep}-`]));
    else if (p.lossy === 'toDialect' || p.kind === 'drop') patterns.add(formatPointer(p.canonical));
  }
  return [...patterns].sort();
}
