import type { LocalText } from '../errors/text.js';

/** A fault in a contract's files: the file (relative to `base`), the JSON pointer, what is wrong. */
export interface ContractFault {
  readonly file: string;
  readonly pointer: string;
  readonly detail: string;
  /** The bound or rule broken, for faults of `admitContractFiles`: `name`, `depth`, `size`, `pattern`. */
  readonly rule?: string;
}

/** One bad value met while translating, at a pointer of the document being translated. */
export interface TranslationFault {
  readonly pointer: string;
  readonly rule: string;
  readonly detail: LocalText;
  readonly expected?: string;
}

/** One fault of a mapping file itself, at a pointer into the mapping file. */
export interface MappingFault {
  readonly pointer: string;
  readonly detail: string;
}
