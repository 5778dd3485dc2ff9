/**
 * The bounds every contract version is held to, however it arrives (uploaded through the admin API
 * or the console, read from a contracts folder, restored from the data directory at boot). They are
 * checked before anything recurses into the files or compiles a pattern (docs/contracts.md,
 * "Limits"); the shipped contracts stay far below them (depth 11, 64 KiB per file, patterns of at
 * most ~230 characters).
 */
export const CONTRACT_LIMITS = {
  /** Nesting of objects and arrays in one file. */
  maxDepth: 32,
  /** One file, as JSON text (bytes on disk; UTF-16 code units of an uploaded document). */
  maxFileBytes: 1024 * 1024,
  /** Every file of one version together (the admin API's upload limit is the same). */
  maxVersionBytes: 8 * 1024 * 1024,
  /** Dialects in one version. */
  maxDialects: 32,
  /** One regular expression (`pattern`, a `patternProperties` name), in UTF-16 code units. */
  maxPatternLength: 1024,
  /**
   * The size of the program a pattern compiles to, counted as the matcher does: a repeated piece
   * counts as many times as it may repeat (`\p{L}{1000}` is 1000). Past ~700 the linear-time engine
   * leaves its fast path (measured: 100,000 characters checked in ~30 ms at 500, 4.4 s at 1000).
   */
  maxPatternCost: 500,
} as const;
