import { checkLength } from './bytes.js';

/**
 * SM4 (GB/T 32907-2016, GM/T 0002-2012), the Chinese national block cipher: 128-bit blocks and keys,
 * 32 rounds of an unbalanced Feistel network. Written here (noble has no SM4) in the usual table
 * form: each round's τ (four S-box lookups) and L (the linear mix) are folded into four 256-entry
 * tables, so a round is four lookups and XORs. Table lookups indexed by key-dependent bytes are
 * cache-timing sensitive, as for every table-driven AES or SM4 in software.
 */

// biome-ignore format: the standard's S-box, 16 per row
const SBOX = Uint8Array.from([
  0xd6, 0x90, 0xe9, 0xfe, 0xcc, 0xe1, 0x3d, 0xb7, 0x16, 0xb6, 0x14, 0xc2, 0x28, 0xfb, 0x2c, 0x05,
  0x2b, 0x67, 0x9a, 0x76, 0x2a, 0xbe, 0x04, 0xc3, 0xaa, 0x44, 0x13, 0x26, 0x49, 0x86, 0x06, 0x99,
  0x9c, 0x42, 0x50, 0xf4, 0x91, 0xef, 0x98, 0x7a, 0x33, 0x54, 0x0b, 0x43, 0xed, 0xcf, 0xac, 0x62,
  0xe4, 0xb3, 0x1c, 0xa9, 0xc9, 0x08, 0xe8, 0x95, 0x80, 0xdf, 0x94, 0xfa, 0x75, 0x8f, 0x3f, 0xa6,
  0x47, 0x07, 0xa7, 0xfc, 0xf3, 0x73, 0x17, 0xba, 0x83, 0x59, 0x3c, 0x19, 0xe6, 0x85, 0x4f, 0xa8,
  0x68, 0x6b, 0x81, 0xb2, 0x71, 0x64, 0xda, 0x8b, 0xf8, 0xeb, 0x0f, 0x4b, 0x70, 0x56, 0x9d, 0x35,
  0x1e, 0x24, 0x0e, 0x5e, 0x63, 0x58, 0xd1, 0xa2, 0x25, 0x22, 0x7c, 0x3b, 0x01, 0x21, 0x78, 0x87,
  0xd4, 0x00, 0x46, 0x57, 0x9f, 0xd3, 0x27, 0x52, 0x4c, 0x36, 0x02, 0xe7, 0xa0, 0xc4, 0xc8, 0x9e,
  0xea, 0xbf, 0x8a, 0xd2, 0x40, 0xc7, 0x38, 0xb5, 0xa3, 0xf7, 0xf2, 0xce, 0xf9, 0x61, 0x15, 0xa1,
  0xe0, 0xae, 0x5d, 0xa4, 0x9b, 0x34, 0x1a, 0x55, 0xad, 0x93, 0x32, 0x30, 0xf5, 0x8c, 0xb1, 0xe3,
  0x1d, 0xf6, 0xe2, 0x2e, 0x82, 0x66, 0xca, 0x60, 0xc0, 0x29, 0x23, 0xab, 0x0d, 0x53, 0x4e, 0x6f,
  0xd5, 0xdb, 0x37, 0x45, 0xde, 0xfd, 0x8e, 0x2f, 0x03, 0xff, 0x6a, 0x72, 0x6d, 0x6c, 0x5b, 0x51,
  0x8d, 0x1b, 0xaf, 0x92, 0xbb, 0xdd, 0xbc, 0x7f, 0x11, 0xd9, 0x5c, 0x41, 0x1f, 0x10, 0x5a, 0xd8,
  0x0a, 0xc1, 0x31, 0x88, 0xa5, 0xcd, 0x7b, 0xbd, 0x2d, 0x74, 0xd0, 0x12, 0xb8, 0xe5, 0xb4, 0xb0,
  0x89, 0x69, 0x97, 0x4a, 0x0c, 0x96, 0x77, 0x7e, 0x65, 0xb9, 0xf1, 0x09, 0xc5, 0x6e, 0xc6, 0x84,
  0x18, 0xf0, 0x7d, 0xec, 0x3a, 0xdc, 0x4d, 0x20, 0x79, 0xee, 0x5f, 0x3e, 0xd7, 0xcb, 0x39, 0x48,
]);

const FK = [0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc];
/** CK_i's byte j is (4i + j)·7 mod 256 (§7.3). */
const CK = Array.from({ length: 32 }, (_, i) => {
  let word = 0;
  for (let j = 0; j < 4; j++) word = (word << 8) | (((4 * i + j) * 7) & 0xff);
  return word >>> 0;
});

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/** τ: the S-box on each byte of a word. */
const tau = (a: number): number =>
  (SBOX[a >>> 24]! << 24) |
  (SBOX[(a >>> 16) & 0xff]! << 16) |
  (SBOX[(a >>> 8) & 0xff]! << 8) |
  SBOX[a & 0xff]!;

/** T(x) = L(τ(x)), L(b) = b ^ (b <<< 2) ^ (b <<< 10) ^ (b <<< 18) ^ (b <<< 24), per input byte. */
const [T0, T1, T2, T3] = [24, 16, 8, 0].map((shift) =>
  Int32Array.from({ length: 256 }, (_, x) => {
    const b = SBOX[x]! << shift;
    return b ^ rotl(b, 2) ^ rotl(b, 10) ^ rotl(b, 18) ^ rotl(b, 24);
  }),
) as [Int32Array, Int32Array, Int32Array, Int32Array];

const T = (x: number): number =>
  T0[x >>> 24]! ^ T1[(x >>> 16) & 0xff]! ^ T2[(x >>> 8) & 0xff]! ^ T3[x & 0xff]!;

/** The 32 round keys (§7.3): K_{i+4} = K_i ^ T'(K_{i+1} ^ K_{i+2} ^ K_{i+3} ^ CK_i), L'(b) = b ^ (b <<< 13) ^ (b <<< 23). */
function expandKey(key: Uint8Array): Int32Array {
  const view = new DataView(key.buffer, key.byteOffset, 16);
  const k = [0, 1, 2, 3].map((i) => view.getUint32(i * 4) ^ FK[i]!);
  const rk = new Int32Array(32);
  for (let i = 0; i < 32; i++) {
    const b = tau(k[i + 1]! ^ k[i + 2]! ^ k[i + 3]! ^ CK[i]!);
    rk[i] = k[i]! ^ b ^ rotl(b, 13) ^ rotl(b, 23);
    k.push(rk[i]!);
  }
  return rk;
}

export class Sm4 {
  readonly #encrypt: Int32Array;
  #decrypt: Int32Array | undefined;

  constructor(key: Uint8Array) {
    checkLength(key, 16, 'an SM4 key');
    this.#encrypt = expandKey(key);
  }

  /** Encrypts 16 bytes of `input` at `inOffset` into `output` at `outOffset` (they may overlap exactly). */
  encryptBlock(input: Uint8Array, inOffset: number, output: Uint8Array, outOffset: number): void {
    crypt(this.#encrypt, input, inOffset, output, outOffset);
  }

  decryptBlock(input: Uint8Array, inOffset: number, output: Uint8Array, outOffset: number): void {
    this.#decrypt ??= this.#encrypt.slice().reverse();
    crypt(this.#decrypt, input, inOffset, output, outOffset);
  }

  /** Overwrites the round keys. */
  destroy(): void {
    this.#encrypt.fill(0);
    this.#decrypt?.fill(0);
  }
}

function crypt(rk: Int32Array, input: Uint8Array, i: number, output: Uint8Array, o: number): void {
  let x0 = (input[i]! << 24) | (input[i + 1]! << 16) | (input[i + 2]! << 8) | input[i + 3]!;
  let x1 = (input[i + 4]! << 24) | (input[i + 5]! << 16) | (input[i + 6]! << 8) | input[i + 7]!;
  let x2 = (input[i + 8]! << 24) | (input[i + 9]! << 16) | (input[i + 10]! << 8) | input[i + 11]!;
  let x3 = (input[i + 12]! << 24) | (input[i + 13]! << 16) | (input[i + 14]! << 8) | input[i + 15]!;
  for (let r = 0; r < 32; r += 4) {
    x0 ^= T(x1 ^ x2 ^ x3 ^ rk[r]!);
    x1 ^= T(x2 ^ x3 ^ x0 ^ rk[r + 1]!);
    x2 ^= T(x3 ^ x0 ^ x1 ^ rk[r + 2]!);
    x3 ^= T(x0 ^ x1 ^ x2 ^ rk[r + 3]!);
  }
  // The reverse transform R: the output is X35, X34, X33, X32.
  store(output, o, x3);
  store(output, o + 4, x2);
  store(output, o + 8, x1);
  store(output, o + 12, x0);
}

function store(output: Uint8Array, at: number, word: number): void {
  output[at] = word >>> 24;
  output[at + 1] = word >>> 16;
  output[at + 2] = word >>> 8;
  output[at + 3] = word;
}
