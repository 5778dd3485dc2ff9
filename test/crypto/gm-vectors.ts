import {
  AEADS,
  exportSm2PrivateJwk,
  importSm2PrivateJwk,
  importSm2PrivatePem,
  Sm2PrivateKey,
  Sm4,
  sm2Digest,
  sm2SignatureFromDer,
  sm2SignatureToDer,
  sm2Verify,
  sm2VerifyDigest,
  sm2Z,
  sm3,
} from '../../src/crypto/gm/index.js';
import { sm2SignDigestWithNonce } from '../../src/crypto/gm/sm2.js';

/**
 * The one loop body over test/vectors/gm.json, shared by the Node suite and the workerd suite so that
 * both runtimes check the very same facts. Plain assertions (no test framework, no Buffer).
 */
export type GmVector =
  | { kind: 'sm3'; name: string; message: string; digest: string }
  | {
      kind: 'sm2-sign';
      name: string;
      d: string;
      x: string;
      y: string;
      idText: string;
      messageText: string;
      z: string;
      e: string;
      k: string;
      r: string;
      s: string;
    }
  | { kind: 'sm2-verify-digest'; name: string; privatePem: string; e: string; signatureDer: string }
  | { kind: 'sm4'; name: string; key: string; plaintext: string; ciphertext: string; iterations: number }
  | {
      kind: 'aead';
      name: string;
      alg: 'SM4-GCM' | 'A256GCM';
      key: string;
      nonce: string;
      aad: string;
      plaintext: string;
      ciphertext: string;
      tag: string;
    };

export const fromHex = (hex: string): Uint8Array =>
  Uint8Array.from(hex.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16));
export const toHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function equal(actual: string, expected: string, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}

function truth(value: boolean, what: string): void {
  if (!value) throw new Error(what);
}

export async function checkGmVector(v: GmVector): Promise<void> {
  switch (v.kind) {
    case 'sm3': {
      const message = fromHex(v.message);
      equal(toHex(sm3(message)), v.digest, 'one-shot SM3');
      // Streaming in uneven pieces, across block boundaries, gives the same digest.
      const hash = sm3.create();
      for (let at = 0, step = 1; at < message.length; at += step, step = (step * 3 + 1) % 70)
        hash.update(message.subarray(at, at + step));
      equal(toHex(hash.digest()), v.digest, 'streaming SM3');
      return;
    }
    case 'sm2-sign': {
      const key = Sm2PrivateKey.fromScalar(BigInt(`0x${v.d}`));
      equal(key.publicKey.x.toString(16).padStart(64, '0'), v.x, 'public x');
      equal(key.publicKey.y.toString(16).padStart(64, '0'), v.y, 'public y');
      const id = text(v.idText);
      const message = text(v.messageText);
      equal(toHex(sm2Z(key.publicKey, id)), v.z, 'Z');
      equal(toHex(sm2Z(key.publicKey)), v.z, 'Z with the default identity');
      equal(toHex(sm2Digest(key.publicKey, message, id)), v.e, 'e = SM3(Z ‖ M)');
      const signature = sm2SignDigestWithNonce(key, fromHex(v.e), BigInt(`0x${v.k}`));
      equal(toHex(signature ?? new Uint8Array()), v.r + v.s, 'r ‖ s with the standard’s k');
      truth(
        sm2Verify(key.publicKey, message, fromHex(v.r + v.s), { id }),
        'the standard’s signature verifies',
      );
      truth(sm2Verify(key.publicKey, message, fromHex(v.r + v.s)), 'and with the default identity');
      truth(
        !sm2Verify(key.publicKey, text(`${v.messageText}!`), fromHex(v.r + v.s)),
        'another message is refused',
      );
      const jwk = exportSm2PrivateJwk(key);
      truth(importSm2PrivateJwk(jwk).publicKey.equals(key.publicKey), 'the JWK round-trips');
      equal(toHex(sm2SignatureFromDer(sm2SignatureToDer(fromHex(v.r + v.s)))), v.r + v.s, 'DER round-trips');
      return;
    }
    case 'sm2-verify-digest': {
      const key = importSm2PrivatePem(v.privatePem);
      const signature = sm2SignatureFromDer(fromHex(v.signatureDer));
      equal(toHex(sm2SignatureToDer(signature)), v.signatureDer, 'DER re-encodes identically');
      truth(sm2VerifyDigest(key.publicKey, fromHex(v.e), signature), 'OpenSSL’s signature verifies');
      const other = fromHex(v.e);
      other[31]! ^= 1;
      truth(!sm2VerifyDigest(key.publicKey, other, signature), 'another digest is refused');
      return;
    }
    case 'sm4': {
      const cipher = new Sm4(fromHex(v.key));
      const block = fromHex(v.plaintext);
      for (let i = 0; i < v.iterations; i++) cipher.encryptBlock(block, 0, block, 0);
      equal(toHex(block), v.ciphertext, 'SM4 encryption');
      for (let i = 0; i < v.iterations; i++) cipher.decryptBlock(block, 0, block, 0);
      equal(toHex(block), v.plaintext, 'SM4 decryption');
      return;
    }
    case 'aead': {
      const aead = AEADS[v.alg];
      const [key, nonce, aad] = [fromHex(v.key), fromHex(v.nonce), fromHex(v.aad)];
      const sealed = await aead.seal(key, nonce, fromHex(v.plaintext), aad);
      equal(toHex(sealed), v.ciphertext + v.tag, `${v.alg} seal`);
      equal(toHex(await aead.open(key, nonce, sealed, aad)), v.plaintext, `${v.alg} open`);
      const altered = sealed.slice();
      altered[altered.length - 1]! ^= 0x80;
      const refused = await aead.open(key, nonce, altered, aad).then(
        () => undefined,
        (error: { code?: string }) => error.code,
      );
      equal(String(refused), 'gm_aead_open_failed', `${v.alg} refuses an altered tag`);
      return;
    }
  }
}
