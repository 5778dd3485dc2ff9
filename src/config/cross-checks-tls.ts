import type { Fault } from './cross-checks.js';
import { configFault } from './fault-text.js';
import type { RawNodeConfig } from './schema.js';

/** Headers the node reads for other purposes: a proxy's certificate header must not be one of them. */
const RESERVED_HEADERS = new Set([
  'authorization',
  'content-length',
  'content-type',
  'cookie',
  'host',
  'idempotency-key',
  'traceparent',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-request-id',
]);

/**
 * `clientCertificates` and the `tlsClient` pins of partners and local systems (docs/tlcp.md): usable
 * proxy addresses, a header of its own, and pins that the proxy's header can match — pins without a
 * `clientCertificates` section would refuse every request, so they are refused here first.
 */
export function checkClientCertificates(raw: RawNodeConfig, fault: Fault): void {
  const source = raw.clientCertificates;
  if (source !== undefined) {
    if (RESERVED_HEADERS.has(source.header.toLowerCase()))
      fault('/clientCertificates/header', configFault('certHeaderReserved', { header: source.header }));
    source.trustedProxies.forEach((range, i) => {
      if (!isRange(range))
        fault(`/clientCertificates/trustedProxies/${i}`, configFault('proxyRange', { range }));
    });
  }
  const holders = [
    ...raw.partners.map((p, i) => ({ at: `/partners/${i}/tlsClient`, pins: p.tlsClient })),
    ...(raw.localSystems ?? []).map((l, i) => ({ at: `/localSystems/${i}/tlsClient`, pins: l.tlsClient })),
  ];
  for (const { at, pins } of holders) {
    if (pins === undefined) continue;
    const fingerprints = pins.fingerprints ?? [];
    const subjects = pins.subjects ?? [];
    if (source === undefined) fault(at, configFault('tlsClientWithoutProxy'));
    if (fingerprints.length === 0 && subjects.length === 0) fault(at, configFault('tlsClientEmpty'));
    if (source?.carries === 'certificate' && subjects.length > 0)
      fault(`${at}/subjects`, configFault('tlsClientSubjects'));
    if (source?.carries === 'subject' && fingerprints.length > 0)
      fault(`${at}/fingerprints`, configFault('tlsClientFingerprints'));
  }
}

/**
 * An IPv4 or IPv6 address, optionally with a prefix length. The platform's URL parser judges the
 * address (config/ cannot import egress/ip.ts, which imports config/); http/proxy-addresses.ts then
 * takes the same ranges.
 */
function isRange(text: string): boolean {
  const [address = '', prefix, extra] = text.split('/');
  if (extra !== undefined) return false;
  const v6 = address.includes(':');
  if (!v6 && !/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) return false;
  const max = v6 ? 128 : 32;
  if (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max)) return false;
  try {
    const host = new URL(`http://${v6 ? `[${address}]` : address}/`).hostname;
    return v6 || host === address;
  } catch {
    return false;
  }
}
