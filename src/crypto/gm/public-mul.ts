import { normalizeZ } from '@noble/curves/abstract/curve.js';
import { SM2_N, SM2_P, Sm2Point } from './curve.js';

/**
 * s·G + t·P for signature verification, where every input is public. Hand-written for speed: noble's
 * generic complete formulas cost about 14 multiplications per step on a curve with a general `a`,
 * while SM2's a = −3 allows the classic Jacobian formulas (doubling 3M+5S, mixed addition 7M+4S;
 * Bernstein–Lange's Explicit-Formulas Database, dbl-2001-b, madd-2007-bl, add-2007-bl). Both
 * scalars are walked together in one doubling chain (Straus–Shamir) in width-w NAF, G's odd
 * multiples from a small affine table built once, P's from an 8-entry Jacobian table per call.
 * Not constant-time, and never used with a secret scalar.
 */

const p = SM2_P;
const G_WINDOW = 8;
const P_WINDOW = 5;

/**
 * A Jacobian point (X/Z², Y/Z³); Z = 0 is the point at infinity. Mutated in place in the loop. The
 * coordinates are kept in (−p, p) — BigInt's % keeps the dividend's sign — which saves a reduction per
 * value; only the values tested against zero (h, r) and the final comparison are made canonical.
 */
export interface Jacobian {
  X: bigint;
  Y: bigint;
  Z: bigint;
}

const canonical = (x: bigint): bigint => {
  const r = x % p;
  return r < 0n ? r + p : r;
};

function double(a: Jacobian): void {
  if (a.Z === 0n) return;
  const delta = (a.Z * a.Z) % p;
  const gamma = (a.Y * a.Y) % p;
  const beta = (a.X * gamma) % p;
  const alpha = (3n * (a.X - delta) * (a.X + delta)) % p;
  const X3 = (alpha * alpha - 8n * beta) % p;
  a.Z = ((a.Y + a.Z) * (a.Y + a.Z) - gamma - delta) % p;
  a.Y = (alpha * (4n * beta - X3) - 8n * gamma * gamma) % p;
  a.X = X3;
}

/** a += (x2, y2), an affine point. */
export function addAffine(a: Jacobian, x2: bigint, y2: bigint): void {
  if (a.Z === 0n) {
    a.X = x2;
    a.Y = y2;
    a.Z = 1n;
    return;
  }
  const z1z1 = (a.Z * a.Z) % p;
  const u2 = (x2 * z1z1) % p;
  const s2 = (y2 * a.Z * z1z1) % p;
  const h = canonical(u2 - a.X);
  const r = canonical(2n * (s2 - a.Y));
  if (h === 0n) {
    if (r === 0n) double(a);
    else a.Z = 0n;
    return;
  }
  const hh = (h * h) % p;
  const i = 4n * hh;
  const j = (h * i) % p;
  const v = (a.X * i) % p;
  const X3 = (r * r - j - 2n * v) % p;
  a.Y = (r * (v - X3) - 2n * a.Y * j) % p;
  a.Z = ((a.Z + h) * (a.Z + h) - z1z1 - hh) % p;
  a.X = X3;
}

/** a += b, both Jacobian. */
function add(a: Jacobian, b: Readonly<Jacobian>): void {
  if (b.Z === 0n) return;
  if (a.Z === 0n) {
    a.X = b.X;
    a.Y = b.Y;
    a.Z = b.Z;
    return;
  }
  const z1z1 = (a.Z * a.Z) % p;
  const z2z2 = (b.Z * b.Z) % p;
  const u1 = (a.X * z2z2) % p;
  const u2 = (b.X * z1z1) % p;
  const s1 = (a.Y * b.Z * z2z2) % p;
  const s2 = (b.Y * a.Z * z1z1) % p;
  const h = canonical(u2 - u1);
  const r = canonical(2n * (s2 - s1));
  if (h === 0n) {
    if (r === 0n) double(a);
    else a.Z = 0n;
    return;
  }
  const i = (4n * h * h) % p;
  const j = (h * i) % p;
  const v = (u1 * i) % p;
  const X3 = (r * r - j - 2n * v) % p;
  a.Y = (r * (v - X3) - 2n * s1 * j) % p;
  a.Z = ((((a.Z + b.Z) * (a.Z + b.Z) - z1z1 - z2z2) % p) * h) % p;
  a.X = X3;
}

/**
 * The width-w NAF of a scalar below 2^256, least significant digit first: every non-zero digit is
 * odd and below 2^(w−1) in magnitude, and any w consecutive digits hold at most one non-zero.
 */
export function wnaf(k: bigint, w: number): Int16Array {
  const bits = new Uint8Array(258 + w);
  const binary = k.toString(2);
  for (let i = 0; i < binary.length; i++) bits[i] = binary.charCodeAt(binary.length - 1 - i) - 48;
  const digits = new Int16Array(258);
  const full = 1 << w;
  for (let i = 0; i < 258; ) {
    if (bits[i] === 0) {
      i++;
      continue;
    }
    let value = 0;
    for (let b = w - 1; b >= 0; b--) value = (value << 1) | bits[i + b]!;
    if (value >= full >> 1) {
      // Negative digit: carry one into bit i + w.
      value -= full;
      let c = i + w;
      while (bits[c] === 1) bits[c++] = 0;
      bits[c] = 1;
    }
    digits[i] = value;
    i += w;
  }
  return digits;
}

/** 1G, 3G, 5G, … (2^(w−1) − 1)G in affine form, built on first use. */
let gTable: { x: bigint[]; y: bigint[] } | undefined;
function baseTable(): { x: bigint[]; y: bigint[] } {
  if (gTable === undefined) {
    const points = [Sm2Point.BASE];
    const twice = Sm2Point.BASE.double();
    for (let i = 1; i < 1 << (G_WINDOW - 2); i++) points.push(points[i - 1]!.add(twice));
    const affine = normalizeZ(Sm2Point, points);
    gTable = { x: affine.map((q) => q.X), y: affine.map((q) => q.Y) };
  }
  return gTable;
}

/**
 * s·G + t·P in Jacobian form, for s, t in [0, n) and P a validated affine point. The caller
 * compares without inverting Z (see `matchesX`).
 */
export function mulAddPublic(s: bigint, px: bigint, py: bigint, t: bigint): Jacobian {
  if (s < 0n || s >= SM2_N || t < 0n || t >= SM2_N) throw new RangeError('scalar out of range');
  const g = baseTable();
  // 1P, 3P, … 15P in Jacobian form.
  const pTable: Jacobian[] = [{ X: px, Y: py, Z: 1n }];
  const twice: Jacobian = { X: px, Y: py, Z: 1n };
  double(twice);
  for (let i = 1; i < 1 << (P_WINDOW - 2); i++) {
    const next = { ...pTable[i - 1]! };
    add(next, twice);
    pTable.push(next);
  }
  const ds = wnaf(s, G_WINDOW);
  const dt = wnaf(t, P_WINDOW);
  const acc: Jacobian = { X: 0n, Y: 1n, Z: 0n };
  for (let i = ds.length - 1; i >= 0; i--) {
    double(acc);
    const a = ds[i]!;
    if (a > 0) addAffine(acc, g.x[a >> 1]!, g.y[a >> 1]!);
    else if (a < 0) addAffine(acc, g.x[-a >> 1]!, p - g.y[-a >> 1]!);
    const b = dt[i]!;
    if (b > 0) add(acc, pTable[b >> 1]!);
    else if (b < 0) {
      const q = pTable[-b >> 1]!;
      add(acc, { X: q.X, Y: -q.Y, Z: q.Z });
    }
  }
  return acc;
}

/** Whether the affine x of a Jacobian point equals `x`, without an inversion: X = x·Z². */
export function matchesX(point: Readonly<Jacobian>, x: bigint): boolean {
  if (point.Z === 0n || x < 0n || x >= p) return false;
  return canonical(x * point.Z * point.Z - point.X) === 0n;
}
