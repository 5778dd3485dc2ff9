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
