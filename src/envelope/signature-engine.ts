import { Sm2PrivateKey, Sm2PublicKey } from '../crypto/gm/keys.js';
import { sm2Sign, sm2Verify } from '../crypto/gm/sm2.js';
import { ALGORITHM_PROFILES, type SigningAlgorithm, type WebCryptoAlgorithm } from './algorithms.js';

/** A private key that signs: a non-extractable Web Crypto key, or an SM2 key (src/crypto/gm). */
export type SigningKey = CryptoKey | Sm2PrivateKey;
/** A public key that verifies: a Web Crypto key, or an SM2 public key. */
export type VerifyingKey = CryptoKey | Sm2PublicKey;

/**
 * The primitive behind every JWS signature yrdx makes or checks with a Web Crypto algorithm. The
 * default is Web Crypto, which every runtime has; the Node runtime installs its native equivalent at
 * start-up (see src/runtime/node/signatures.ts), which computes the very same signatures without a
 * round trip through the thread pool. Verification rules (algorithm allow-list, key binding, signature
 * length) stay in `verifySignature`: an engine only answers "is this signature valid for these bytes".
 * SM2 is no engine's: no platform has it, so `signWith`/`verifyWith` compute it with src/crypto/gm.
 */
export interface SignatureEngine {
  sign(alg: WebCryptoAlgorithm, key: CryptoKey, data: Uint8Array): Promise<Uint8Array> | Uint8Array;
  /** False for a wrong signature; may throw for input the primitive cannot read. */
  verify(
    alg: WebCryptoAlgorithm,
    key: CryptoKey,
    signature: Uint8Array,
    data: Uint8Array,
  ): Promise<boolean> | boolean;
}

export const webCryptoSignatures: SignatureEngine = {
  async sign(alg, key, data) {
    const signature = await crypto.subtle.sign(
      ALGORITHM_PROFILES[alg].signParams,
      key,
      data as Uint8Array<ArrayBuffer>,
    );
    return new Uint8Array(signature);
  },
  verify: (alg, key, signature, data) =>
    crypto.subtle.verify(
      ALGORITHM_PROFILES[alg].signParams,
      key,
      signature as Uint8Array<ArrayBuffer>,
      data as Uint8Array<ArrayBuffer>,
    ),
};

let engine: SignatureEngine = webCryptoSignatures;

/** The engine in use (Web Crypto unless the runtime installed another). */
export function signatureEngine(): SignatureEngine {
  return engine;
}

/** Installs the process-wide engine; returns the previous one (tests put it back). */
export function installSignatureEngine(next: SignatureEngine): SignatureEngine {
  const previous = engine;
  engine = next;
  return previous;
}

/**
 * Signs with the algorithm a key was imported for. A key of the wrong kind for `alg` is a programming
 * error (keys are bound to their algorithm when imported) and throws a TypeError.
 */
export function signWith(
  alg: SigningAlgorithm,
  key: SigningKey,
  data: Uint8Array,
): Promise<Uint8Array> | Uint8Array {
  if (alg === 'SM2') {
    if (!(key instanceof Sm2PrivateKey)) throw new TypeError('an SM2 signature needs an SM2 private key');
    return sm2Sign(key, data);
  }
  if (key instanceof Sm2PrivateKey) throw new TypeError(`an SM2 key cannot sign ${alg}`);
  return engine.sign(alg, key, data);
}

/** Verifies with the algorithm a key was imported for; false for a key of another kind. */
export function verifyWith(
  alg: SigningAlgorithm,
  key: VerifyingKey,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> | boolean {
  if (alg === 'SM2') return key instanceof Sm2PublicKey && sm2Verify(key, data, signature);
  if (key instanceof Sm2PublicKey) return false;
  return engine.verify(alg, key, signature, data);
}
