/** The hops a message passes, in order. */
export const HOPS = [
  'submitted',
  'sealed',
  'delivered',
  'receipt verified',
  'translated',
  'delivered locally',
  'thread',
] as const;
export type Hop = (typeof HOPS)[number];

/** What happened at one recipient. */
export interface DeliveryFacts {
  readonly to: string;
  /** The SHA-256 of the message bytes that the recipient's signed receipt vouches for. */
  receiptSha256?: string;
  dialect?: string;
  mode?: 'push' | 'pull';
}

/** One message of the demo, with the facts read from the real system at every hop. */
export interface MessageResult {
  readonly step: number;
  readonly from: string;
  readonly to: string[];
  readonly domain: string;
  readonly type: string;
  readonly dialect: string;
  id?: string;
  thread?: string;
  inReplyTo?: string;
  contract?: string;
  alg?: string;
  sha256?: string;
  deliveries: DeliveryFacts[];
  /** `none` for types that open no thread. */
  threadState?: {
    status: 'open' | 'moved' | 'closed' | 'none';
    workflow?: string;
    /** The states the message moved its tracks to. */
    states?: readonly string[];
    dueAt?: string;
    answeredAfterMs?: number;
  };
  readonly passed: Hop[];
  failure?: { hop: Hop; reason: string };
  ms: number;
}

export class HopFailure extends Error {
  constructor(
    readonly hop: Hop,
    message: string,
  ) {
    super(message);
  }
}

const POLL_MS = 20;

/** Polls `check` until it gives a value; fails the hop after `timeoutMs`, saying what it last saw. */
export async function until<T>(
  hop: Hop,
  check: () => Promise<T | undefined> | T | undefined,
  lastSeen: () => string,
  timeoutMs: number,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new HopFailure(hop, `timed out after ${timeoutMs / 1000} s (${lastSeen()})`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
