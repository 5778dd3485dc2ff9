/**
 * One conversion of the mapping language, in both directions. Factories check their option when a
 * mapping is compiled and return a description of what is wrong instead of throwing.
 */
export interface Conversion {
  toCanonical(value: unknown): unknown;
  toDialect(value: unknown): unknown;
  /** For a plain code table: the table itself, so that hot loops can look values up directly. */
  readonly lookup?: {
    readonly toCanonical: ReadonlyMap<unknown, unknown>;
    readonly toDialect: ReadonlyMap<unknown, unknown>;
  };
  /** A `yyyyMMdd` ↔ date conversion, which the field loop runs without a call per value. */
  readonly compactDate?: true;
  /** A date-only form for a canonical `when`: a time of day cannot be written (the rule must say lossy). */
  readonly losesTime?: true;
}

/**
 * A value that cannot be converted; `rule` is a stable name shown to the sender. `message` is the
 * Chinese explanation; `en` its English, where written (otherwise the English names the rule).
 */
export class ConversionFault extends Error {
  readonly rule: string;
  readonly en: string | undefined;
  constructor(rule: string, message: string, en?: string) {
    super(message);
    this.rule = rule;
    this.en = en;
  }
}

/** What a factory may know of the canonical field it converts (from the canonical schema). */
export interface FieldFacts {
  /** JSON Schema type of the canonical value (of its items, for arrays). */
  readonly type?: string;
  /** JSON Schema format of the canonical value: `date` or `date-time` matter to dates. */
  readonly format?: string;
  /** The formats the canonical value may have: `date` and `date-time` for a core 2 `when` (anyOf). */
  readonly formats?: readonly string[];
}

export type ConversionFactory = (option: unknown, facts: FieldFacts) => Conversion | string;

export function describe(value: unknown): string {
  const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
