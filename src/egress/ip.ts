/**
 * IP address literals and the ranges an outbound call to an address supplied at run time must not
 * reach: loopback, private (RFC 1918), link-local (cloud metadata services live there), CGNAT,
 * unique-local IPv6, unspecified, multicast, documentation and other special-purpose ranges (IANA
 * special-purpose registries). IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible,
 * NAT64, 6to4) are judged by the IPv4 address they carry. Runtime-neutral: no DNS here.
 */

/** Why an address is not a public one; `public` when an outbound call may reach it. */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared'
  | 'unique-local'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

/** [first octets as a 32-bit number, prefix length, class] of the special-purpose IPv4 ranges. */
const V4_RANGES: readonly (readonly [number, number, AddressClass])[] = [
  [v4(0, 0, 0, 0), 8, 'unspecified'],
  [v4(10, 0, 0, 0), 8, 'private'],
  [v4(100, 64, 0, 0), 10, 'shared'],
  [v4(127, 0, 0, 0), 8, 'loopback'],
  [v4(169, 254, 0, 0), 16, 'link-local'],
  [v4(172, 16, 0, 0), 12, 'private'],
  [v4(192, 0, 0, 0), 24, 'reserved'],
  [v4(192, 0, 2, 0), 24, 'reserved'],
  [v4(192, 88, 99, 0), 24, 'reserved'],
  [v4(192, 168, 0, 0), 16, 'private'],
  [v4(198, 18, 0, 0), 15, 'reserved'],
  [v4(198, 51, 100, 0), 24, 'reserved'],
  [v4(203, 0, 113, 0), 24, 'reserved'],
  [v4(224, 0, 0, 0), 4, 'multicast'],
  [v4(240, 0, 0, 0), 4, 'reserved'],
];

function v4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** The 32-bit value of a dotted-quad IPv4 address, or undefined when `text` is not one. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

/** The eight 16-bit groups of an IPv6 address (zone and brackets allowed), or undefined. */
export function parseIpv6(text: string): number[] | undefined {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!s.includes(':')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes('.')) {
        const tail = parseIpv4(piece);
        if (tail === undefined) return undefined;
        out.push(tail >>> 16, tail & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        out.push(Number.parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** Whether `host` (a URL's hostname, or an address from DNS) is an IP literal. */
export function isIpLiteral(host: string): boolean {
  return parseIpv4(host) !== undefined || parseIpv6(host) !== undefined;
}

/** The class of an IP address literal; undefined when `address` is not one. */
export function classifyAddress(address: string): AddressClass | undefined {
  const four = parseIpv4(address);
  if (four !== undefined) return classifyV4(four);
  const six = parseIpv6(address);
  return six === undefined ? undefined : classifyV6(six);
}

function classifyV4(value: number): AddressClass {
  if (value === 0xffffffff) return 'reserved';
  for (const [base, bits, kind] of V4_RANGES) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if ((value & mask) >>> 0 === base) return kind;
  }
  return 'public';
}

function classifyV6(g: number[]): AddressClass {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, h = 0, l = 0] = g;
  const embedded = () => ((h << 16) | l) >>> 0;
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0) {
    if (f === 0xffff) return classifyV4(embedded()); // IPv4-mapped ::ffff:a.b.c.d
    if (f === 0) {
      if (h === 0 && l === 0) return 'unspecified';
      if (h === 0 && l === 1) return 'loopback';
      return classifyV4(embedded()); // IPv4-compatible ::a.b.c.d (deprecated)
    }
    return 'reserved';
  }
  // NAT64 well-known prefix 64:ff9b::/96 carries an IPv4 address; 64:ff9b:1::/48 is local use.
  if (a === 0x64 && b === 0xff9b) {
    if (c === 0 && d === 0 && e === 0 && f === 0) return classifyV4(embedded());
    return 'reserved';
  }
  if (a === 0x2002) return classifyV4(((b << 16) | c) >>> 0); // 6to4 2002:a.b.c.d::/48
  if ((a & 0xfe00) === 0xfc00) return 'unique-local'; // fc00::/7
  if ((a & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((a & 0xffc0) === 0xfec0) return 'private'; // fec0::/10, site-local (deprecated)
  if ((a & 0xff00) === 0xff00) return 'multicast'; // ff00::/8
  // Global unicast is 2000::/3, less its special-purpose blocks: 2001::/23 (Teredo, ORCHID,
  // benchmarking…) and 2001:db8::/32 (documentation); everything outside 2000::/3 is unassigned.
  if ((a & 0xe000) !== 0x2000) return 'reserved';
  if (a === 0x2001 && b < 0x0200) return 'reserved';
  if (a === 0x2001 && b === 0x0db8) return 'reserved';
  if (a === 0x3fff && b < 0x1000) return 'reserved'; // 3fff::/20, documentation (RFC 9637)
  return 'public';
}
