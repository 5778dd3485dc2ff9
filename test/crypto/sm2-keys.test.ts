import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SM2_N, SM2_P } from '../../src/crypto/gm/curve.js';
import { readAll, readOne, TAG, tlv } from '../../src/crypto/gm/der.js';
import {
  exportSm2Pkcs8,
  exportSm2PrivateJwk,
  exportSm2PrivatePem,
  exportSm2PublicJwk,
  exportSm2PublicPem,
  exportSm2Spki,
  importSm2Pkcs8,
  importSm2PrivateJwk,
  importSm2PrivatePem,
  importSm2PublicJwk,
  importSm2PublicPem,
  importSm2Spki,
  Sm2PrivateKey,
  Sm2PublicKey,
  sm2JwkThumbprint,
  sm2SignatureFromDer,
  sm2SignatureToDer,
  sm3,
} from '../../src/crypto/gm/index.js';

const b64 = (v: bigint) => Buffer.from(v.toString(16).padStart(64, '0'), 'hex').toString('base64url');
const key = Sm2PrivateKey.generate();
const jwk = exportSm2PrivateJwk(key);
const { d: _d, ...publicJwk } = jwk;

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'accepted';
};

describe('SM2 keys as JWK', () => {
  it('exports {kty, crv, x, y[, d]} with 32-byte base64url members and imports them back', () => {
    expect(Object.keys(jwk).sort()).toEqual(['crv', 'd', 'kty', 'x', 'y']);
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'SM2' });
    for (const m of ['x', 'y', 'd'] as const) expect(jwk[m]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(importSm2PublicJwk(publicJwk).equals(key.publicKey)).toBe(true);
    expect(importSm2PrivateJwk({ ...jwk, kid: 'k1', alg: 'SM2' }).publicKey.equals(key.publicKey)).toBe(true);
    expect(exportSm2PublicJwk(key.publicKey)).toEqual(publicJwk);
  });

  it('refuses every malformed or invalid public JWK', () => {
    const cases: Record<string, unknown> = {
      'not an object': 'EC',
      array: [publicJwk],
      'kty OKP': { ...publicJwk, kty: 'OKP' },
      'crv P-256': { ...publicJwk, crv: 'P-256' },
      'no y': { kty: 'EC', crv: 'SM2', x: publicJwk.x },
      'x as a number': { ...publicJwk, x: 12 },
      'x of 31 bytes': { ...publicJwk, x: Buffer.alloc(31, 1).toString('base64url') },
      'x of 33 bytes': { ...publicJwk, x: Buffer.alloc(33, 1).toString('base64url') },
      'x padded': { ...publicJwk, x: `${publicJwk.x}=` },
      'x in standard base64': { ...publicJwk, x: Buffer.from(publicJwk.x, 'base64url').toString('base64') },
      'x with non-zero trailing bits': {
        ...publicJwk,
        x: publicJwk.x.slice(0, 42) + nextChar(publicJwk.x[42]!),
      },
      'off the curve (y + 1)': { ...publicJwk, y: b64((BigInt(`0x${hex(publicJwk.y)}`) + 1n) % SM2_P) },
      '(0, 0), no affine encoding of infinity': { ...publicJwk, x: b64(0n), y: b64(0n) },
      'x = p': { ...publicJwk, x: b64(SM2_P) },
      'a public JWK carrying d': jwk,
    };
    for (const [name, value] of Object.entries(cases))
      expect(
        refusal(() => importSm2PublicJwk(value)),
        name,
      ).toBe('gm_key_invalid');
  });

  it('refuses private scalars outside [1, n − 2] and a d that does not match x and y', () => {
    for (const d of [0n, SM2_N - 1n, SM2_N, (1n << 256n) - 1n])
      expect(
        refusal(() => Sm2PrivateKey.fromScalar(d)),
        String(d),
      ).toBe('gm_key_invalid');
    expect(Sm2PrivateKey.fromScalar(1n)).toBeInstanceOf(Sm2PrivateKey);
    expect(Sm2PrivateKey.fromScalar(SM2_N - 2n)).toBeInstanceOf(Sm2PrivateKey);
    const other = exportSm2PrivateJwk(Sm2PrivateKey.generate());
    expect(refusal(() => importSm2PrivateJwk({ ...jwk, d: other.d }))).toBe('gm_key_invalid');
    expect(refusal(() => importSm2PrivateJwk({ ...jwk, d: b64(SM2_N - 1n) }))).toBe('gm_key_invalid');
    expect(refusal(() => importSm2PrivateJwk(publicJwk))).toBe('gm_key_invalid');
  });

  it('keeps the private scalar out of the object: JSON and inspection show only the public point', () => {
    const shown = JSON.stringify(key, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v));
    expect(shown).not.toContain(Buffer.from(jwk.d, 'base64url').toString('hex').replace(/^0+/, ''));
    expect(Object.keys(key)).toEqual(['publicKey']);
  });

  it('computes the RFC 7638 thumbprint over crv, kty, x, y only (SHA-256 by default, SM3 on request)', () => {
    const canonical = `{"crv":"SM2","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`;
    expect(sm2JwkThumbprint(publicJwk)).toBe(createHash('sha256').update(canonical).digest('base64url'));
    expect(sm2JwkThumbprint({ ...jwk, kid: 'x', use: 'sig' } as typeof publicJwk)).toBe(
      sm2JwkThumbprint(publicJwk),
    );
    expect(sm2JwkThumbprint(publicJwk, 'SM3')).toBe(
      Buffer.from(sm3(Buffer.from(canonical))).toString('base64url'),
    );
  });
});

describe('SM2 keys as PKCS #8, SPKI and PEM', () => {
  it('round-trips its own exports', () => {
    expect(importSm2PrivatePem(exportSm2PrivatePem(key)).publicKey.equals(key.publicKey)).toBe(true);
    expect(importSm2PublicPem(exportSm2PublicPem(key.publicKey)).equals(key.publicKey)).toBe(true);
    expect(importSm2Pkcs8(exportSm2Pkcs8(key)).publicKey.equals(key.publicKey)).toBe(true);
    expect(importSm2Spki(exportSm2Spki(key.publicKey)).equals(key.publicKey)).toBe(true);
  });

  it('imports SEC 1 "EC PRIVATE KEY" that names the SM2 curve, and refuses one that names none', () => {
    const d = Buffer.from(jwk.d, 'base64url');
    const point = tlv(TAG.BIT_STRING, Uint8Array.of(0), key.publicKey.toUncompressed());
    const sm2Curve = tlv(
      TAG.CONTEXT_0,
      tlv(TAG.OID, Uint8Array.of(0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d)),
    );
    const sec1 = (...fields: Uint8Array[]) =>
      `-----BEGIN EC PRIVATE KEY-----\n${Buffer.from(tlv(TAG.SEQUENCE, tlv(TAG.INTEGER, Uint8Array.of(1)), tlv(TAG.OCTET_STRING, d), ...fields)).toString('base64')}\n-----END EC PRIVATE KEY-----\n`;
    expect(
      importSm2PrivatePem(sec1(sm2Curve, tlv(TAG.CONTEXT_1, point))).publicKey.equals(key.publicKey),
    ).toBe(true);
    expect(importSm2PrivatePem(sec1(sm2Curve)).publicKey.equals(key.publicKey)).toBe(true);
    expect(refusal(() => importSm2PrivatePem(sec1(tlv(TAG.CONTEXT_1, point))))).toBe('gm_encoding_invalid');
  });

  it('refuses keys of other curves and algorithms', () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ed = generateKeyPairSync('ed25519');
    for (const pem of [
      p256.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      ed.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      p256.privateKey.export({ type: 'sec1', format: 'pem' }),
    ])
      expect(refusal(() => importSm2PrivatePem(String(pem)))).toBe('gm_encoding_invalid');
    expect(
      refusal(() => importSm2PublicPem(String(p256.publicKey.export({ type: 'spki', format: 'pem' })))),
    ).toBe('gm_encoding_invalid');
  });

  it('refuses malformed DER: trailing bytes, long-form lengths for short values, compressed points, a mismatched public key', () => {
    const spki = exportSm2Spki(key.publicKey);
    expect(refusal(() => importSm2Spki(new Uint8Array([...spki, 0])))).toBe('gm_encoding_invalid');
    expect(refusal(() => importSm2Spki(spki.subarray(0, spki.length - 1)))).toBe('gm_encoding_invalid');
    const longForm = new Uint8Array([0x30, 0x81, spki[1]!, ...spki.subarray(2)]);
    expect(refusal(() => importSm2Spki(longForm))).toBe('gm_encoding_invalid');
    // The same key with its point compressed (02/03 ‖ x), which OpenSSL never writes for SM2.
    const algorithm = readAll(readOne(spki, TAG.SEQUENCE))[0]!;
    const x = key.publicKey.toUncompressed().subarray(1, 33);
    const compressed = tlv(
      TAG.SEQUENCE,
      tlv(TAG.SEQUENCE, algorithm.value),
      tlv(TAG.BIT_STRING, Uint8Array.of(0, key.publicKey.y % 2n === 0n ? 2 : 3), x),
    );
    expect(refusal(() => importSm2Spki(compressed))).toBe('gm_key_invalid');
    // A PKCS #8 whose embedded public key belongs to another private key.
    const other = Sm2PrivateKey.generate();
    const mixed = exportSm2Pkcs8(key);
    mixed.set(other.publicKey.toUncompressed(), mixed.length - 65);
    expect(refusal(() => importSm2Pkcs8(mixed))).toBe('gm_key_invalid');
  });

  it('refuses PEM text with no key, two keys, a wrong label, broken base64 or excessive size', () => {
    const pem = exportSm2PrivatePem(key);
    for (const bad of [
      '',
      `${pem}${pem}`,
      pem.replaceAll('PRIVATE KEY', 'CERTIFICATE'),
      pem.replace(/\n[A-Za-z0-9+/]/, '\n*'),
      pem + ' '.repeat(20_000),
    ])
      expect(refusal(() => importSm2PrivatePem(bad))).toBe('gm_encoding_invalid');
    // Other blocks around the key are skipped, as `openssl ecparam -genkey` writes a parameters block first.
    expect(
      importSm2PrivatePem(
        `-----BEGIN SM2 PARAMETERS-----\nBggqgRzPVQGCLQ==\n-----END SM2 PARAMETERS-----\n${pem}`,
      ).publicKey.equals(key.publicKey),
    ).toBe(true);
  });

  it('converts r ‖ s to and from strict DER', () => {
    const rs = new Uint8Array(64);
    rs[31] = 1;
    rs[32] = 0x80;
    const der = sm2SignatureToDer(rs);
    expect(Buffer.from(der).toString('hex')).toBe(`3026020101022100${'80'.padEnd(64, '0')}`);
    expect(sm2SignatureFromDer(der)).toEqual(rs);
    for (const bad of [
      '3006020101020101ff',
      '300602010102020001',
      '3007020101020201',
      '30060201ff020101',
      '3003020101',
    ])
      expect(
        refusal(() => sm2SignatureFromDer(Buffer.from(bad, 'hex'))),
        bad,
      ).not.toBe('accepted');
  });

  it('validates points given as coordinates', () => {
    expect(refusal(() => Sm2PublicKey.fromAffine(key.publicKey.x, key.publicKey.y + 1n))).toBe(
      'gm_key_invalid',
    );
    expect(refusal(() => Sm2PublicKey.fromUncompressed(new Uint8Array(65)))).toBe('gm_key_invalid');
  });
});

function hex(b64url: string): string {
  return Buffer.from(b64url, 'base64url').toString('hex');
}

/** A base64url character with the same top bits: changes only the unused trailing bits of the last sextet. */
function nextChar(c: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return alphabet[alphabet.indexOf(c) ^ 1]!;
}
