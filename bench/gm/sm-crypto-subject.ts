import smCrypto from 'sm-crypto';
import type { Sm2Keys } from './subjects.js';

/**
 * sm-crypto (the older, more downloaded package) signing and verifying, for the Node benchmark only:
 * it draws random values while its modules load, which workerd refuses, so it cannot run on Workers.
 */
export function smCryptoSubject(message: Uint8Array, { dHex, publicHex }: Sm2Keys): () => void {
  const bytes = Array.from(message);
  return () => {
    const signature = smCrypto.sm2.doSignature(bytes, dHex, { hash: true, der: false, publicKey: publicHex });
    if (!smCrypto.sm2.doVerifySignature(bytes, signature, publicHex, { hash: true, der: false }))
      throw new Error('sm-crypto');
  };
}
