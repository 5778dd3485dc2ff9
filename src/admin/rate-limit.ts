/**
 * Token buckets in memory, one per key (a credential, or a remote address before authentication):
 * `burst` requests at once, refilled at `perMinute`. Buckets that are full again are forgotten, so
 * the map stays as small as the set of recent callers.
 */
export class TokenBuckets {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #perMs: number;

  constructor(
    perMinute: number,
    private readonly burst: number,
  ) {
    this.#perMs = perMinute / 60_000;
  }

  /** Takes one token; returns 0 when allowed, else the milliseconds until a token is available. */
  take(key: string, now: number): number {
    this.#sweep(now);
    const bucket = this.#buckets.get(key) ?? { tokens: this.burst, at: now };
    const tokens = Math.min(this.burst, bucket.tokens + Math.max(0, now - bucket.at) * this.#perMs);
    if (tokens < 1) {
      this.#buckets.set(key, { tokens, at: now });
      return Math.ceil((1 - tokens) / this.#perMs);
    }
    this.#buckets.set(key, { tokens: tokens - 1, at: now });
    return 0;
  }

  #sweep(now: number): void {
    if (this.#buckets.size < 1024) return;
    for (const [key, b] of this.#buckets) {
      if (b.tokens + (now - b.at) * this.#perMs >= this.burst) this.#buckets.delete(key);
    }
  }
}
