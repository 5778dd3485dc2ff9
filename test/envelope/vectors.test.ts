import { describe, expect, it } from 'vitest';
import type { SigningAlgorithm } from '../../src/envelope/algorithms.js';
import { splitCompact } from '../../src/envelope/compact.js';
import { parseProtectedHeader } from '../../src/envelope/header.js';
import { signCompact } from '../../src/envelope/seal.js';
import { verifySignature } from '../../src/envelope/verify-compact.js';
import { importSigner, importVerificationKey } from '../../src/keys/jwk.js';
import data from '../vectors/rfc-jws.json' with { type: 'json' };

interface Vector {
  name: string;
  alg: SigningAlgorithm;
  publicJwk: Record<string, unknown>;
  privateJwk?: Record<string, unknown>;
  token: string;
  header: Record<string, unknown>;
  payloadText: string;
}

/** One loop over the published vectors: each verifies, and deterministic ones are reproduced. */
describe('published JWS test vectors', () => {
  for (const vector of data.vectors as Vector[]) {
    it(vector.name, async () => {
      const parts = splitCompact(vector.token, 1024 * 1024);
      const header = parseProtectedHeader(parts.header);
      expect(header).toEqual(vector.header);
      const key = await importVerificationKey({ ...vector.publicJwk, kid: 'vector' }, 'rfc');
      await expect(verifySignature(parts, header, key, [vector.alg])).resolves.toBe(vector.alg);
      expect(new TextDecoder().decode(parts.payload)).toBe(vector.payloadText);

      // Any other algorithm on the allow-list is refused for this key.
      const other: SigningAlgorithm = vector.alg === 'ES256' ? 'EdDSA' : 'ES256';
      await expect(verifySignature(parts, { alg: other }, key, ['ES256', 'EdDSA'])).rejects.toMatchObject({
        code: 'jws_alg_key_mismatch',
      });

      if (vector.privateJwk !== undefined) {
        // Ed25519 is deterministic: signing the vector's header and payload gives the vector's bytes.
        const signer = await importSigner(vector.privateJwk, 'vector');
        const [h, p] = vector.token.split('.');
        const signature = await crypto.subtle.sign(
          { name: 'Ed25519' },
          signer.key as CryptoKey,
          new TextEncoder().encode(`${h}.${p}`),
        );
        expect(Buffer.from(signature).toString('base64url')).toBe(vector.token.split('.')[2]);
        // and yrdx's own signer produces a token that verifies with the public key
        const own = await signCompact({ hello: '长三角' }, 'yrdx+jwt', signer);
        const ownParts = splitCompact(own, 1024 * 1024);
        await expect(
          verifySignature(ownParts, parseProtectedHeader(ownParts.header), key, [vector.alg]),
        ).resolves.toBe(vector.alg);
      }
    });
  }
});
