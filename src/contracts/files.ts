/** A contract version as data, however it was read (a folder on Node, a bundle on Workers). */
export interface ContractFiles {
  /** Where the files live, for messages: `contracts/food-safety/1.0.0`. */
  readonly base: string;
  readonly contract: unknown;
  readonly canonical: unknown;
  readonly dialects: Readonly<Record<string, DialectFiles>>;
}

export interface DialectFiles {
  readonly schema: unknown;
  readonly mapping: unknown;
  /** Example bodies by message type. */
  readonly examples: Readonly<Record<string, unknown>>;
}
