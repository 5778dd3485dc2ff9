import { expectTag, oid, readAll, readOne, readUnsigned, TAG, type Tlv, tlv } from './der.js';
import { GmCryptoError } from './errors.js';
import { exportScalar, Sm2PrivateKey, Sm2PublicKey } from './keys.js';
import { decodePem, encodePem } from './pem.js';

/**
 * SM2 keys in the forms OpenSSL writes: `openssl genpkey -algorithm SM2` (PKCS #8, "PRIVATE KEY"),
 * `openssl ecparam -genkey -name SM2` (SEC 1, "EC PRIVATE KEY") and `openssl pkey -pubout` (SPKI,
 * "PUBLIC KEY"). The algorithm is id-ecPublicKey with the named curve sm2p256v1 (GM/T 0006), as
 * RFC 5480/5915 say for any named curve. Explicit curve parameters, compressed points, encrypted
 * keys and other curves are refused.
 */
const ID_EC_PUBLIC_KEY = oid('1.2.840.10045.2.1');
const SM2_CURVE = oid('1.2.156.10197.1.301');

const fault = (what: string): GmCryptoError => new GmCryptoError('gm_encoding_invalid', what);

const same = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

function checkAlgorithm(algorithm: Uint8Array): void {
  const [kind, curve, ...rest] = readAll(algorithm);
  if (!same(expectTag(kind, TAG.OID, 'the algorithm OID'), ID_EC_PUBLIC_KEY)) throw fault('not an EC key');
  if (!same(expectTag(curve, TAG.OID, 'a named curve'), SM2_CURVE) || rest.length > 0)
    throw fault('not a key of the SM2 curve (1.2.156.10197.1.301)');
}

/** A BIT STRING with no unused bits holding 04 ‖ x ‖ y. */
function pointOf(bitString: Uint8Array): Sm2PublicKey {
  if (bitString[0] !== 0) throw fault('the public key BIT STRING has unused bits');
  return Sm2PublicKey.fromUncompressed(bitString.subarray(1));
}

/**
 * RFC 5915 ECPrivateKey { version 1, privateKey OCTET STRING, [0] parameters?, [1] publicKey? }.
 * `curveStated` is whether the enclosing structure already named the curve (PKCS #8 does).
 */
function fromEcPrivateKey(der: Uint8Array, curveStated: boolean): Sm2PrivateKey {
  const fields: (Tlv | undefined)[] = readAll(readOne(der, TAG.SEQUENCE));
  const version = readUnsigned(expectTag(fields[0], TAG.INTEGER, 'the ECPrivateKey version'));
  if (version.length !== 1 || version[0] !== 1) throw fault('ECPrivateKey version must be 1');
  const scalar = expectTag(fields[1], TAG.OCTET_STRING, 'the private key OCTET STRING');
  if (scalar.length === 0 || scalar.length > 32) throw fault('the private key is not 1–32 bytes');
  let at = 2;
  let named = curveStated;
  if (fields[at]?.tag === TAG.CONTEXT_0) {
    if (!same(readOne(fields[at]!.value, TAG.OID), SM2_CURVE)) throw fault('not a key of the SM2 curve');
    named = true;
    at++;
  }
  if (!named) throw fault('the key does not name its curve');
  let stated: Sm2PublicKey | undefined;
  if (fields[at]?.tag === TAG.CONTEXT_1) {
    stated = pointOf(readOne(fields[at]!.value, TAG.BIT_STRING));
    at++;
  }
  if (at !== fields.length) throw fault('unexpected fields in ECPrivateKey');
  const padded = new Uint8Array(32);
  padded.set(scalar, 32 - scalar.length);
  return Sm2PrivateKey.fromBytes(padded, stated);
}

/** A private key from PEM: PKCS #8 "PRIVATE KEY" or SEC 1 "EC PRIVATE KEY". */
export function importSm2PrivatePem(pem: string): Sm2PrivateKey {
  const { label, der } = decodePem(pem, ['PRIVATE KEY', 'EC PRIVATE KEY']);
  return label === 'PRIVATE KEY' ? importSm2Pkcs8(der) : fromEcPrivateKey(der, false);
}

/** PKCS #8 (RFC 5208) PrivateKeyInfo { version 0, algorithm, privateKey OCTET STRING, [0] attributes? }. */
export function importSm2Pkcs8(der: Uint8Array): Sm2PrivateKey {
  const [version, algorithm, privateKey, ...rest] = readAll(readOne(der, TAG.SEQUENCE));
  const v = readUnsigned(expectTag(version, TAG.INTEGER, 'the PKCS #8 version'));
  if (v.length !== 1 || v[0] !== 0) throw fault('PKCS #8 version must be 0');
  checkAlgorithm(expectTag(algorithm, TAG.SEQUENCE, 'the algorithm'));
  if (rest.length > 1 || (rest.length === 1 && rest[0]!.tag !== TAG.CONTEXT_0))
    throw fault('unexpected fields in PKCS #8');
  return fromEcPrivateKey(expectTag(privateKey, TAG.OCTET_STRING, 'the private key'), true);
}

/** A public key from PEM "PUBLIC KEY" (SubjectPublicKeyInfo, RFC 5480). */
export function importSm2PublicPem(pem: string): Sm2PublicKey {
  return importSm2Spki(decodePem(pem, ['PUBLIC KEY']).der);
}

export function importSm2Spki(der: Uint8Array): Sm2PublicKey {
  const [algorithm, key, ...rest] = readAll(readOne(der, TAG.SEQUENCE));
  checkAlgorithm(expectTag(algorithm, TAG.SEQUENCE, 'the algorithm'));
  if (rest.length > 0) throw fault('unexpected fields in SubjectPublicKeyInfo');
  return pointOf(expectTag(key, TAG.BIT_STRING, 'the public key BIT STRING'));
}

const ALGORITHM = tlv(TAG.SEQUENCE, tlv(TAG.OID, ID_EC_PUBLIC_KEY), tlv(TAG.OID, SM2_CURVE));

export function exportSm2Spki(key: Sm2PublicKey): Uint8Array {
  return tlv(TAG.SEQUENCE, ALGORITHM, tlv(TAG.BIT_STRING, Uint8Array.of(0), key.toUncompressed()));
}

/** PKCS #8 as OpenSSL writes it: the curve in the algorithm, the public key inside ECPrivateKey. */
export function exportSm2Pkcs8(key: Sm2PrivateKey): Uint8Array {
  const ecPrivateKey = tlv(
    TAG.SEQUENCE,
    tlv(TAG.INTEGER, Uint8Array.of(1)),
    tlv(TAG.OCTET_STRING, exportScalar(key)),
    tlv(TAG.CONTEXT_1, tlv(TAG.BIT_STRING, Uint8Array.of(0), key.publicKey.toUncompressed())),
  );
  return tlv(
    TAG.SEQUENCE,
    tlv(TAG.INTEGER, Uint8Array.of(0)),
    ALGORITHM,
    tlv(TAG.OCTET_STRING, ecPrivateKey),
  );
}

export function exportSm2PublicPem(key: Sm2PublicKey): string {
  return encodePem('PUBLIC KEY', exportSm2Spki(key));
}

export function exportSm2PrivatePem(key: Sm2PrivateKey): string {
  return encodePem('PRIVATE KEY', exportSm2Pkcs8(key));
}
