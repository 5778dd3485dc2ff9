/**
 * Random bytes from the platform's CSPRNG (`crypto.getRandomValues`), drawn a block at a time: one
 * call per 4096 bytes instead of one per id, since each call costs more than the bytes it returns.
 */
const pool = new Uint8Array(4096);
let poolAt = pool.length;

export function randomByte(): number {
  if (poolAt === pool.length) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  return pool[poolAt++]!;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `bytes` random bytes as lower-case hex, never all zeros (W3C trace ids forbid that). */
export function randomHex(bytes: number): string {
  for (;;) {
    let hex = '';
    let zero = true;
    for (let i = 0; i < bytes; i++) {
      const b = randomByte();
      if (b !== 0) zero = false;
      hex += HEX[b]!;
    }
    if (!zero) return hex;
  }
}
