import type { CryptoProfile } from './types.js';

/** What a profile keeps besides signatures: its digest and its at-rest cipher (docs/national-crypto.md). */
export function profileAlgorithms(profile: CryptoProfile): { digest: string; atRest: string } {
  return profile === 'gm'
    ? { digest: 'SM3', atRest: 'SM4-GCM' }
    : { digest: 'SHA-256', atRest: 'AES-256-GCM' };
}
