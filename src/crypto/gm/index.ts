/**
 * The national cryptography primitives (GM/T; issue 19): SM2 signatures, SM3 digests, SM4 and
 * SM4-GCM, with AES-256-GCM beside them behind the same AEAD interface. Runtime-neutral (Node and
 * Workers alike). See docs/national-crypto.md for the standards, the library choice and measurements.
 */
export { AEADS, type Aead, aes256Gcm, sm4Gcm } from './aead.js';
export { GmCryptoError, type GmErrorCode } from './errors.js';
export { type BlockCipher128, gcmOpen, gcmSeal } from './gcm.js';
export {
  exportSm2PrivateJwk,
  exportSm2PublicJwk,
  importSm2PrivateJwk,
  importSm2PublicJwk,
  type Sm2PrivateJwk,
  type Sm2PublicJwk,
  sm2JwkThumbprint,
} from './jwk.js';
export { Sm2PrivateKey, Sm2PublicKey } from './keys.js';
export {
  exportSm2Pkcs8,
  exportSm2PrivatePem,
  exportSm2PublicPem,
  exportSm2Spki,
  importSm2Pkcs8,
  importSm2PrivatePem,
  importSm2PublicPem,
  importSm2Spki,
} from './pkcs8.js';
export { sm2SignatureFromDer, sm2SignatureToDer } from './signature-der.js';
export { type Sm2Options, sm2Sign, sm2SignDigest, sm2Verify, sm2VerifyDigest } from './sm2.js';
export { sm3 } from './sm3.js';
export { Sm4 } from './sm4.js';
export { SM2_DEFAULT_ID, sm2Digest, sm2DigestHasher, sm2Z } from './za.js';
