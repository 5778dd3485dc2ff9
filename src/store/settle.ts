import type { AuditRecord } from './audit-chain.js';
import type { DeliveryOutcome } from './port.js';

/** The columns an outcome writes, as named parameters of the guarded UPDATE. */
export function settleParams(outcome: DeliveryOutcome, now: number): Record<string, unknown> {
  const none = {
    nextAttemptAt: null,
    lastError: null,
    receiptToken: null,
    receiptSha256: null,
    receiptReceivedAt: null,
    rejectionStatus: null,
    rejectionCode: null,
    rejectionDetail: null,
  };
  switch (outcome.kind) {
    case 'delivered':
      return {
        ...none,
        status: 'delivered',
        receiptToken: outcome.receipt.token,
        receiptSha256: outcome.receipt.sha256,
        receiptReceivedAt: now,
      };
    case 'retry':
      return { ...none, status: 'retry', nextAttemptAt: outcome.nextAttemptAt, lastError: outcome.error };
    case 'rejected':
      return {
        ...none,
        status: 'rejected',
        // A receipt that says rejected is kept as evidence, like one that says accepted.
        ...(outcome.receipt === undefined
          ? {}
          : {
              receiptToken: outcome.receipt.token,
              receiptSha256: outcome.receipt.sha256,
              receiptReceivedAt: now,
            }),
        rejectionStatus: outcome.status,
        rejectionCode: outcome.code ?? null,
        rejectionDetail: outcome.detail ?? null,
      };
    case 'dead':
      return { ...none, status: 'dead', lastError: outcome.error };
  }
}

export function rejectionText(outcome: Extract<DeliveryOutcome, { kind: 'rejected' }>): string {
  const code = outcome.code === undefined ? '' : ` ${outcome.code}`;
  const detail = outcome.detail === undefined ? '' : `: ${outcome.detail}`;
  return `${outcome.status}${code}${detail}`;
}

/**
 * What settling a delivery records besides its row, the same in every store: the history events
 * (in order), and — when a verified receipt came with the outcome, whatever its status — the
 * `receipt-in` audit entry's own fields (the store adds time, message, partner, domain and type).
 */
export function settlement(outcome: DeliveryOutcome): {
  readonly events: readonly { readonly event: string; readonly detail: string | null }[];
  readonly receipt?: Pick<AuditRecord, 'sha256' | 'outcome' | 'detail'>;
} {
  switch (outcome.kind) {
    case 'delivered':
      return {
        events: [
          { event: 'receipt-verified', detail: outcome.receipt.sha256 },
          { event: 'delivered', detail: null },
        ],
        receipt: { sha256: outcome.receipt.sha256 },
      };
    case 'rejected': {
      const rejected = { event: 'rejected', detail: rejectionText(outcome) };
      if (outcome.receipt === undefined) return { events: [rejected] };
      return {
        events: [{ event: 'receipt-verified', detail: outcome.receipt.sha256 }, rejected],
        receipt: {
          sha256: outcome.receipt.sha256,
          outcome: 'refused',
          detail: outcome.code === undefined ? 'rejected' : `rejected: ${outcome.code}`,
        },
      };
    }
    case 'retry':
      return { events: [{ event: 'retry', detail: outcome.error }] };
    case 'dead':
      return { events: [{ event: 'dead', detail: outcome.error }] };
  }
}
