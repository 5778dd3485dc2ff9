interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept at most unless a limiter says otherwise: about a megabyte of memory. */
export const DEFAULT_MAX_BUCKETS = 10_000;

/**
 * Token buckets in memory, one per key (a credential, a partner, a local system, or a remote address
 * before authentication): `burst` requests at once, refilled at `perMinute`.
 *
 * The map stays bounded whatever the callers do: it is kept in order of last use; each new key first
 * forgets the oldest buckets that are full again (they hold nothing a fresh bucket would not), and at
 * `maxKeys` the least recently used one. Every `take` does a fixed amount of work, so a flood of
 * distinct addresses costs neither memory nor time that grows with its size. A forgotten bucket can
 * only be one nobody used for longer than every other: a busy caller keeps its own.
 */
export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();
  readonly #perMs: number;

  constructor(
    perMinute: number,
    private readonly burst: number,
    private readonly maxKeys = DEFAULT_MAX_BUCKETS,
  ) {
    this.#perMs = perMinute / 60_000;
  }

  /** How many buckets are kept now. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Takes one token; returns 0 when allowed, else the milliseconds until a token is available. */
  take(key: string, now: number): number {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      this.#makeRoom(now);
      bucket = { tokens: this.burst, at: now };
    } else {
      // Moved to the end: the map's order is the order of last use.
      this.#buckets.delete(key);
    }
    const tokens = Math.min(this.burst, bucket.tokens + Math.max(0, now - bucket.at) * this.#perMs);
    const allowed = tokens >= 1;
    this.#buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at: now });
    return allowed ? 0 : Math.ceil((1 - tokens) / this.#perMs);
  }

  #makeRoom(now: number): void {
    let looked = 0;
    for (const [key, b] of this.#buckets) {
      const full = b.tokens + Math.max(0, now - b.at) * this.#perMs >= this.burst;
      if (full || this.#buckets.size >= this.maxKeys) this.#buckets.delete(key);
      else break;
      if (++looked >= 4 && this.#buckets.size < this.maxKeys) break;
    }
  }
}
