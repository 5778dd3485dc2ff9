import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../../src/egress/ip.js';
import { literalHostClass } from '../../src/egress/policy.js';

/** [address as a URL's hostname or as DNS returns it, its class]. */
const ADDRESSES: readonly [string, ReturnType<typeof classifyAddress>][] = [
  ['8.8.8.8', 'public'],
  ['1.1.1.1', 'public'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['10.0.0.1', 'private'],
  ['100.64.0.1', 'shared'],
  ['100.127.255.254', 'shared'],
  ['100.128.0.1', 'public'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['169.254.169.254', 'link-local'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.1', 'public'],
  ['192.0.0.8', 'reserved'],
  ['192.0.2.1', 'reserved'],
  ['192.168.1.1', 'private'],
  ['198.18.0.1', 'reserved'],
  ['198.51.100.7', 'reserved'],
  ['203.0.113.9', 'reserved'],
  ['224.0.0.1', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'reserved'],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['[::ffff:a9fe:a9fe]', 'link-local'],
  ['::ffff:8.8.8.8', 'public'],
  ['::127.0.0.1', 'loopback'],
  ['::a00:1', 'private'],
  ['64:ff9b::10.0.0.1', 'private'],
  ['64:ff9b::808:808', 'public'],
  ['64:ff9b:1::1', 'reserved'],
  ['2002:7f00:1::', 'loopback'],
  ['2002:c0a8:101::1', 'private'],
  ['fc00::1', 'unique-local'],
  ['fd12:3456:789a::1', 'unique-local'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['fec0::1', 'private'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'reserved'],
  ['2001::1', 'reserved'],
  ['100::1', 'reserved'],
  ['2400:cb00:2048:1::c629:d7a2', 'public'],
  ['2606:4700:4700::1111', 'public'],
  ['yrdx.suzhou.example', undefined],
  ['1.2.3', undefined],
  ['1.2.3.256', undefined],
  ['1::2::3', undefined],
];

describe('the address classes of outbound calls', () => {
  it.each(ADDRESSES)('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('takes localhost and its subdomains for loopback without asking DNS', () => {
    for (const host of ['localhost', 'LOCALHOST', 'localhost.', 'a.b.localhost']) {
      expect(literalHostClass(host)).toBe('loopback');
    }
    expect(literalHostClass('localhost.example')).toBeUndefined();
  });

  it('sees through the other spellings of an IPv4 address once a URL has parsed them', () => {
    for (const url of [
      'http://2130706433/',
      'http://0x7f.1/',
      'http://0177.0.0.1/',
      'http://127.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://[0:0:0:0:0:ffff:7f00:1]/',
    ]) {
      expect(literalHostClass(new URL(url).hostname), url).toBe('loopback');
    }
  });
});
