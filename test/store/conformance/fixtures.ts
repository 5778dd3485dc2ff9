import type { ReceiveInbound, SubmitOutbound, ThreadChange } from '../../../src/store/port.js';

// What every part of the store conformance suite builds its cases from.

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const LEASE = 30_000;
export const dead = { kind: 'dead', error: 'x' } as const;
export const dummyReceipt = { token: 'receipt.jws', sha256: 'receipt-digest' };

let windowStart = Date.UTC(2040, 0, 1);
/** The start of a fresh window of time, 30 days before the previous one (see the suite's comment). */
export function window(): number {
  windowStart -= 30 * 24 * HOUR;
  return windowStart;
}

export function uid(): string {
  return crypto.randomUUID();
}

export function worker(name: string, limit: number, exclude?: readonly string[]) {
  return { worker: name, leaseMs: LEASE, limit, ...(exclude === undefined ? {} : { exclude }) };
}

export function lease(claim: { id: string; leaseToken: string } | undefined): {
  id: string;
  leaseToken: string;
} {
  if (claim === undefined) throw new Error('expected a claim');
  return { id: claim.id, leaseToken: claim.leaseToken };
}

export function increasing(values: readonly string[]): boolean {
  return values.every((value, i) => i === 0 || (values[i - 1] ?? '') < value);
}

/** A request this node sends to `partners` (one track each, in `requested`, due at `dueAt`). */
export function openThread(
  threadId: string,
  partner: string | readonly string[],
  messageId: string,
  dueAt?: number,
): ThreadChange {
  const partners = typeof partner === 'string' ? [partner] : partner;
  return {
    action: 'open',
    threadId,
    partner: partners[0]!,
    direction: 'outbound',
    type: 'assistance-request',
    domain: 'food-safety',
    messageId,
    workflow: 'assistance',
    facts: '{"values":{},"lists":{}}',
    tracks: partners.map((p) => ({
      partner: p,
      to: 'requested',
      ...(dueAt === undefined ? {} : { dueAt }),
      final: false,
      late: false,
    })),
  };
}

/** A message that moves `partner`'s track of `threadId` from `from` to `to`. */
export function moveThread(
  threadId: string,
  partner: string,
  messageId: string,
  move: {
    from: string;
    to: string;
    final?: boolean;
    dueAt?: number;
    late?: boolean;
    direction?: 'outbound' | 'inbound';
  },
): ThreadChange {
  return {
    action: 'move',
    threadId,
    partner,
    direction: move.direction ?? 'outbound',
    type: 'assistance-reply',
    domain: 'food-safety',
    messageId,
    by: 'recipient',
    tracks: [
      {
        partner,
        from: move.from,
        to: move.to,
        ...(move.dueAt === undefined ? {} : { dueAt: move.dueAt }),
        final: move.final ?? false,
        late: move.late ?? false,
      },
    ],
  };
}

export function outbound(
  now: number,
  recipients: readonly string[],
  extra: Partial<SubmitOutbound> = {},
): SubmitOutbound {
  const messageId = extra.messageId ?? `msg-${uid()}`;
  return {
    messageId,
    localSystem: `case-system-${uid()}`,
    type: 'assistance-request',
    domain: 'food-safety',
    contract: 'food-safety@1.2.0',
    thread: `thread-${uid()}`,
    token: `header.${messageId}.signature`,
    sha256: `sha-${messageId}`,
    expiresAt: now + 24 * HOUR,
    recipients,
    canonical: { caseNumber: '湖市监案〔2026〕12号', note: '请协查' },
    ...extra,
  };
}

export function inbound(
  now: number,
  localDeliveries: ReceiveInbound['localDeliveries'],
  extra: Partial<ReceiveInbound> = {},
): ReceiveInbound {
  const jti = `jti-${uid()}`;
  return {
    iss: '330500',
    jti,
    sha256: `sha-${jti}`,
    token: `header.${jti}.signature`,
    type: 'assistance-request',
    domain: 'food-safety',
    contract: 'food-safety@1.2.0',
    thread: `thread-${uid()}`,
    expiresAt: now + 24 * HOUR,
    canonical: { caseNumber: '湖市监案〔2026〕12号' },
    receipt: { token: `receipt.${jti}`, sha256: `receipt-sha-${jti}` },
    localDeliveries,
    ...extra,
  };
}
