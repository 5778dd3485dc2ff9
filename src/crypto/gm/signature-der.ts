import { bigIntToBytes, bytesToBigInt } from './bytes.js';
import { expectTag, readAll, readOne, readUnsigned, TAG, tlv, unsignedInteger } from './der.js';
import { GmCryptoError } from './errors.js';

/**
 * r ‖ s ↔ the DER `SEQUENCE { r INTEGER, s INTEGER }` of GM/T 0009 §7.3 (and of ECDSA), which
 * OpenSSL, GmSSL and Java write. The gateway itself only ever carries r ‖ s; this is for tools.
 */
export function sm2SignatureToDer(signature: Uint8Array): Uint8Array {
  if (signature.length !== 64) throw new GmCryptoError('gm_argument_invalid', 'r ‖ s must be 64 bytes');
  return tlv(
    TAG.SEQUENCE,
    unsignedInteger(signature.subarray(0, 32)),
    unsignedInteger(signature.subarray(32)),
  );
}

export function sm2SignatureFromDer(der: Uint8Array): Uint8Array {
  const parts = readAll(readOne(der, TAG.SEQUENCE));
  if (parts.length !== 2) throw new GmCryptoError('gm_encoding_invalid', 'an SM2 signature is two INTEGERs');
  const out = new Uint8Array(64);
  parts.forEach((part, i) => {
    const magnitude = readUnsigned(expectTag(part, TAG.INTEGER, 'an INTEGER'));
    if (magnitude.length > 32)
      throw new GmCryptoError('gm_encoding_invalid', 'an SM2 signature value exceeds 32 bytes');
    out.set(bigIntToBytes(bytesToBigInt(magnitude), 32), i * 32);
  });
  return out;
}
