import { thumbprint } from '../keys/jwk.js';
import type { Partner } from '../trust/partner-registry.js';

/** Largest published document read from a partner. */
const MAX_PUBLISHED_BYTES = 64 * 1024;
const PUBLISHED_TIMEOUT_MS = 5000;

/** A partner's node document and published keys, each key compared with the keys pinned here. */
export interface Published {
  readonly id: string;
  readonly name: string;
  readonly domains: readonly string[];
  readonly contracts: readonly string[];
  /** The profile the partner publishes (`cryptoProfile.name`), when it publishes one. */
  readonly cryptoProfile?: string;
  /** The signature algorithms it accepts. */
  readonly algorithms: readonly string[];
  readonly keys: readonly { kid: string; alg: string; thumbprint?: string; pinned: boolean }[];
}

async function fetchJson(fetcher: typeof fetch, url: string): Promise<Record<string, unknown>> {
  const response = await fetcher(url, {
    signal: AbortSignal.timeout(PUBLISHED_TIMEOUT_MS),
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}`);
  const tooLarge = `${url}: larger than ${MAX_PUBLISHED_BYTES} bytes`;
  if (Number(response.headers.get('content-length') ?? 0) > MAX_PUBLISHED_BYTES) throw new Error(tooLarge);
  const text = await response.text();
  if (new TextEncoder().encode(text).length > MAX_PUBLISHED_BYTES) throw new Error(tooLarge);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${url}: not JSON`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new Error(`${url}: not a JSON object`);
  return body as Record<string, unknown>;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];

/**
 * Fetches `{baseUrl}/.well-known/yrdx-node` and `{baseUrl}/.well-known/jwks.json` of a partner and
 * marks each published key pinned when its RFC 7638 thumbprint is one of the partner's pinned keys.
 */
export async function fetchPublished(fetcher: typeof fetch, partner: Partner): Promise<Published> {
  const base = partner.baseUrl.replace(/\/+$/, '');
  const [node, jwks] = await Promise.all([
    fetchJson(fetcher, `${base}/.well-known/yrdx-node`),
    fetchJson(fetcher, `${base}/.well-known/jwks.json`),
  ]);
  if (!Array.isArray(jwks.keys)) throw new Error(`${base}/.well-known/jwks.json: not a JWKS`);
  const pinned = new Set([...partner.keys.values()].map((k) => k.thumbprint));
  const keys = [];
  for (const jwk of jwks.keys as unknown[]) {
    if (typeof jwk !== 'object' || jwk === null) continue;
    const key = jwk as Record<string, unknown>;
    let print: string | undefined;
    try {
      print = await thumbprint(key);
    } catch {
      print = undefined;
    }
    keys.push({
      kid: typeof key.kid === 'string' ? key.kid : '',
      alg: typeof key.alg === 'string' ? key.alg : '',
      ...(print === undefined ? {} : { thumbprint: print }),
      pinned: print !== undefined && pinned.has(print),
    });
  }
  return {
    id: typeof node.id === 'string' ? node.id : '',
    name: typeof node.name === 'string' ? node.name : '',
    domains: strings(node.domains),
    contracts: strings(node.contracts),
    ...profileOf(node.cryptoProfile),
    algorithms: strings(node.algorithms),
    keys,
  };
}

/** `cryptoProfile.name` of a node document, when it is a string. */
function profileOf(value: unknown): { cryptoProfile?: string } {
  const name = typeof value === 'object' && value !== null ? (value as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? { cryptoProfile: name.slice(0, 40) } : {};
}
