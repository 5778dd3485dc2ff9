import { constants, KeyObject, sign, verify } from 'node:crypto';
import type { WebCryptoAlgorithm as SigningAlgorithm } from '../../envelope/algorithms.js';
import type { SignatureEngine } from '../../envelope/signature-engine.js';

/** Node's KeyObject for each Web Crypto key, made once (the key material is not copied out). */
const keyObjects = new WeakMap<CryptoKey, KeyObject>();

function keyObject(key: CryptoKey): KeyObject {
  let object = keyObjects.get(key);
  if (object === undefined) {
    object = KeyObject.from(key);
    keyObjects.set(key, object);
  }
  return object;
}

/**
 * Whether a key may make or check signatures of `alg`. Web Crypto refuses a key of another
 * algorithm by itself; Node's `sign`/`verify` would pick an algorithm from the key, so the binding is
 * checked here too (verifySignature binds the header's alg to the key first; this holds regardless).
 */
function fits(alg: SigningAlgorithm, object: KeyObject): boolean {
  switch (alg) {
    case 'ES256':
      return object.asymmetricKeyType === 'ec' && object.asymmetricKeyDetails?.namedCurve === 'prime256v1';
    case 'EdDSA':
      return object.asymmetricKeyType === 'ed25519';
    case 'PS256':
      return object.asymmetricKeyType === 'rsa-pss' || object.asymmetricKeyType === 'rsa';
  }
}

/** The digest and key options of each algorithm, as Web Crypto's ALGORITHM_PROFILES define them. */
function options(alg: SigningAlgorithm, key: CryptoKey) {
  const object = keyObject(key);
  if (!fits(alg, object)) throw new TypeError(`a ${object.asymmetricKeyType} key cannot be used for ${alg}`);
  switch (alg) {
    case 'ES256':
      return { digest: 'sha256', key: { key: object, dsaEncoding: 'ieee-p1363' as const } };
    case 'EdDSA':
      return { digest: null, key: object };
    case 'PS256':
      return {
        digest: 'sha256',
        key: { key: object, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      };
  }
}

/**
 * Node's native signatures: the same bytes Web Crypto produces and accepts (ECDSA as r‖s, RSA-PSS
 * with a 32-byte salt), computed on the calling thread. Web Crypto sends every operation through
 * the thread pool and back, which costs more CPU than the signature itself on a loaded node.
 */
export const nodeSignatures: SignatureEngine = {
  sign(alg, key, data) {
    const { digest, key: k } = options(alg, key);
    return sign(digest, data, k);
  },
  verify(alg, key, signature, data) {
    const { digest, key: k } = options(alg, key);
    return verify(digest, data, k, signature);
  },
};
