/** A domain: any name a contract declares (the node document lists the ones this node carries). */
export const DOMAIN_NAME = {
  type: 'string',
  pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$',
  maxLength: 32,
  examples: ['food-safety', 'road-transport', 'ip-protection', 'pollution'],
} as const;

/** A message type: any name a contract declares (`messageTypes` of /.well-known/yrdx-node). */
export const TYPE_NAME = {
  type: 'string',
  pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$',
  maxLength: 48,
  examples: ['case-transfer', 'case-acceptance', 'assistance-request', 'risk-alert'],
} as const;
