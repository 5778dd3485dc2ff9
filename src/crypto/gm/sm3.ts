import { HashMD } from '@noble/hashes/_md.js';
import { type CHash, clean, createHasher } from '@noble/hashes/utils.js';

/**
 * SM3 (GB/T 32905-2016, GM/T 0004-2012), the Chinese national hash: 256-bit output, 512-bit blocks,
 * Merkle–Damgård with SHA-256's padding. The compression function is written here (noble has no
 * SM3); the buffering, padding and streaming come from noble's audited `HashMD`, the base of its
 * SHA-256, so `sm3.create().update(a).update(b).digest()` digests files of any size in flat memory,
 * and `hmac(sm3, key, data)` from `@noble/hashes/hmac.js` works as for any noble hash.
 */

const IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/** T_j <<< (j mod 32), precomputed for the 64 rounds (§4.2 and §5.3.3 of the standard). */
const T_ROTATED = /* @__PURE__ */ Int32Array.from({ length: 64 }, (_, j) =>
  rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32),
);

/** The message expansion W[0..67]; W'[j] is W[j] ^ W[j+4] and is formed in the round loop. */
const W = new Int32Array(68);

class Sm3 extends HashMD<Sm3> {
  private A = IV[0]! | 0;
  private B = IV[1]! | 0;
  private C = IV[2]! | 0;
  private D = IV[3]! | 0;
  private E = IV[4]! | 0;
  private F = IV[5]! | 0;
  private G = IV[6]! | 0;
  private H = IV[7]! | 0;

  constructor() {
    super(64, 32, 8, false);
  }

  protected get(): number[] {
    const { A, B, C, D, E, F, G, H } = this;
    return [A, B, C, D, E, F, G, H];
  }

  protected set(
    A: number,
    B: number,
    C: number,
    D: number,
    E: number,
    F: number,
    G: number,
    H: number,
  ): void {
    this.A = A | 0;
    this.B = B | 0;
    this.C = C | 0;
    this.D = D | 0;
    this.E = E | 0;
    this.F = F | 0;
    this.G = G | 0;
    this.H = H | 0;
  }

  protected process(view: DataView, offset: number): void {
    for (let i = 0; i < 16; i++, offset += 4) W[i] = view.getUint32(offset, false);
    for (let j = 16; j < 68; j++) {
      const x = W[j - 16]! ^ W[j - 9]! ^ rotl(W[j - 3]!, 15);
      // P1(x) = x ^ (x <<< 15) ^ (x <<< 23)
      W[j] = x ^ rotl(x, 15) ^ rotl(x, 23) ^ rotl(W[j - 13]!, 7) ^ W[j - 6]!;
    }
    let { A, B, C, D, E, F, G, H } = this;
    // Rounds 0–15 and 16–63 differ only in FF and GG: two loops keep that choice out of the rounds.
    // In both, P0(x) = x ^ (x <<< 9) ^ (x <<< 17) and W'[j] = W[j] ^ W[j + 4].
    for (let j = 0; j < 16; j++) {
      const a12 = rotl(A, 12);
      const ss1 = rotl((a12 + E + T_ROTATED[j]!) | 0, 7);
      const wj = W[j]!;
      const tt1 = ((A ^ B ^ C) + D + (ss1 ^ a12) + (wj ^ W[j + 4]!)) | 0;
      const tt2 = ((E ^ F ^ G) + H + ss1 + wj) | 0;
      D = C;
      C = rotl(B, 9);
      B = A;
      A = tt1;
      H = G;
      G = rotl(F, 19);
      F = E;
      E = tt2 ^ rotl(tt2, 9) ^ rotl(tt2, 17);
    }
    for (let j = 16; j < 64; j++) {
      const a12 = rotl(A, 12);
      const ss1 = rotl((a12 + E + T_ROTATED[j]!) | 0, 7);
      const wj = W[j]!;
      const tt1 = (((A & B) | (A & C) | (B & C)) + D + (ss1 ^ a12) + (wj ^ W[j + 4]!)) | 0;
      const tt2 = (((E & F) | (~E & G)) + H + ss1 + wj) | 0;
      D = C;
      C = rotl(B, 9);
      B = A;
      A = tt1;
      H = G;
      G = rotl(F, 19);
      F = E;
      E = tt2 ^ rotl(tt2, 9) ^ rotl(tt2, 17);
    }
    // SM3 chains by XOR, where SHA-256 adds.
    this.set(A ^ this.A, B ^ this.B, C ^ this.C, D ^ this.D, E ^ this.E, F ^ this.F, G ^ this.G, H ^ this.H);
  }

  protected roundClean(): void {
    clean(W);
  }

  destroy(): void {
    this.destroyed = true;
    this.set(0, 0, 0, 0, 0, 0, 0, 0);
    clean(this.buffer);
  }

  _cloneInto(to?: Sm3): Sm3 {
    const target = to ?? new Sm3();
    target.set(...(this.get() as [number, number, number, number, number, number, number, number]));
    return this._cloneIntoMeta(target);
  }
}

/** One-shot `sm3(bytes)`, or streaming `sm3.create().update(chunk)….digest()`. */
export const sm3: CHash = /* @__PURE__ */ createHasher(() => new Sm3());

export type Sm3Hash = ReturnType<typeof sm3.create>;
