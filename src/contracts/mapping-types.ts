import type { TranslationFault } from './faults.js';
import type { Segments } from './pointer.js';

/** A mapping file as written (see docs/contracts.md). Rules are checked when compiled. */
export interface MappingDocument {
  readonly domain: string;
  readonly dialect: string;
  readonly description?: string;
  readonly codeTables?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly rules: readonly unknown[];
}

export type Direction = 'toCanonical' | 'toDialect';

/**
 * Who sent the message being translated, from its envelope (never from its body): the sending
 * node's id (`iss`), the name this node has configured for that partner, and the local system that
 * submitted it at the sender, when the envelope says (`origin`).
 */
export interface ProvenanceContext {
  readonly sender?: string;
  readonly senderName?: string;
  readonly senderSystem?: string;
}

/** What a provenance rule writes: `"sender"`, `"sender-name"` or `"sender-system"`. */
export const PROVENANCE_SOURCES = {
  sender: 'sender',
  'sender-name': 'senderName',
  'sender-system': 'senderSystem',
} as const satisfies Record<string, keyof ProvenanceContext>;

/** A compiled provenance rule: the dialect pointer and the member of the context it takes. */
export interface ProvenanceWrite {
  readonly set: (dst: Record<string, unknown>, value: string) => void;
  readonly from: keyof ProvenanceContext;
}

/**
 * What one rule reads and writes, with `*` for array items, for the load checks and for turning a
 * canonical pointer into the sender's dialect pointer.
 */
export interface RulePath {
  readonly kind: 'field' | 'constant' | 'provenance' | 'drop' | 'array' | 'switch';
  readonly canonical?: Segments;
  readonly dialect?: Segments;
  readonly lossy?: Direction;
  /** The code table a field or discriminator uses, and whether it is applied to each element of a join. */
  readonly codes?: string;
  readonly joined?: boolean;
  /**
   * A date or money field: the dialect may write one value several ways (`2025年10月09日` and
   * `2025年10月9日`, `5.01250` and `5.0125` 万元); a round trip writes one of them.
   */
  readonly spellings?: true;
  /** For a dropped array: the number of leading items that are carried (the rest are dropped). */
  readonly keep?: number;
  /** The side a default fills in when the other side has no value. */
  readonly defaults?: readonly ('canonical' | 'dialect')[];
  /** Pointer into the mapping file, for reporting. */
  readonly at: string;
}

/**
 * A compiled rule, one function per direction. `gathered` holds the top-level values of `src` that
 * field rules read (see `CompiledMapping.gather`) when `src` is the document itself, else undefined.
 */
export interface CompiledRule {
  toCanonical(
    src: unknown,
    dst: Record<string, unknown>,
    faults: TranslationFault[],
    at: string,
    gathered?: readonly unknown[],
  ): void;
  toDialect(
    src: unknown,
    dst: Record<string, unknown>,
    faults: TranslationFault[],
    at: string,
    gathered?: readonly unknown[],
  ): void;
}

/**
 * A field rule: its work as data, one step per direction. Runs of field rules become one plan each
 * (see compile/plan.ts), executed by `runSteps` or by the plan's ahead-of-time code.
 */
export interface FieldRule {
  readonly steps: { readonly toCanonical: FieldStep; readonly toDialect: FieldStep };
}

/** One field copy in one direction, as data (see `runSteps`). */
export interface FieldStep {
  readonly read: readonly (string | number)[];
  readonly write: readonly (string | number)[];
  /** Whether the container created below each written segment is an array. */
  readonly arrays: readonly boolean[];
  readonly convert?: (value: unknown) => unknown;
  /** When the conversion is a plain code table: the table, looked up without a call. */
  readonly lookup?: ReadonlyMap<unknown, unknown>;
  /** Reading a `yyyyMMdd` date towards canonical (see `compactToIsoDate`). */
  readonly compactDate?: boolean;
  /** Written, unconverted, when the source has no value. */
  readonly fallback?: unknown;
  /**
   * Some name read or written is one `Object.prototype` also has (`toString`, …): the value is read
   * from own members only, and the plan stays in the engine (no ahead-of-time code is built for it).
   */
  readonly own?: boolean;
  readonly sourceText: string;
}
