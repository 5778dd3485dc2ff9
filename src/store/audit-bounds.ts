import type { AuditRecord } from './audit-chain.js';

/** Marks text cut to its bound. */
const CUT = '…';

/**
 * The longest each text field of an audit entry may be, in UTF-16 code units. Every value that
 * reaches the chain is cut to its bound, so no caller — and no request path or partner answer —
 * can make one entry large. `partner` holds a fan-out's recipients joined by commas (41 cities fit).
 */
export const AUDIT_FIELD_LIMITS = {
  messageId: 128,
  partner: 512,
  domain: 64,
  type: 64,
  sha256: 128,
  actor: 128,
  role: 16,
  action: 256,
  outcome: 16,
  detail: 1024,
} as const satisfies Partial<Record<keyof AuditRecord, number>>;

/** `text`, or its start with `…` when it is longer than `max` (never splitting a surrogate pair). */
export function boundText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - CUT.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}${CUT}`;
}

/** The record with every text field cut to its bound (the record itself when nothing is too long). */
export function boundRecord<R extends AuditRecord>(record: R): R {
  let bounded: R | undefined;
  for (const [field, max] of Object.entries(AUDIT_FIELD_LIMITS) as [
    keyof typeof AUDIT_FIELD_LIMITS,
    number,
  ][]) {
    const value = record[field];
    if (typeof value === 'string' && value.length > max) {
      bounded ??= { ...record };
      (bounded as Record<string, unknown>)[field] = boundText(value, max);
    }
  }
  return bounded ?? record;
}
