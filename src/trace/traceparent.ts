import { randomHex } from '../platform/random.js';

/**
 * W3C Trace Context `traceparent` (version 00): `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`.
 * A trace id or parent id of all zeros is invalid. yrdx accepts one from a local system, keeps the
 * trace id with the message, and sends a fresh parent id on every hop (to the partner's inbox, and
 * from there to the partner's local system), so one trace id follows a message across nodes.
 */
export interface TraceContext {
  readonly traceId: string;
  readonly parentId: string;
  readonly flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * Reads a `traceparent` header; `undefined` when absent or invalid (the caller then starts a new
 * trace, as the specification asks). Versions above 00 are read by their 00 prefix; `ff` is invalid.
 */
export function parseTraceparent(header: string | null | undefined): TraceContext | undefined {
  if (header === undefined || header === null) return undefined;
  const m = TRACEPARENT.exec(header.trim());
  if (m === null) return undefined;
  const [, version, traceId, parentId, flags, rest] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === 'ff') return undefined;
  // Version 00 has exactly four fields; a later version may append more after a dash.
  if (version === '00' && rest !== undefined) return undefined;
  if (/^0+$/.test(traceId) || /^0+$/.test(parentId)) return undefined;
  return { traceId, parentId, flags };
}

export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.parentId}-${context.flags}`;
}

/** The context for the next hop: same trace id and flags, a new parent id. */
export function nextHop(context: TraceContext): TraceContext {
  return { traceId: context.traceId, parentId: randomHex(8), flags: context.flags };
}

/** A new trace (not sampled), for a message whose sender sent no valid `traceparent`. */
export function newTrace(): TraceContext {
  return { traceId: randomHex(16), parentId: randomHex(8), flags: '00' };
}

/** Continues the given header's trace with a new parent id, or starts a new trace. */
export function continueTrace(header: string | null | undefined): TraceContext {
  const given = parseTraceparent(header);
  return given === undefined ? newTrace() : nextHop(given);
}
