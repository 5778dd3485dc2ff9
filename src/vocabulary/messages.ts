/** The cooperation message types of the Delta's arrangements (see DESIGN.md, "Message types"). */
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
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** The supervision domains that have a YRD common model. */
export const DOMAINS = ['food-safety', 'road-transport', 'ip-protection', 'pollution'] as const;
export type Domain = (typeof DOMAINS)[number];

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

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && (MESSAGE_TYPES as readonly string[]).includes(value);
}

export function isDomain(value: unknown): value is Domain {
  return typeof value === 'string' && (DOMAINS as readonly string[]).includes(value);
}
