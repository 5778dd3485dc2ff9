import { sm2 as smV2 } from 'sm-crypto-v2';
import { exportSm2PrivateJwk, Sm2PrivateKey, sm2Sign, sm2Verify } from '../../src/crypto/gm/index.js';

/**
 * The operations the SM2 benchmarks compare, shared by the Node benchmark and the workerd Worker:
 * one signature and one verification of the same message, by yrdx and by sm-crypto-v2. Each
 * library signs with its own SM3(Z ‖ M) under the default identity and verifies what it signed.
 */
export type Side = 'yrdx' | 'sm-crypto-v2';

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export interface Sm2Keys {
  readonly key: Sm2PrivateKey;
  readonly dHex: string;
  readonly publicHex: string;
}

export function sm2Keys(): Sm2Keys {
  const key = Sm2PrivateKey.generate();
  return {
    key,
    dHex: toHex(new Uint8Array(base64UrlBytes(exportSm2PrivateJwk(key).d))),
    publicHex: toHex(key.publicKey.toUncompressed()),
  };
}

export function sm2Subjects(
  message: Uint8Array,
  { key, dHex, publicHex }: Sm2Keys = sm2Keys(),
): Record<Side, () => void> {
  return {
    yrdx() {
      if (!sm2Verify(key.publicKey, message, sm2Sign(key, message))) throw new Error('yrdx');
    },
    'sm-crypto-v2'() {
      const signature = smV2.doSignature(message, dHex, { hash: true, der: false, publicKey: publicHex });
      if (!smV2.doVerifySignature(message, signature, publicHex, { hash: true, der: false }))
        throw new Error('sm-crypto-v2');
    },
  };
}

function base64UrlBytes(text: string): number[] {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Array.from(binary, (c) => c.charCodeAt(0));
}
