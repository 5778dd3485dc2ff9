export type DeliveryStatus = 'queued' | 'sending' | 'retry' | 'delivered' | 'rejected' | 'dead';

export interface ClaimRequest {
  readonly worker: string;
  readonly leaseMs: number;
  readonly limit: number;
  /** Recipients (or local systems) not to claim for now, e.g. whose circuit is open or that are at their concurrency limit. */
  readonly exclude?: readonly string[];
}

export interface LeaseToken {
  readonly id: string;
  readonly leaseToken: string;
}
