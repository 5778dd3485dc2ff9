/**
 * Canonical base64url without padding (RFC 7515 §2), for JWK members. Decoding refuses anything that
 * does not re-encode to the same text (padding, other characters, non-zero trailing bits), so one
 * key has one spelling and its RFC 7638 thumbprint is stable. `atob`/`btoa` exist on every runtime.
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function decodeBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return encodeBase64Url(out) === text ? out : undefined;
}
