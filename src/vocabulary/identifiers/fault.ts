/** Why an identifier is invalid: the rule it broke and, for check characters, the one expected. */
export interface IdentifierFault {
  readonly rule: string;
  /** Why, in each language (简体中文 and English). */
  readonly message: { readonly zh: string; readonly en: string };
  readonly expected?: string;
}

export type IdentifierCheck = (value: string) => IdentifierFault | undefined;
