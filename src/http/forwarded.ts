import { isIpLiteral } from '../egress/ip.js';

/**
 * What a TLS-terminating proxy in front of the node says about a request, read only when the
 * configuration sets `trustProxy` (otherwise any client could claim https or another address).
 * The last entry of each header counts: it is the one the proxy next to the node added; earlier
 * entries come from the client or from proxies before it, which nobody vouches for.
 */
function lastEntry(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const entry = header.slice(header.lastIndexOf(',') + 1).trim();
  return entry === '' ? undefined : entry;
}

/** The scheme the client used, from `X-Forwarded-Proto` (`https` or `http`), if the header says. */
export function forwardedProto(header: string | undefined): 'https' | 'http' | undefined {
  const proto = lastEntry(header)?.toLowerCase();
  return proto === 'https' || proto === 'http' ? proto : undefined;
}

/**
 * The client's address from `X-Forwarded-For`: its last entry when that is an IP address (a port
 * after an IPv4 address or a bracketed IPv6 address is dropped), else undefined.
 */
export function forwardedFor(header: string | undefined): string | undefined {
  let entry = lastEntry(header);
  if (entry === undefined || entry.length > 64) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) entry = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(entry)) entry = entry.slice(0, entry.lastIndexOf(':'));
  return isIpLiteral(entry) ? entry : undefined;
}
