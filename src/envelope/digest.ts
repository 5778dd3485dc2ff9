import { sm3 } from '../crypto/gm/sm3.js';

const encoder = new TextEncoder();
const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX[b]!;
  return out;
}

/**
 * A digest as yrdx keeps it (receipts, the audit chain, evidence, the replay and idempotency stores):
 * a text that names its algorithm. SHA-256 is 64 lower-case hex digits with no prefix — the form every
 * digest had before the national profile, so stored ones keep verifying; SM3 is `sm3:` and 64 hex
 * digits. Comparing two digests as strings compares algorithm and value at once.
 */
export type DigestAlgorithm = 'SHA-256' | 'SM3';
export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-256', 'SM3'];
export const SM3_PREFIX = 'sm3:';

const SHA256_FORM = /^[0-9a-f]{64}$/;
const SM3_FORM = /^sm3:[0-9a-f]{64}$/;

/** The algorithm a kept digest names, or undefined for a text that is no digest. */
export function digestAlgorithmOf(digest: unknown): DigestAlgorithm | undefined {
  if (typeof digest !== 'string') return undefined;
  if (SHA256_FORM.test(digest)) return 'SHA-256';
  if (SM3_FORM.test(digest)) return 'SM3';
  return undefined;
}

/** The hex value of a kept digest, without its algorithm. */
export function digestHexOf(digest: string): string {
  return digest.startsWith(SM3_PREFIX) ? digest.slice(SM3_PREFIX.length) : digest;
}

/**
 * Digest of a text's UTF-8 bytes (a compact JWS is ASCII), in the kept form. Runtimes may pass a faster
 * synchronous implementation (Node's `crypto.createHash` for SHA-256) wherever a context takes one.
 * The name stays `Sha256` for the many places that pass it; under the national profile it is SM3.
 */
export type Sha256 = (text: string) => string | Promise<string>;
export type Digester = Sha256;

/** The Web Crypto SHA-256, available on every runtime. */
export async function sha256Hex(text: string | Uint8Array): Promise<string> {
  const bytes = typeof text === 'string' ? encoder.encode(text) : text;
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
}

/** SM3 in the kept form (`sm3:` + hex), synchronous on every runtime (no platform has SM3 natively). */
export function sm3Digest(text: string | Uint8Array): string {
  const bytes = typeof text === 'string' ? encoder.encode(text) : text;
  return SM3_PREFIX + toHex(sm3(bytes));
}

/** The digest function of an algorithm, in the kept form. */
export function digesterFor(alg: DigestAlgorithm): Digester {
  return alg === 'SM3' ? sm3Digest : sha256Hex;
}

/**
 * The digest of `text` by the algorithm `like` names (to check a kept digest), or undefined if none.
 * `sha256` is a faster SHA-256 a runtime may pass; callers often pass their profile's digest instead
 * (SM3 under the national profile), so a result that is not SHA-256 is not taken for one: a gm node
 * checking an international partner's SHA-256 receipt computes SHA-256.
 */
export async function digestLike(
  like: string,
  text: string | Uint8Array,
  sha256: (text: string) => string | Promise<string> = sha256Hex,
): Promise<string | undefined> {
  const alg = digestAlgorithmOf(like);
  if (alg === 'SM3') return sm3Digest(text);
  if (alg !== 'SHA-256') return undefined;
  if (typeof text === 'string' && sha256 !== sm3Digest) {
    const fast = await sha256(text);
    if (digestAlgorithmOf(fast) === 'SHA-256') return fast;
  }
  return sha256Hex(text);
}

/** Whether `digest` (in the kept form, either algorithm) is the digest of `text`. */
export async function digestMatches(
  digest: string,
  text: string | Uint8Array,
  sha256?: (text: string) => string | Promise<string>,
): Promise<boolean> {
  const actual = await digestLike(digest, text, sha256);
  return actual !== undefined && actual === digest;
}
