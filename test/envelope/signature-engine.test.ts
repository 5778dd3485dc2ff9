import { describe, expect, it } from 'vitest';
import { ALGORITHM_PROFILES, type WebCryptoAlgorithm } from '../../src/envelope/algorithms.js';
import { webCryptoSignatures } from '../../src/envelope/signature-engine.js';
import { nodeSignatures } from '../../src/runtime/node/signatures.js';
import { type TestNode, testNode } from '../helpers/nodes.js';

/**
 * Node's native signature engine must make exactly the signatures Web Crypto accepts, and accept
 * exactly those: a node on Node and a node on Workers verify each other's messages and receipts.
 */
const ALGORITHMS: readonly WebCryptoAlgorithm[] = ['ES256', 'EdDSA', 'PS256'];
const data = new TextEncoder().encode('eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiIzMzA1MDAifQ');
const flip = (bytes: Uint8Array, at: number) => {
  const copy = bytes.slice();
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
};

const publicKeyOf = (node: TestNode) =>
  crypto.subtle.importKey(
    'jwk',
    node.publicJwk as JsonWebKey,
    ALGORITHM_PROFILES[node.alg as WebCryptoAlgorithm].importParams,
    false,
    ['verify'],
  );

describe.each(ALGORITHMS)('%s: Node native and Web Crypto signatures', (alg) => {
  it('each engine accepts what the other signs', async () => {
    const node = await testNode('330500', alg);
    const publicKey = await publicKeyOf(node);
    const byNode = await nodeSignatures.sign(alg, node.signer.key as CryptoKey, data);
    const byWeb = await webCryptoSignatures.sign(alg, node.signer.key as CryptoKey, data);
    expect(byNode.length).toBe(byWeb.length);
    expect(await webCryptoSignatures.verify(alg, publicKey, byNode, data)).toBe(true);
    expect(await nodeSignatures.verify(alg, publicKey, byWeb, data)).toBe(true);
  });

  it('refuses a changed byte of the data or of the signature, and another key', async () => {
    const node = await testNode('330500', alg);
    const other = await testNode('320500', alg);
    const publicKey = await publicKeyOf(node);
    const signature = await nodeSignatures.sign(alg, node.signer.key as CryptoKey, data);
    expect(await nodeSignatures.verify(alg, publicKey, signature, flip(data, 3))).toBe(false);
    for (const at of [0, signature.length >> 1, signature.length - 1])
      expect(await nodeSignatures.verify(alg, publicKey, flip(signature, at), data)).toBe(false);
    expect(await nodeSignatures.verify(alg, await publicKeyOf(other), signature, data)).toBe(false);
  });

  it('refuses an all-zero signature of the right length', async () => {
    const node = await testNode('330500', alg);
    const signature = await nodeSignatures.sign(alg, node.signer.key as CryptoKey, data);
    const zero = new Uint8Array(signature.length);
    let accepted: boolean;
    try {
      accepted = await nodeSignatures.verify(alg, await publicKeyOf(node), zero, data);
    } catch {
      accepted = false;
    }
    expect(accepted).toBe(false);
  });
});

describe('Node native signatures and the key binding', () => {
  it('refuses a key of another algorithm, as Web Crypto does', async () => {
    const [ec, ed] = [await testNode('330500', 'ES256'), await testNode('320500', 'EdDSA')];
    const ecSignature = await nodeSignatures.sign('ES256', ec.signer.key as CryptoKey, data);
    const edSignature = await nodeSignatures.sign('EdDSA', ed.signer.key as CryptoKey, data);
    for (const engine of [nodeSignatures, webCryptoSignatures]) {
      await expect(async () =>
        engine.verify('EdDSA', await publicKeyOf(ec), ecSignature, data),
      ).rejects.toThrow();
      await expect(async () =>
        engine.verify('ES256', await publicKeyOf(ed), edSignature, data),
      ).rejects.toThrow();
      await expect(async () => engine.sign('EdDSA', ec.signer.key as CryptoKey, data)).rejects.toThrow();
      await expect(async () => engine.sign('PS256', ed.signer.key as CryptoKey, data)).rejects.toThrow();
    }
  });
});
