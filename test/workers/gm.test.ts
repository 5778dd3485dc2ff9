import { describe, expect, it } from 'vitest';
import {
  aes256Gcm,
  exportSm2PublicJwk,
  importSm2PublicJwk,
  Sm2PrivateKey,
  sm2DigestHasher,
  sm2Sign,
  sm2SignDigest,
  sm2Verify,
  sm3,
  sm4Gcm,
} from '../../src/crypto/gm/index.js';
import { checkGmVector, type GmVector, toHex } from '../crypto/gm-vectors.js';
import data from '../vectors/gm.json' with { type: 'json' };

/** The national cryptography primitives in workerd: the same vector loop as on Node, then a round trip. */
describe('national cryptography in workerd', () => {
  for (const vector of data.vectors as GmVector[]) {
    it(`${vector.kind}: ${vector.name}`, async () => {
      await checkGmVector(vector);
    });
  }

  it('generates a key, signs, verifies through its JWK, and digests a large message in pieces', async () => {
    const key = Sm2PrivateKey.generate();
    const message = new TextEncoder().encode('苏州 → 湖州：协查回复');
    const signature = sm2Sign(key, message);
    const verifier = importSm2PublicJwk(exportSm2PublicJwk(key.publicKey));
    expect(sm2Verify(verifier, message, signature)).toBe(true);
    expect(sm2Verify(verifier, new TextEncoder().encode('tampered'), signature)).toBe(false);

    const chunk = new Uint8Array(1 << 16).fill(0x61);
    const whole = sm3.create();
    const signed = sm2DigestHasher(key.publicKey);
    for (let i = 0; i < 64; i++) {
      whole.update(chunk);
      signed.update(chunk);
    }
    expect(toHex(whole.digest())).toHaveLength(64);
    const big = new Uint8Array(64 << 16).fill(0x61);
    expect(sm2Verify(key.publicKey, big, sm2SignDigest(key, signed.digest()))).toBe(true);
  });

  it('seals and opens with SM4-GCM and AES-256-GCM (Web Crypto)', async () => {
    for (const aead of [sm4Gcm, aes256Gcm]) {
      const key = crypto.getRandomValues(new Uint8Array(aead.keyBytes));
      const nonce = crypto.getRandomValues(new Uint8Array(12));
      const sealed = await aead.seal(key, nonce, new TextEncoder().encode('案卷'), new Uint8Array([1]));
      expect(new TextDecoder().decode(await aead.open(key, nonce, sealed, new Uint8Array([1])))).toBe('案卷');
    }
  });
});
