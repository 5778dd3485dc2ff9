import { describe, expect, it } from 'vitest';
import { digestMatches, sha256Hex, sm3Digest } from '../../src/envelope/digest.js';
import { nodeSha256 } from '../../src/runtime/node/sha256.js';

/**
 * A node checks a kept digest by the algorithm the digest names, whatever its own profile: a gm node
 * (which passes SM3 as its digest function) checks an international partner's SHA-256 receipt, and an
 * international node an SM3 one. A digest of one algorithm never matches as the other.
 */
describe('digests of a mixed federation', () => {
  const token = 'eyJhbGciOiJTTTIifQ.eyJpc3MiOiIzMjA1MDAifQ.c2ln';

  it('a SHA-256 digest checks with SHA-256 when the node’s digest function is SM3', async () => {
    const sha = await sha256Hex(token);
    expect(await digestMatches(sha, token, sm3Digest)).toBe(true);
    expect(await digestMatches(sha, token, nodeSha256)).toBe(true);
    expect(await digestMatches(sha, `${token}x`, sm3Digest)).toBe(false);
  });

  it('an SM3 digest checks with SM3 when the node’s digest function is SHA-256', async () => {
    const sm3 = sm3Digest(token);
    expect(await digestMatches(sm3, token, nodeSha256)).toBe(true);
    expect(await digestMatches(sm3, token, sm3Digest)).toBe(true);
    expect(await digestMatches(sm3, `${token}x`, nodeSha256)).toBe(false);
  });

  it('never takes one algorithm’s value for the other’s', async () => {
    const sm3Hex = sm3Digest(token).slice(4);
    const shaHex = await sha256Hex(token);
    // SM3's hex without its prefix reads as a SHA-256 digest, and is not the SHA-256 of the token.
    expect(await digestMatches(sm3Hex, token, sm3Digest)).toBe(false);
    expect(await digestMatches(`sm3:${shaHex}`, token, nodeSha256)).toBe(false);
    // A digest function that lies about SHA-256 (returns SM3's form) is not trusted for SHA-256.
    expect(await digestMatches(shaHex, token, (t) => sm3Digest(t))).toBe(true);
  });
});
