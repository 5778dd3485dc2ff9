import { deadline } from './deadline.js';
import { EgressError, toEgressError } from './failure.js';
import { type EgressPolicy, isTrusted, literalHostClass } from './policy.js';

export interface BoundedFetchOptions {
  /** Which addresses may be called; absent: any (callers that only reach their own servers). */
  readonly policy?: EgressPolicy;
  /** A longer answer fails the call (default 1 MiB: partners answer with receipts and JWKS). */
  readonly maxResponseBytes?: number;
  /** The ceiling on a whole call, whatever signal the caller passes (default 30 s). */
  readonly timeoutMs?: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
export const DEFAULT_EGRESS_TIMEOUT_MS = 30_000;

/** Statuses whose response has no body (a `Response` refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * The bounded client over a runtime's `fetch` (Workers; the Node runtime has its own over undici):
 * a redirect is returned as it is (`redirect: 'manual'`), so that no call lands where its URL does
 * not say; the answer is read as a stream and the call fails past `maxResponseBytes`; one timeout
 * covers the whole call; a host outside the configured origins must be public (an IP literal or
 * `localhost` is judged by its text: a Worker cannot resolve names, and cannot reach private
 * networks by name). Failures are `EgressError`s, whose messages name no address nor quote the answer.
 */
export function boundedFetch(fetcher: typeof fetch, options: BoundedFetchOptions = {}): typeof fetch {
  const limit = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_EGRESS_TIMEOUT_MS;
  const call = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (options.policy !== undefined && !isTrusted(options.policy, url)) {
      const kind = literalHostClass(url.hostname);
      if (kind !== undefined && kind !== 'public') throw new EgressError('address');
    }
    const ceiling = deadline(timeoutMs, init.signal);
    try {
      const response = await fetcher(input, { ...init, redirect: 'manual', signal: ceiling.signal });
      const body = await readLimited(response, limit);
      return new Response(NULL_BODY.has(response.status) ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } catch (error) {
      throw toEgressError(error);
    } finally {
      ceiling.clear();
    }
  };
  return call as typeof fetch;
}

/**
 * The body of an answer, read as a stream and refused as soon as it passes `limit` bytes (the rest
 * is cancelled, not awaited: some streams settle a cancel only when read).
 */
export async function readLimited(response: Response, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > limit) {
    response.body?.cancel().catch(() => undefined);
    throw new EgressError('too-large');
  }
  const out = new Uint8Array(Math.min(Math.max(declared, 0), limit));
  const body = response.body; // read once: a getter may hand the body over only once
  if (body === null) return out.subarray(0, 0);
  const reader = body.getReader();
  let buffer = out;
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > limit) {
      reader.cancel().catch(() => undefined);
      throw new EgressError('too-large');
    }
    if (size + value.byteLength > buffer.byteLength) {
      const grown = new Uint8Array(Math.min(limit, Math.max(buffer.byteLength * 2, size + value.byteLength)));
      grown.set(buffer.subarray(0, size));
      buffer = grown;
    }
    buffer.set(value, size);
    size += value.byteLength;
  }
  return buffer.subarray(0, size);
}
