/**
 * Exponential backoff with jitter: the delay doubles per attempt up to a ceiling, and a random half
 * of it is added so that many messages for one partner do not retry in lock-step.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** `Retry-After` in milliseconds from now (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** A circuit per partner: after `failures` consecutive failures it opens for `openMs`, then lets one try through. */
export class Circuits {
  readonly #state = new Map<string, { failures: number; openUntil: number }>();
  constructor(
    private readonly failures: number,
    private readonly openMs: number,
  ) {}

  isOpen(partner: string, now: number): boolean {
    const s = this.#state.get(partner);
    return s !== undefined && s.openUntil > now;
  }

  success(partner: string): void {
    this.#state.delete(partner);
  }

  failure(partner: string, now: number): void {
    const s = this.#state.get(partner) ?? { failures: 0, openUntil: 0 };
    s.failures++;
    if (s.failures >= this.failures) s.openUntil = now + this.openMs;
    this.#state.set(partner, s);
  }

  /** For health reports: partners whose circuit is open now. */
  open(now: number): string[] {
    return [...this.#state].filter(([, s]) => s.openUntil > now).map(([p]) => p);
  }
}
