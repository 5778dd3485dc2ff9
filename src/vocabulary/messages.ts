/**
 * A message type or a domain is a name a contract declares (contract.json `messageTypes`, the
 * contract's `domain`): adding a domain or a workflow's types is a contract change, not a code
 * change. The code knows only the form of the names; whether one is carried is the registry's to say.
 */
export type MessageType = string;
export type Domain = string;

/** The types of the Delta's first contracts (see DESIGN.md, "Message types"), kept for examples and the demo. */
export const MESSAGE_TYPES = [
  'clue-transfer',
  'case-transfer',
  'assistance-request',
  'assistance-reply',
  'consultation',
  'consultation-reply',
  'notification',
  'risk-alert',
  'result-recognition',
  'credit-record',
] as const;

/** The domains of the Delta's first contracts, kept for the demo; a node serves whatever contracts it loads. */
export const DOMAINS = ['food-safety', 'road-transport', 'ip-protection', 'pollution'] as const;

/** `"*"` in a list of domains or types: every one the node's contracts carry. */
export const ANY = '*';

const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** A message type's form: kebab-case, 1–48 characters (`case-acceptance`). */
export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && value.length <= 48 && NAME.test(value);
}

/** A domain's form: kebab-case, 1–32 characters (`food-safety`). */
export function isDomain(value: unknown): value is Domain {
  return typeof value === 'string' && value.length <= 32 && NAME.test(value);
}

/** Whether a configured list (which may hold `"*"`) includes `value`. */
export function inScope(list: readonly string[], value: string): boolean {
  return list.includes(ANY) || list.includes(value);
}

/** The four provincial dialect families: Shanghai, Jiangsu, Zhejiang, Anhui. */
export const PROVINCES = ['sh', 'js', 'zj', 'ah'] as const;
export type Province = (typeof PROVINCES)[number];

/** GB/T 2260 province prefix → dialect family. */
export const PROVINCE_BY_PREFIX: Readonly<Record<string, Province>> = {
  '31': 'sh',
  '32': 'js',
  '33': 'zj',
  '34': 'ah',
};
