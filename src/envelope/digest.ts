const encoder = new TextEncoder();
const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX[b]!;
  return out;
}

/**
 * Lower-case hex SHA-256 of a text's UTF-8 bytes (a compact JWS is ASCII). Runtimes may pass a
 * faster synchronous implementation (Node's `crypto.createHash`) wherever a context takes `sha256`.
 */
export type Sha256 = (text: string) => string | Promise<string>;

/** The Web Crypto SHA-256, available on every runtime. */
export async function sha256Hex(text: string | Uint8Array): Promise<string> {
  const bytes = typeof text === 'string' ? encoder.encode(text) : text;
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
}
