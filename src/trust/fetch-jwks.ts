import { readLimited } from '../egress/bounded-fetch.js';
import { EgressError } from '../egress/failure.js';
import type { LocalText } from '../errors/text.js';
import { keyReason } from '../keys/text.js';

// A partner's JWKS URL, fetched with bounds (moved out of partner-registry.ts unchanged).

const MAX_JWKS_BYTES = 64 * 1024;

/** Drops an answer's body unread (not awaited: some streams settle a cancel only when read). */
function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

/** Why a fetched JWKS was not taken, in words that quote nothing of the answer. */
/** A JWKS URL's answer that is not a usable JWKS; its reason names nothing of the answer's content. */
export class JwksFault extends Error {
  readonly reason: LocalText;

  constructor(reason: LocalText) {
    super(reason.en);
    this.name = 'JwksFault';
    this.reason = reason;
  }
}

/**
 * The keys of a partner's JWKS URL. Whatever `fetcher` is, no redirect is followed (a 3xx is
 * refused), the body is read as a stream up to 64 KiB, and `timeoutMs` bounds the call.
 */
export async function fetchJwks(
  fetcher: typeof fetch,
  url: string,
  timeoutMs: number,
): Promise<Record<string, unknown>[]> {
  const response = await fetcher(url, {
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'manual',
    headers: { accept: 'application/json' },
  });
  if (response.status >= 300 && response.status < 400) {
    discard(response);
    throw new EgressError('redirect');
  }
  if (!response.ok) {
    discard(response);
    throw new JwksFault(keyReason('jwksStatus', { status: response.status }));
  }
  const text = new TextDecoder().decode(await readLimited(response, MAX_JWKS_BYTES));
  let body: { keys?: unknown };
  try {
    body = JSON.parse(text) as { keys?: unknown };
  } catch {
    throw new JwksFault(keyReason('jwksNotJson'));
  }
  if (typeof body !== 'object' || body === null || !Array.isArray(body.keys))
    throw new JwksFault(keyReason('jwksNotJwks'));
  return body.keys.filter((k): k is Record<string, unknown> => typeof k === 'object' && k !== null);
}
