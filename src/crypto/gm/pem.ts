import { GmCryptoError } from './errors.js';

/**
 * PEM (RFC 7468) armour: the one block whose label is among `labels`, with strict base64 inside.
 * Other blocks are skipped, as `openssl ecparam -genkey` puts an EC PARAMETERS block before the key.
 */
/** Far above any SM2 key file (about 250 bytes), and small enough that the search below stays cheap. */
const MAX_PEM_CHARS = 16 * 1024;

export function decodePem(text: string, labels: readonly string[]): { label: string; der: Uint8Array } {
  if (typeof text !== 'string' || text.length > MAX_PEM_CHARS)
    throw new GmCryptoError(
      'gm_encoding_invalid',
      `a PEM key file is text of at most ${MAX_PEM_CHARS} characters`,
    );
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)];
  const wanted = blocks.filter((b) => labels.includes(b[1]!));
  if (wanted.length !== 1)
    throw new GmCryptoError(
      'gm_encoding_invalid',
      `expected one PEM block labelled ${labels.join(' or ')}, found ${wanted.length}`,
    );
  const body = wanted[0]![2]!.replace(/[\r\n\t ]/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(body))
    throw new GmCryptoError('gm_encoding_invalid', 'the PEM body is not base64');
  const binary = atob(body);
  const der = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) der[i] = binary.charCodeAt(i);
  return { label: wanted[0]![1]!, der };
}

export function encodePem(label: string, der: Uint8Array): string {
  let binary = '';
  for (const b of der) binary += String.fromCharCode(b);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
