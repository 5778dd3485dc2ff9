import type { Aead } from '../../crypto/gm/aead.js';
import { decodeBase64Url, encodeBase64Url } from '../../crypto/gm/base64url.js';
import { randomBytes } from '../../crypto/gm/bytes.js';
import { YrdxError } from '../../errors/errors.js';
import { SEALED_PREFIX } from '../rows/values.js';

/**
 * Column values encrypted at rest. A sealed value names everything needed to open it:
 *
 *     yrdx-enc:1:<alg>:<keyId>:<base64url(nonce ‖ ciphertext ‖ tag)>
 *
 * (format version 1; `alg` is the AEAD's name, `SM4-GCM` or `A256GCM`; a fresh random 96-bit nonce
 * per value). The associated data binds the value to where it is kept — the header, the table, the
 * column and the row's ids — so a ciphertext copied into another row or column does not open.
 * A value without the prefix was written before encryption (or by a node without a data key) and
 * is read as it is.
 */
export const SEALED_VERSION = 1;

/** One data key, imported: what seals and opens values. */
export interface AtRestKey {
  /** `[A-Za-z0-9._-]{1,64}`: it is written into every value it seals. */
  readonly id: string;
  readonly aead: Aead;
  readonly key: Uint8Array;
}

/** The data keys of a node: the active one seals, any of them (retired ones too) opens. */
export interface AtRestKeys {
  readonly active: AtRestKey;
  find(id: string): AtRestKey | undefined;
}

/** Where a value is kept: its table and column, and the ids of its row. */
export interface SealedPlace {
  readonly table: string;
  readonly column: string;
  readonly row: readonly string[];
}

const FORMAT = /^yrdx-enc:(\d+):([A-Za-z0-9-]{1,16}):([A-Za-z0-9._-]{1,64}):([A-Za-z0-9_-]+)$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function isSealed(value: string): boolean {
  return value.startsWith(SEALED_PREFIX);
}

/** The key id a sealed value names, or undefined for a value in the clear (or malformed). */
export function sealedKeyId(value: string): string | undefined {
  return FORMAT.exec(value)?.[3];
}

function header(alg: string, keyId: string): string {
  return `${SEALED_PREFIX}${SEALED_VERSION}:${alg}:${keyId}:`;
}

function associatedData(head: string, place: SealedPlace): Uint8Array {
  return encoder.encode(JSON.stringify([head, place.table, place.column, place.row]));
}

function where(place: SealedPlace): Record<string, string> {
  return { table: place.table, column: place.column, row: place.row.join('/') };
}

/** Seals `text` under the active key for `place`. */
export async function sealText(keys: AtRestKeys, text: string, place: SealedPlace): Promise<string> {
  const { id, aead, key } = keys.active;
  const head = header(aead.name, id);
  const nonce = randomBytes(aead.nonceBytes);
  const sealed = await aead.seal(key, nonce, encoder.encode(text), associatedData(head, place));
  const both = new Uint8Array(nonce.length + sealed.length);
  both.set(nonce);
  both.set(sealed, nonce.length);
  return head + encodeBase64Url(both);
}

/**
 * The text of a value kept at `place`: opened when sealed, as it is when written in the clear. A
 * sealed value that does not open — altered, moved from another row, malformed, or under another
 * key with the same id — is `sealed_value_invalid`; one under a key the node does not hold is
 * `data_key_unknown`. Never garbage.
 */
export async function openText(
  keys: AtRestKeys | undefined,
  value: string,
  place: SealedPlace,
): Promise<string> {
  if (!isSealed(value)) return value;
  const parts = FORMAT.exec(value);
  const invalid = (cause?: unknown) =>
    new YrdxError('sealed_value_invalid', { params: where(place), ...(cause ? { cause } : {}) });
  if (parts === null || Number(parts[1]) !== SEALED_VERSION) throw invalid();
  const [, , alg, keyId, payload] = parts as unknown as [string, string, string, string, string];
  const key = keys?.find(keyId);
  if (key === undefined) throw new YrdxError('data_key_unknown', { params: { keyId, ...where(place) } });
  const bytes = decodeBase64Url(payload);
  if (key.aead.name !== alg || bytes === undefined || bytes.length < key.aead.nonceBytes + key.aead.tagBytes)
    throw invalid();
  const nonce = bytes.subarray(0, key.aead.nonceBytes);
  const sealed = bytes.subarray(key.aead.nonceBytes);
  let plain: Uint8Array;
  try {
    plain = await key.aead.open(key.key, nonce, sealed, associatedData(header(alg, keyId), place));
  } catch (cause) {
    throw invalid(cause);
  }
  try {
    return decoder.decode(plain);
  } catch (cause) {
    throw invalid(cause);
  }
}
