import { ecdsa } from '@noble/curves/abstract/weierstrass.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verificationSum } from '../../src/crypto/gm/comb.js';
import { mod, SM2_N, SM2_P, Sm2Point } from '../../src/crypto/gm/curve.js';
import {
  exportSm2PrivateJwk,
  Sm2PrivateKey,
  Sm2PublicKey,
  sm2Digest,
  sm2DigestHasher,
  sm2Sign,
  sm2SignDigest,
  sm2Verify,
  sm2VerifyDigest,
  sm3,
} from '../../src/crypto/gm/index.js';
import { matchesX, mulAddPublic } from '../../src/crypto/gm/public-mul.js';
import { fromHex, toHex } from './gm-vectors.js';

const text = (s: string) => new TextEncoder().encode(s);
const hex32 = (v: bigint) => v.toString(16).padStart(64, '0');
const rs = (r: bigint, s: bigint) => fromHex(hex32(r) + hex32(s));
const split = (sig: Uint8Array) => [
  BigInt(`0x${toHex(sig.subarray(0, 32))}`),
  BigInt(`0x${toHex(sig.subarray(32))}`),
];

const key = Sm2PrivateKey.generate();
const message = text('湖州 → 苏州：食品安全协查请求');

describe('SM2 signatures', () => {
  it('sign and verify round-trip; every signature differs (fresh nonce) and each verifies', () => {
    const a = sm2Sign(key, message);
    const b = sm2Sign(key, message);
    expect(a).toHaveLength(64);
    expect(toHex(a)).not.toBe(toHex(b));
    expect(sm2Verify(key.publicKey, message, a)).toBe(true);
    expect(sm2Verify(key.publicKey, message, b)).toBe(true);
    expect(sm2Verify(Sm2PrivateKey.generate().publicKey, message, a)).toBe(false);
  });

  it('refuses plain ECDSA over the SM2 curve and SM3 (no identity digest Z)', () => {
    // What a library that treats SM2 as "ECDSA on another curve" makes: s = k⁻¹(e + r·d), e = SM3(M).
    const plain = ecdsa(Sm2Point, sm3, { lowS: false });
    const d = exportD(key);
    const signature = plain.sign(message, d, { format: 'compact' });
    expect(plain.verify(signature, message, key.publicKey.toUncompressed(), { lowS: false })).toBe(true);
    expect(sm2Verify(key.publicKey, message, signature)).toBe(false);
    expect(sm2VerifyDigest(key.publicKey, sm3(message), signature)).toBe(false);
  });

  it('refuses a signature made under another identity, and accepts it only under that identity', () => {
    const alice = text('ALICE123@YAHOO.COM');
    const signature = sm2Sign(key, message, { id: alice });
    expect(sm2Verify(key.publicKey, message, signature)).toBe(false);
    expect(sm2Verify(key.publicKey, message, signature, { id: new Uint8Array(0) })).toBe(false);
    expect(sm2Verify(key.publicKey, message, signature, { id: alice })).toBe(true);
  });

  it('refuses r or s of zero, n or above, and r + s ≡ 0 (mod n), whatever the rest', () => {
    const [r, s] = split(sm2Sign(key, message)) as [bigint, bigint];
    const max = (1n << 256n) - 1n;
    for (const [badR, badS] of [
      [0n, s],
      [r, 0n],
      [SM2_N, s],
      [r, SM2_N],
      [r + SM2_N <= max ? r + SM2_N : max, s],
      [r, s + SM2_N <= max ? s + SM2_N : max],
      [max, max],
      [SM2_N - s, s],
    ] as const)
      expect(sm2Verify(key.publicKey, message, rs(badR, badS)), `${badR} ${badS}`).toBe(false);
  });

  it('has no low-s rule: s above n/2 verifies, and the malleated (r, n − s) is refused', () => {
    let high: Uint8Array | undefined;
    let low: Uint8Array | undefined;
    while (high === undefined || low === undefined) {
      const signature = sm2Sign(key, message);
      if (split(signature)[1]! > SM2_N / 2n) high ??= signature;
      else low ??= signature;
    }
    for (const signature of [high, low]) {
      expect(sm2Verify(key.publicKey, message, signature)).toBe(true);
      const [r, s] = split(signature) as [bigint, bigint];
      expect(sm2Verify(key.publicKey, message, rs(r, SM2_N - s))).toBe(false);
      expect(sm2Verify(key.publicKey, message, rs(SM2_N - r, s))).toBe(false);
    }
  });

  it('refuses signatures of the wrong length, DER in place of r ‖ s, and any flipped bit', () => {
    const signature = sm2Sign(key, message);
    for (const bad of [new Uint8Array(0), signature.subarray(0, 63), new Uint8Array([...signature, 0])])
      expect(sm2Verify(key.publicKey, message, bad)).toBe(false);
    for (let bit = 0; bit < 512; bit += 37) {
      const flipped = signature.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      expect(sm2Verify(key.publicKey, message, flipped)).toBe(false);
    }
  });

  it('signs a message fed in pieces (a large file) exactly as in one piece', () => {
    const data = new Uint8Array(300_000).map((_, i) => (i * 31) & 0xff);
    const hasher = sm2DigestHasher(key.publicKey);
    for (let at = 0; at < data.length; at += 65_521) hasher.update(data.subarray(at, at + 65_521));
    const e = hasher.digest();
    expect(toHex(e)).toBe(toHex(sm2Digest(key.publicKey, data)));
    expect(sm2Verify(key.publicKey, data, sm2SignDigest(key, e))).toBe(true);
  });

  it('round-trips for any key and message (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 40 }), (data, id) => {
        const k = Sm2PrivateKey.generate();
        const signature = sm2Sign(k, data, { id });
        return (
          sm2Verify(k.publicKey, data, signature, { id }) &&
          !sm2Verify(key.publicKey, data, signature, { id })
        );
      }),
      { numRuns: 25 },
    );
  });
});

describe('the hand-written public-scalar arithmetic (s·G + t·P, Straus and fixed-base tables) agrees with noble', () => {
  const reference = (s: bigint, point: typeof Sm2Point.BASE, t: bigint) => {
    const sum = (s === 0n ? Sm2Point.ZERO : Sm2Point.BASE.multiply(s)).add(
      t === 0n ? Sm2Point.ZERO : point.multiply(t),
    );
    return sum.is0() ? undefined : sum.toAffine().x;
  };
  const check = (
    s: bigint,
    point: typeof Sm2Point.BASE,
    t: bigint,
    key = Sm2PublicKey.fromAffine(point.x, point.y),
  ) => {
    const x = reference(s, point, t);
    // Straus–Shamir directly; then through the verifier's choice: Straus on a key's first use, its
    // fixed-base table from the second use on.
    for (const ours of [
      mulAddPublic(s, point.x, point.y, t),
      ...[1, 2, 3].map(() => verificationSum(s, key, t)),
    ]) {
      if (x === undefined) expect(ours.Z).toBe(0n);
      else {
        expect(matchesX(ours, x)).toBe(true);
        expect(matchesX(ours, mod(x + 1n, SM2_P))).toBe(false);
      }
    }
  };

  it('for random scalars and points', () => {
    const scalar = fc.bigInt({ min: 0n, max: SM2_N - 1n });
    fc.assert(
      fc.property(scalar, scalar, fc.bigInt({ min: 1n, max: SM2_N - 1n }), (s, t, d) => {
        check(s, Sm2Point.BASE.multiply(d), t);
      }),
      { numRuns: 30 },
    );
  });

  it('in the exceptional cases: P = G (doublings inside additions), sums to infinity, tiny and top scalars', () => {
    const G = Sm2Point.BASE;
    for (const [s, t] of [
      [1n, 1n],
      [5n, 3n],
      [127n, 127n],
      [3n, SM2_N - 3n],
      [SM2_N - 1n, 1n],
      [SM2_N - 1n, SM2_N - 1n],
      [0n, 1n],
      [1n, 0n],
      [0n, 0n],
    ] as const)
      check(s, G, t);
    check(2n, G.multiply(SM2_N - 1n), 1n);
    check(1n, G.negate(), 1n);
    // The largest digits of each window, and carries through every window.
    check(SM2_N - 1n, G.multiply(7n), (1n << 255n) - 1n);
    check(
      0x8888888888888888888888888888888888888888888888888888888888888888n,
      G.multiply(3n),
      0x2020202020202020n,
    );
  });

  it('verifies the same as before once a key has its table, and keeps refusing what it refused', () => {
    const k = Sm2PrivateKey.generate();
    const signatures = [0, 1, 2, 3].map((i) => sm2Sign(k, text(`message ${i}`)));
    for (let round = 0; round < 3; round++)
      signatures.forEach((signature, i) => {
        expect(sm2Verify(k.publicKey, text(`message ${i}`), signature)).toBe(true);
        expect(sm2Verify(k.publicKey, text(`message ${i + 1}`), signature)).toBe(false);
      });
  });
});

/** The private scalar, through the JWK export that the API offers. */
function exportD(k: Sm2PrivateKey): Uint8Array {
  return new Uint8Array(Buffer.from(exportSm2PrivateJwk(k).d, 'base64url'));
}
