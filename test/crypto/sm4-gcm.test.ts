import { createCipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Aead,
  aes256Gcm,
  type BlockCipher128,
  gcmOpen,
  gcmSeal,
  Sm4,
  sm4Gcm,
} from '../../src/crypto/gm/index.js';

/** A block cipher from node:crypto's ECB, to check the GCM layer against node's own AES-GCM. */
function nodeBlock(name: 'aes-256-ecb' | 'sm4-ecb', key: Uint8Array): BlockCipher128 {
  return {
    encryptBlock(input, inOffset, output, outOffset) {
      const cipher = createCipheriv(name, key, null).setAutoPadding(false);
      output.set(cipher.update(input.subarray(inOffset, inOffset + 16)), outOffset);
    },
  };
}

const refusal = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: { code?: string }) => error.code,
  );

describe('SM4', () => {
  it('encrypts and decrypts as OpenSSL’s SM4 (node:crypto sm4-ecb) for random keys and blocks', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (key, block) => {
          const ours = new Uint8Array(16);
          const sm4 = new Sm4(key);
          sm4.encryptBlock(block, 0, ours, 0);
          const theirs = createCipheriv('sm4-ecb', key, null).setAutoPadding(false).update(block);
          const back = new Uint8Array(16);
          sm4.decryptBlock(ours, 0, back, 0);
          return Buffer.from(ours).equals(theirs) && Buffer.from(back).equals(Buffer.from(block));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses keys that are not 16 bytes', () => {
    for (const length of [0, 15, 17, 32])
      expect(() => new Sm4(new Uint8Array(length))).toThrow(/gm_argument_invalid/);
  });
});

describe('GCM', () => {
  it('matches node:crypto’s AES-256-GCM when run over AES, for any lengths of data and associated data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 40 }), (plain, aad) => {
        const [key, nonce] = [randomBytes(32), randomBytes(12)];
        const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(aad);
        const expected = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
        const sealed = gcmSeal(nodeBlock('aes-256-ecb', key), nonce, plain, aad);
        return (
          Buffer.from(sealed).equals(expected) &&
          Buffer.from(gcmOpen(nodeBlock('aes-256-ecb', key), nonce, sealed, aad)).equals(Buffer.from(plain))
        );
      }),
      { numRuns: 60 },
    );
  });
});

describe.each([
  ['SM4-GCM', sm4Gcm],
  ['AES-256-GCM', aes256Gcm],
] as [string, Aead][])('%s behind the AEAD interface', (_name, aead) => {
  const key = randomBytes(aead.keyBytes);
  const nonce = randomBytes(12);
  const aad = new TextEncoder().encode('yrdx attachment 01J…');
  const plain = randomBytes(100);

  it('round-trips, with and without associated data, including empty plaintext', async () => {
    for (const [p, a] of [
      [plain, aad],
      [plain, undefined],
      [new Uint8Array(0), aad],
    ] as const) {
      const sealed = await aead.seal(key, nonce, p, a);
      expect(sealed.length).toBe(p.length + 16);
      expect(Buffer.from(await aead.open(key, nonce, sealed, a)).equals(Buffer.from(p))).toBe(true);
    }
  });

  it('refuses to open anything altered: any byte, the associated data, the nonce, the key, a truncation', async () => {
    const sealed = await aead.seal(key, nonce, plain, aad);
    for (const at of [0, 50, 99, 100, 115]) {
      const altered = sealed.slice();
      altered[at]! ^= 1;
      expect(await refusal(aead.open(key, nonce, altered, aad))).toBe('gm_aead_open_failed');
    }
    expect(await refusal(aead.open(key, nonce, sealed, new Uint8Array(0)))).toBe('gm_aead_open_failed');
    expect(await refusal(aead.open(key, randomBytes(12), sealed, aad))).toBe('gm_aead_open_failed');
    expect(await refusal(aead.open(randomBytes(aead.keyBytes), nonce, sealed, aad))).toBe(
      'gm_aead_open_failed',
    );
    expect(await refusal(aead.open(key, nonce, sealed.subarray(0, 15), aad))).toBe('gm_aead_open_failed');
    expect(await refusal(aead.open(key, nonce, sealed.subarray(0, sealed.length - 1), aad))).toBe(
      'gm_aead_open_failed',
    );
  });

  it('takes only its own key length and a 96-bit nonce', async () => {
    expect(await refusal(aead.seal(randomBytes(aead.keyBytes === 16 ? 32 : 16), nonce, plain))).toBe(
      'gm_argument_invalid',
    );
    for (const n of [8, 16])
      expect(await refusal(aead.seal(key, randomBytes(n), plain))).toBe('gm_argument_invalid');
  });
});
