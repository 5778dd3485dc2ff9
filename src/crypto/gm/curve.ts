import { weierstrass } from '@noble/curves/abstract/weierstrass.js';

/**
 * The SM2 recommended curve sm2p256v1 (GB/T 32918.5-2017, GM/T 0003.5-2012 §4; OID
 * 1.2.156.10197.1.301): y² = x³ + ax + b over F_p, prime order n, cofactor 1, a = p − 3.
 */
export const SM2_P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
export const SM2_A = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
export const SM2_B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
export const SM2_N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
export const SM2_GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
export const SM2_GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;

/**
 * noble's audited short-Weierstrass points over the SM2 parameters: used wherever a scalar is
 * secret (key generation, the nonce point of signing), for its constant-time-minded ladder over a
 * precomputed base table, and for point validation. Public-scalar verification uses the faster
 * a = −3 Jacobian code in `public-mul.ts`.
 */
export const Sm2Point = weierstrass({
  p: SM2_P,
  n: SM2_N,
  h: 1n,
  a: SM2_A,
  b: SM2_B,
  Gx: SM2_GX,
  Gy: SM2_GY,
});

/** x mod m for any integer x (BigInt's % keeps the sign of x). */
export function mod(x: bigint, m: bigint): bigint {
  const r = x % m;
  return r < 0n ? r + m : r;
}

/** Whether (x, y) is an affine point of the curve: both coordinates in [0, p) and y² = x³ + ax + b. */
export function isOnCurve(x: bigint, y: bigint): boolean {
  if (x < 0n || x >= SM2_P || y < 0n || y >= SM2_P) return false;
  return mod(y * y - (x * x * x + SM2_A * x + SM2_B), SM2_P) === 0n;
}
