import { formatTraceparent, nextHop, parseTraceparent } from './traceparent.js';

/** The `traceparent` header for the next hop of a stored trace, or none. */
export function hopHeaders(stored: string | undefined): { traceparent?: string } {
  const context = parseTraceparent(stored);
  return context === undefined ? {} : { traceparent: formatTraceparent(nextHop(context)) };
}

/** `{ traceId }` for a log line, when the message has a trace. */
export function traceIdOf(stored: string | undefined): { traceId?: string } {
  const context = parseTraceparent(stored);
  return context === undefined ? {} : { traceId: context.traceId };
}
