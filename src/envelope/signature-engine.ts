import { ALGORITHM_PROFILES, type SigningAlgorithm } from './algorithms.js';

/**
 * The primitive behind every JWS signature yrdx makes or checks. The default is Web Crypto, which
 * every runtime has; the Node runtime installs its native equivalent at start-up (see
 * src/runtime/node/signatures.ts), which computes the very same signatures without a round trip
 * through the thread pool. Verification rules (algorithm allow-list, key binding, signature length)
 * stay in `verifySignature`: an engine only answers "is this signature valid for these bytes".
 */
export interface SignatureEngine {
  sign(alg: SigningAlgorithm, key: CryptoKey, data: Uint8Array): Promise<Uint8Array> | Uint8Array;
  /** False for a wrong signature; may throw for input the primitive cannot read. */
  verify(
    alg: SigningAlgorithm,
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
