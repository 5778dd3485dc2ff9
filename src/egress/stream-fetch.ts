import { EgressError, toEgressError } from './failure.js';
import { type EgressPolicy, isTrusted, literalHostClass } from './policy.js';

/**
 * The bounded client's streaming call, for case files: the answer's body is not read into memory but
 * handed on as a stream that fails past `maxBytes` and when no byte came for `idleTimeoutMs` (a large
 * file may take long, a stalled one may not). Same rules as `boundedFetch` otherwise: redirects
 * returned as they are, the egress policy applied, failures as `EgressError`.
 */
export interface StreamRequest {
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
  /** The body may not be longer than this. */
  readonly maxBytes: number;
  /** The call fails when no byte (nor the headers) came for this long. */
  readonly idleTimeoutMs: number;
}

export interface StreamResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The body, bounded; null for a status without one. Read it or `cancel()`. */
  readonly body: ReadableStream<Uint8Array> | null;
  cancel(): void;
}

export type StreamFetch = (url: string, request: StreamRequest) => Promise<StreamResponse>;

/** The streaming call over a runtime's `fetch` (Workers; Node has its own over undici). */
export function boundedStreamFetch(
  fetcher: typeof fetch,
  options: { readonly policy?: EgressPolicy } = {},
): StreamFetch {
  return async (url, request) => {
    const parsed = new URL(url);
    if (options.policy !== undefined && !isTrusted(options.policy, parsed)) {
      const kind = literalHostClass(parsed.hostname);
      if (kind !== undefined && kind !== 'public') throw new EgressError('address');
    }
    const controller = new AbortController();
    const follow = () => controller.abort(request.signal?.reason);
    if (request.signal?.aborted) follow();
    request.signal?.addEventListener('abort', follow, { once: true });
    let timer = setTimeout(
      () => controller.abort(new DOMException('stalled', 'TimeoutError')),
      request.idleTimeoutMs,
    );
    const rearm = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => controller.abort(new DOMException('stalled', 'TimeoutError')),
        request.idleTimeoutMs,
      );
    };
    const done = () => {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', follow);
    };
    try {
      const response = await fetcher(url, {
        method: request.method ?? 'GET',
        ...(request.headers === undefined ? {} : { headers: { ...request.headers } }),
        ...(request.body === undefined ? {} : { body: request.body }),
        redirect: 'manual',
        signal: controller.signal,
      });
      rearm();
      const declared = Number(response.headers.get('content-length') ?? 0);
      if (declared > request.maxBytes) {
        response.body?.cancel().catch(() => undefined);
        done();
        throw new EgressError('too-large');
      }
      const body = response.body === null ? null : limitStream(response.body, request.maxBytes, rearm, done);
      if (body === null) done();
      return {
        status: response.status,
        headers: response.headers,
        body,
        cancel() {
          done();
          controller.abort();
          body?.cancel().catch(() => undefined);
        },
      };
    } catch (error) {
      done();
      throw toEgressError(error);
    }
  };
}

/** A stream that fails past `maxBytes`, calls `seen` for every chunk and `finished` once at the end. */
export function limitStream(
  source: ReadableStream<Uint8Array>,
  maxBytes: number,
  seen: () => void,
  finished: () => void,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let size = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            finished();
            controller.close();
            return;
          }
          size += value.byteLength;
          if (size > maxBytes) {
            finished();
            reader.cancel().catch(() => undefined);
            controller.error(new EgressError('too-large'));
            return;
          }
          seen();
          controller.enqueue(value);
        } catch (error) {
          finished();
          controller.error(toEgressError(error));
        }
      },
      cancel(reason) {
        finished();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
