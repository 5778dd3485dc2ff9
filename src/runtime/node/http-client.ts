import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import type { NodeConfig } from '../../config/types.js';
import { DEFAULT_EGRESS_TIMEOUT_MS, DEFAULT_MAX_RESPONSE_BYTES } from '../../egress/bounded-fetch.js';
import { deadline } from '../../egress/deadline.js';
import { EgressError, toEgressError } from '../../egress/failure.js';
import { classifyAddress } from '../../egress/ip.js';
import {
  type EgressPolicy,
  egressPolicy,
  isTrusted,
  literalHostClass,
  type ResolveHost,
} from '../../egress/policy.js';
import { limitStream, type StreamFetch } from '../../egress/stream-fetch.js';

/** The fetch-shaped client the exchange calls partners and local systems with, on Node.js. */
export interface NodeHttpClient {
  readonly fetch: typeof fetch;
  /** The streaming call for case files (src/egress/stream-fetch.ts), through the same pools and policy. */
  readonly stream: StreamFetch;
  /** Closes the pooled connections (waits for calls in flight). */
  close(): Promise<void>;
}

export interface NodeHttpClientOptions {
  /** Pooled connections per origin (the delivery settings' per-partner limit is a sensible value). */
  readonly connections?: number;
  /** Idle kept-alive connections are closed after this long. */
  readonly keepAliveMs?: number;
  /** A longer answer is refused (the call fails as a network error): partners answer with receipts. */
  readonly maxResponseBytes?: number;
  /** The ceiling on a whole call (connection, headers, body), whatever signal the caller passes. */
  readonly timeoutMs?: number;
  /**
   * Which addresses calls may reach (see `egressPolicy`); absent: any, for callers that only reach
   * their own servers (the demo's local systems, tests).
   */
  readonly policy?: EgressPolicy;
  /** DNS for calls the policy checks (default: the system resolver, every address). */
  readonly resolve?: ResolveHost;
}

/** Statuses whose response has no body (a `Response` refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * The exchange's fetch port on Node.js, over undici's `request` with one connection pool: the same
 * contract as `fetch` for what the exchange uses (method, headers, a string or byte body, `signal`
 * for the per-call timeout; status, headers and body of the answer), at a fraction of `fetch`'s CPU
 * cost per call. Unlike `fetch` it never follows a redirect: a 3xx answer is returned as it is, so a
 * partner's inbox cannot send a sealed message elsewhere. The answer is read whole, up to
 * `maxResponseBytes`, before the call resolves, and `timeoutMs` bounds the whole call.
 *
 * With a `policy`, a call outside the configured origins goes through a second pool whose
 * connections check every address a name resolves to, when they connect (so a name that changes
 * its answer after it was checked is caught too); an IP literal or `localhost` is checked before.
 * Failures are `EgressError`s, whose messages name no address or port and quote no answer.
 */
export function nodeHttpClient(options: NodeHttpClientOptions = {}): NodeHttpClient {
  const pool = {
    connections: options.connections ?? 64,
    keepAliveTimeout: options.keepAliveMs ?? 10_000,
  };
  const agent = new Agent(pool);
  const { policy } = options;
  const guarded =
    policy === undefined
      ? undefined
      : new Agent({ ...pool, connect: { lookup: publicOnlyLookup(options.resolve ?? systemResolve) } });
  const limit = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_EGRESS_TIMEOUT_MS;

  const call = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    if (typeof input !== 'string' && !(input instanceof URL))
      throw new TypeError('the yrdx HTTP client takes a URL, not a Request');
    const method = (init.method ?? 'GET').toUpperCase();
    const body = init.body;
    if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array))
      throw new TypeError('the yrdx HTTP client sends a string or bytes as the body');
    const url = typeof input === 'string' ? input : input.href;
    const checked = guarded !== undefined && policy !== undefined && !isTrusted(policy, url);
    if (checked) {
      const kind = literalHostClass(new URL(url).hostname);
      if (kind !== undefined && kind !== 'public') throw new EgressError('address');
    }
    const ceiling = deadline(timeoutMs, init.signal);
    try {
      const answer = await request(url, {
        method: method as 'GET',
        headers: headerRecord(init.headers),
        ...(body === undefined || body === null ? {} : { body }),
        signal: ceiling.signal,
        dispatcher: checked ? guarded : agent,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of answer.body as AsyncIterable<Buffer>) {
        size += chunk.byteLength;
        if (size > limit) {
          answer.body.destroy();
          throw new EgressError('too-large');
        }
        chunks.push(chunk);
      }
      const status = answer.statusCode;
      const bytes = NULL_BODY.has(status) ? null : Buffer.concat(chunks, size);
      return new BufferedResponse(status, answer.headers, bytes) as unknown as Response;
    } catch (error) {
      throw toEgressError(error);
    } finally {
      ceiling.clear();
    }
  };

  const stream: StreamFetch = async (url, streamRequest) => {
    const checked = guarded !== undefined && policy !== undefined && !isTrusted(policy, url);
    if (checked) {
      const kind = literalHostClass(new URL(url).hostname);
      if (kind !== undefined && kind !== 'public') throw new EgressError('address');
    }
    try {
      const answer = await request(url, {
        method: streamRequest.method ?? 'GET',
        headers: headerRecord(streamRequest.headers),
        ...(streamRequest.body === undefined ? {} : { body: streamRequest.body }),
        ...(streamRequest.signal === undefined ? {} : { signal: streamRequest.signal }),
        headersTimeout: streamRequest.idleTimeoutMs,
        bodyTimeout: streamRequest.idleTimeoutMs,
        dispatcher: checked ? guarded : agent,
      });
      const headers = new Headers();
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
      }
      const declared = Number(headers.get('content-length') ?? 0);
      if (declared > streamRequest.maxBytes) {
        answer.body.destroy();
        throw new EgressError('too-large');
      }
      const web = NULL_BODY.has(answer.statusCode)
        ? null
        : limitStream(
            Readable.toWeb(answer.body) as unknown as ReadableStream<Uint8Array>,
            streamRequest.maxBytes,
            () => undefined,
            () => undefined,
          );
      return {
        status: answer.statusCode,
        headers,
        body: web,
        cancel() {
          answer.body.destroy();
        },
      };
    } catch (error) {
      throw toEgressError(error);
    }
  };

  return {
    fetch: call as typeof fetch,
    stream,
    close: async () => {
      await Promise.all([agent.close(), guarded?.close()]);
    },
  };
}

/**
 * The one client of a node's outbound calls — deliveries to partners, pushes to local systems, JWKS
 * and published documents of partners — with its configuration's address policy, and a ceiling no
 * shorter than the configured delivery timeout.
 */
export function nodeOutboundClient(
  config: NodeConfig,
  options: { readonly connections?: number } = {},
): NodeHttpClient {
  return nodeHttpClient({
    ...options,
    policy: egressPolicy(config),
    timeoutMs: Math.max(DEFAULT_EGRESS_TIMEOUT_MS, config.delivery.timeoutMs),
  });
}

/** Every address of a name, from the system resolver (as a connection would use it). */
export const systemResolve: ResolveHost = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * A `lookup` for sockets that may reach public addresses only: the name's every address must be
 * public, else the connection fails before it is made.
 */
function publicOnlyLookup(resolve: ResolveHost): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0) {
          callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '', 0);
          return;
        }
        if (addresses.some((a) => classifyAddress(a) !== 'public')) {
          callback(new EgressError('address'), '', 0);
          return;
        }
        const family = (a: string) => (a.includes(':') ? 6 : 4);
        const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = addresses.filter((a) => wanted === undefined || family(a) === wanted);
        if (usable.length === 0) {
          callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '', 0);
        } else if (options.all) {
          callback(
            null,
            usable.map((address) => ({ address, family: family(address) })),
          );
        } else {
          callback(null, usable[0]!, family(usable[0]!));
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

const utf8 = new TextDecoder();

/**
 * The answer of a call, already read whole: what the exchange reads of a `Response` (status, ok,
 * headers, the body as text, JSON or bytes) without building a web `Response` and its stream for
 * every call, which costs more CPU than the rest of the call's bookkeeping. The body can be read
 * once, as with `fetch`; `body` (a stream) and `clone()` are there for any other reader.
 */
class BufferedResponse {
  readonly redirected = false;
  readonly type = 'basic';
  readonly url = '';
  readonly statusText = '';
  #headers: Headers | undefined;
  #used = false;

  constructor(
    readonly status: number,
    private readonly raw: Record<string, string | string[] | undefined>,
    private readonly content: Buffer | null,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get headers(): Headers {
    if (this.#headers === undefined) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(this.raw)) {
        if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        else if (value !== undefined) headers.set(name, value);
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  get bodyUsed(): boolean {
    return this.#used;
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.content === null) return null;
    return new Response(this.#take() as Uint8Array<ArrayBuffer>).body;
  }

  async text(): Promise<string> {
    return utf8.decode(this.#take());
  }

  async json(): Promise<unknown> {
    return JSON.parse(utf8.decode(this.#take()));
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(this.#take());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const taken = this.#take();
    return taken.buffer.slice(taken.byteOffset, taken.byteOffset + taken.byteLength) as ArrayBuffer;
  }

  clone(): BufferedResponse {
    if (this.#used) throw new TypeError('the body of this answer has already been read');
    return new BufferedResponse(this.status, this.raw, this.content);
  }

  #take(): Uint8Array {
    if (this.#used) throw new TypeError('the body of this answer has already been read');
    this.#used = true;
    return this.content ?? new Uint8Array(0);
  }
}

/** `RequestInit.headers` in any of its forms as a plain record (names lower-case). */
function headerRecord(init: HeadersInit | undefined): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  if (init === undefined) return out;
  const entries: Iterable<[string, string]> =
    init instanceof Headers
      ? init.entries()
      : Array.isArray(init)
        ? (init as [string, string][])
        : Object.entries(init as Record<string, string>);
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    out[key] = key in out ? `${out[key]}, ${value}` : value;
  }
  return out;
}
