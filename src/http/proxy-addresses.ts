import { parseIpv4, parseIpv6 } from '../egress/ip.js';

/** An address range as 128 bits (IPv4 as IPv4-mapped IPv6) and the number of leading bits that count. */
interface Range {
  readonly bits: readonly number[];
  readonly prefix: number;
}

/** The eight 16-bit groups of an address, IPv4 (and IPv4-mapped IPv6) as `::ffff:a.b.c.d`. */
function groupsOf(address: string): number[] | undefined {
  const four = parseIpv4(address);
  if (four !== undefined) return [0, 0, 0, 0, 0, 0xffff, four >>> 16, four & 0xffff];
  return parseIpv6(address);
}

function bitsOf(groups: readonly number[]): number[] {
  return groups.flatMap((g) => Array.from({ length: 16 }, (_, i) => (g >>> (15 - i)) & 1));
}

/** `10.0.0.0/8`, `2001:db8::/32` or a single address; undefined when `text` is none of these. */
function parseRange(text: string): Range | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const groups = groupsOf(address);
  if (groups === undefined || address.includes('%') || address.startsWith('[')) return undefined;
  const v4 = parseIpv4(address) !== undefined;
  const max = v4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const written = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(written) || Number(written) > max) return undefined;
    prefix = Number(written);
  }
  return { bits: bitsOf(groups), prefix: v4 ? prefix + 96 : prefix };
}

/**
 * Whether an address lies in one of `ranges` (addresses or CIDR ranges, IPv4 or IPv6): the proxies
 * whose word about a client certificate the node takes. An IPv4 peer seen as `::ffff:a.b.c.d` (a
 * dual-stack socket) matches the IPv4 range. Throws on a range that is not one: the configuration
 * checks refuse those first.
 */
export function addressMatcher(ranges: readonly string[]): (address: string | undefined) => boolean {
  const parsed = ranges.map((text) => {
    const range = parseRange(text);
    if (range === undefined) throw new Error(`not an address range: ${text}`);
    return range;
  });
  return function inRanges(address) {
    if (address === undefined) return false;
    const groups = groupsOf(address);
    if (groups === undefined) return false;
    const bits = bitsOf(groups);
    return parsed.some((r) => r.bits.slice(0, r.prefix).every((b, i) => b === bits[i]));
  };
}

/** Whether `text` is an address or CIDR range that `addressMatcher` takes. */
export function isAddressRange(text: string): boolean {
  return parseRange(text) !== undefined;
}
