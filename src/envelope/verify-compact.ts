// Hand-written, not jose's verify: the runtime's signature engine (Node's native one; jose has Web Crypto).
import { YrdxError } from '../errors/errors.js';
import { checkAlgorithm, SIGNATURE_BYTES, type SigningAlgorithm } from './algorithms.js';
import type { CompactParts } from './compact.js';
import type { ProtectedHeader } from './header.js';
import { type VerifyingKey, verifyWith } from './signature-engine.js';

/**
 * Checks the signature of split compact parts with one resolved key: the header's `alg` must be
 * allowed and bound to the key's type, the signature must have the algorithm's length, and the
 * signature engine (Web Crypto, or the runtime's native equivalent) must accept it.
 */
export async function verifySignature(
  parts: CompactParts,
  header: ProtectedHeader,
  key: { readonly alg: SigningAlgorithm; readonly key: VerifyingKey },
  allowed: readonly SigningAlgorithm[],
): Promise<SigningAlgorithm> {
  const alg = checkAlgorithm(header.alg, key.alg, allowed);
  const bytes = SIGNATURE_BYTES[alg];
  if (bytes !== undefined && parts.signature.length !== bytes) {
    throw new YrdxError('jws_signature_invalid');
  }
  let valid: boolean;
  try {
    valid = await verifyWith(alg, key.key, parts.signature, parts.signingInput);
  } catch (cause) {
    throw new YrdxError('jws_signature_invalid', { cause });
  }
  if (!valid) throw new YrdxError('jws_signature_invalid');
  return alg;
}
