import type { NodeConfig } from '../config/types.js';
import { YrdxError } from '../errors/errors.js';
import { requestFault } from '../errors/request-text.js';
import { type AddressClass, classifyAddress } from './ip.js';

/**
 * Which addresses outbound calls may reach. URLs written in the configuration file (partners'
 * `baseUrl` and `jwksUrl`, local systems' push URLs) are trusted as the operator wrote them — the
 * test federation and the demo run partners on 127.0.0.1 that way. A URL set at run time (admin API,
 * console) to any other origin must reach a public address, unless `outbound.allowPrivateNetworks`.
 */
export interface EgressPolicy {
  readonly allowPrivateNetworks: boolean;
  /** `scheme://host:port` of every URL in the configuration. */
  readonly trustedOrigins: ReadonlySet<string>;
}

/** Every address of a host name (DNS); runtimes that cannot resolve pass none. */
export type ResolveHost = (host: string) => Promise<readonly string[]>;

/** The policy of a node's configuration. */
export function egressPolicy(config: NodeConfig): EgressPolicy {
  const urls = [
    ...config.partners.flatMap((p) => [p.baseUrl, ...(p.keys.jwksUrl === undefined ? [] : [p.keys.jwksUrl])]),
    ...config.localSystems.flatMap((s) => (s.delivery.mode === 'push' ? [s.delivery.url] : [])),
  ];
  const trustedOrigins = new Set<string>();
  for (const url of urls) {
    const origin = originOf(url);
    if (origin !== undefined) trustedOrigins.add(origin);
  }
  return { allowPrivateNetworks: config.outbound.allowPrivateNetworks, trustedOrigins };
}

/** Whether calls to `url` need no address check (configured origin, or private networks allowed). */
export function isTrusted(policy: EgressPolicy, url: URL | string): boolean {
  if (policy.allowPrivateNetworks) return true;
  const origin = typeof url === 'string' ? originOf(url) : url.origin;
  return origin !== undefined && policy.trustedOrigins.has(origin);
}

/**
 * The class of a host as written in a URL, without DNS: an IP literal's class, `loopback` for
 * `localhost` and its subdomains (RFC 6761), undefined for any other name.
 */
export function literalHostClass(hostname: string): AddressClass | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  return classifyAddress(host);
}

/**
 * Checks a URL set at run time against the policy: a trusted URL passes; otherwise its host must be
 * public — an IP literal by its class; a name, when `resolve` is given, by every address it resolves
 * to now (a name that does not resolve passes: the bounded client checks again when it connects).
 * The refusal names the host as typed, never the address it resolved to.
 */
export async function checkEgressUrl(
  text: string,
  policy: EgressPolicy,
  options: { readonly pointer: string; readonly resolve?: ResolveHost },
): Promise<void> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return; // not a URL: the configuration's own checks report it
  }
  if (isTrusted(policy, url)) return;
  const host = url.hostname;
  const literal = literalHostClass(host);
  let refused = literal !== undefined && literal !== 'public';
  if (literal === undefined && options.resolve !== undefined) {
    const addresses = await resolveWithin(options.resolve, host, RESOLVE_TIMEOUT_MS);
    refused = addresses.some((a) => classifyAddress(a) !== 'public');
  }
  if (refused) {
    throw new YrdxError('outbound_address_refused', {
      params: { host: host.slice(0, 255) },
      errors: [{ pointer: options.pointer, detail: requestFault('publicHost') }],
    });
  }
}

/** How long a check waits for DNS before it lets the name pass (the connection checks again). */
const RESOLVE_TIMEOUT_MS = 5000;

async function resolveWithin(resolve: ResolveHost, host: string, ms: number): Promise<readonly string[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<readonly string[]>((done) => {
    timer = setTimeout(() => done([]), ms);
  });
  try {
    return await Promise.race([resolve(host).catch(() => [] as readonly string[]), late]);
  } finally {
    clearTimeout(timer);
  }
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
