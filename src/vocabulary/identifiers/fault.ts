/** Why an identifier is invalid: the rule it broke and, for check characters, the one expected. */
export interface IdentifierFault {
  readonly rule: string;
  readonly message: string;
  readonly expected?: string;
}

export type IdentifierCheck = (value: string) => IdentifierFault | undefined;
