/**
 * Replay protection keyed on (iss, jti), never on the token string: a re-signed copy of a message is
 * still the same message. Stores implement `remember` atomically.
 */
export interface ReplayRecord {
  readonly iss: string;
  readonly jti: string;
  /** SHA-256 of the exact bytes first seen under this (iss, jti). */
  readonly sha256: string;
  /** Unix seconds after which the record may be forgotten (the message can no longer open). */
  readonly expiresAt: number;
}

/** `first`: never seen; `duplicate`: seen with the same bytes; `conflict`: seen with other bytes. */
export type ReplayVerdict = 'first' | 'duplicate' | 'conflict';

export interface ReplayGuard {
  remember(record: ReplayRecord): Promise<ReplayVerdict>;
}

/** An in-process replay guard, for tools and tests; the exchange keeps its records in the store. */
export class MemoryReplayGuard implements ReplayGuard {
  readonly #seen = new Map<string, ReplayRecord>();
  readonly #now: () => number;
  #sweptAt = 0;

  constructor(now: () => number) {
    this.#now = now;
  }

  async remember(record: ReplayRecord): Promise<ReplayVerdict> {
    this.#sweep();
    const key = `${record.iss}\u0000${record.jti}`;
    const seen = this.#seen.get(key);
    if (seen === undefined) {
      this.#seen.set(key, record);
      return 'first';
    }
    return seen.sha256 === record.sha256 ? 'duplicate' : 'conflict';
  }

  get size(): number {
    return this.#seen.size;
  }

  /** Forgets expired records, at most once a minute so that `remember` stays O(1). */
  #sweep(): void {
    const now = Math.floor(this.#now() / 1000);
    if (now - this.#sweptAt < 60) return;
    this.#sweptAt = now;
    for (const [key, record] of this.#seen) if (record.expiresAt < now) this.#seen.delete(key);
  }
}
