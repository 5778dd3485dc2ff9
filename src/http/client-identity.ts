import { sha256Hex, sm3Digest } from '../envelope/digest.js';
import { addressMatcher } from './proxy-addresses.js';

/**
 * The client certificate that a TLS (or TLCP) terminating proxy verified, as the node learns it from
 * a request header the proxy sets — believed only when the request's TCP peer is one of the trusted
 * proxy addresses; from anyone else the header is ignored, whatever it says (docs/tlcp.md).
 *
 * `certificate`: the header carries the certificate itself, URL-encoded PEM (nginx
 * `$ssl_client_escaped_cert`) or base64 DER (HAProxy `%[ssl_c_der,base64]`); the node computes its
 * SHA-256 and SM3 fingerprints. `subject`: the header carries the subject DN as the proxy prints it
 * (nginx `$ssl_client_s_dn`, RFC 4514).
 */
export interface ClientCertificateSource {
  /** The request header, lower-case. */
  readonly header: string;
  readonly carries: 'certificate' | 'subject';
  /** Addresses and CIDR ranges of the proxies allowed to set the header. */
  readonly trustedProxies: readonly string[];
}

/** The certificate identities accepted from one partner or local system. */
export interface TlsClientPins {
  /** `sha256:<hex>` or `sm3:<hex>` of the certificate's DER bytes. */
  readonly fingerprints: readonly string[];
  /** Subject DNs, exactly as the proxy prints them. */
  readonly subjects: readonly string[];
}

/** Why a request has no certificate identity the node can use. */
export type NoIdentity =
  | 'notConfigured'
  | 'untrustedPeer'
  | 'absent'
  | 'several'
  | 'tooLong'
  | 'malformed'
  | 'notPinned';

export type ClientIdentity =
  | { readonly kind: 'certificate'; readonly sha256: string; readonly sm3: string }
  | { readonly kind: 'subject'; readonly subject: string }
  | { readonly kind: 'none'; readonly reason: Exclude<NoIdentity, 'notPinned'> };

/** A PEM certificate of a 4096-bit RSA or any EC key fits well within this; a chain does not. */
export const MAX_CERTIFICATE_HEADER = 16_384;
export const MAX_SUBJECT_HEADER = 1024;

const PEM = /^-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----\s*$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// A comma after which a new value starts: how a Fetch `Headers` joins a header sent twice (", ").
// A DN's own commas have no space after them (RFC 4514) or are escaped ("\, ").
const JOINED = /(^|[^\\]), /;

/** Reads who the proxy says the client is; `peer` is the request's TCP peer, never a forwarded address. */
export function clientIdentityReader(
  source: ClientCertificateSource | undefined,
): (header: string | null | undefined, peer: string | undefined) => Promise<ClientIdentity> {
  if (source === undefined) return async () => ({ kind: 'none', reason: 'notConfigured' });
  const trusted = addressMatcher(source.trustedProxies);
  return async function clientIdentity(header, peer) {
    if (!trusted(peer)) return { kind: 'none', reason: 'untrustedPeer' };
    if (header === null || header === undefined || header.trim() === '')
      return { kind: 'none', reason: 'absent' };
    return source.carries === 'certificate' ? certificateIdentity(header) : subjectIdentity(header);
  };
}

async function certificateIdentity(header: string): Promise<ClientIdentity> {
  if (header.length > MAX_CERTIFICATE_HEADER) return { kind: 'none', reason: 'tooLong' };
  if (header.includes(',')) return { kind: 'none', reason: 'several' };
  let text: string;
  try {
    text = decodeURIComponent(header).trim();
  } catch {
    return { kind: 'none', reason: 'malformed' };
  }
  if (text.split('-----BEGIN').length > 2) return { kind: 'none', reason: 'several' };
  const pem = PEM.exec(text);
  const base64 = (pem ? pem[1]! : text).replace(/\s+/g, '');
  const der = base64 === '' || !BASE64.test(base64) ? undefined : decodeBase64(base64);
  if (der === undefined || !isOneDerSequence(der)) return { kind: 'none', reason: 'malformed' };
  return { kind: 'certificate', sha256: `sha256:${await sha256Hex(der)}`, sm3: sm3Digest(der) };
}

function subjectIdentity(header: string): ClientIdentity {
  if (header.length > MAX_SUBJECT_HEADER) return { kind: 'none', reason: 'tooLong' };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(header) || !header.includes('='))
    return { kind: 'none', reason: 'malformed' };
  if (JOINED.test(header)) return { kind: 'none', reason: 'several' };
  return { kind: 'subject', subject: header.trim() };
}

function decodeBase64(text: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** Whether `der` is exactly one DER SEQUENCE (a certificate's outer shape), its length as encoded. */
function isOneDerSequence(der: Uint8Array): boolean {
  if (der.length < 2 || der[0] !== 0x30) return false;
  const first = der[1]!;
  if (first < 0x80) return der.length === 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 3 || der.length < 2 + count) return false;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + der[2 + i]!;
  return der.length === 2 + count + length;
}

/**
 * Why `identity` is not one of `pins`, or undefined when it is (the pins say which fingerprints and
 * subjects are accepted; a fingerprint names its algorithm).
 */
export function identityRefusal(identity: ClientIdentity, pins: TlsClientPins): NoIdentity | undefined {
  if (identity.kind === 'none') return identity.reason;
  const accepted =
    identity.kind === 'certificate'
      ? pins.fingerprints.includes(identity.sha256) || pins.fingerprints.includes(identity.sm3)
      : pins.subjects.includes(identity.subject);
  return accepted ? undefined : 'notPinned';
}
