import type { PartnerConfig } from '../../src/config/types.js';
import type { SigningAlgorithm } from '../../src/envelope/algorithms.js';
import { encodeBase64Url, encodeBase64UrlText } from '../../src/envelope/base64url.js';
import { DEFAULT_POLICY, type EnvelopePolicy } from '../../src/envelope/policy.js';
import type { Signer } from '../../src/envelope/seal.js';
import { signWith } from '../../src/envelope/signature-engine.js';
import { generatePrivateJwk, importSigner, publicPart, thumbprint } from '../../src/keys/jwk.js';
import { PartnerRegistry } from '../../src/trust/partner-registry.js';
import { DOMAINS, MESSAGE_TYPES } from '../../src/vocabulary/messages.js';

/** A node with a key generated for this test run (nothing secret is committed). */
export interface TestNode {
  readonly id: string;
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly signer: Signer;
  readonly privateJwk: JsonWebKey;
  readonly publicJwk: Record<string, unknown> & { kid: string };
  readonly thumbprint: string;
}

export async function testNode(
  id: string,
  alg: SigningAlgorithm = 'ES256',
  kid = `${id}-k1`,
): Promise<TestNode> {
  const privateJwk = await generatePrivateJwk(alg);
  const publicJwk = {
    ...(publicPart(privateJwk as Record<string, unknown>) as Record<string, unknown>),
    kid,
    alg,
  };
  return {
    id,
    kid,
    alg,
    signer: await importSigner(privateJwk as Record<string, unknown>, kid),
    privateJwk,
    publicJwk,
    thumbprint: await thumbprint(publicJwk),
  };
}

export function partnerConfig(node: TestNode, overrides: Partial<PartnerConfig> = {}): PartnerConfig {
  return {
    id: node.id,
    name: `node ${node.id}`,
    baseUrl: `http://127.0.0.1:1/${node.id}`,
    status: 'active',
    subscribes: [],
    keys: { jwks: { keys: [node.publicJwk] }, pins: [] },
    maySend: { domains: [...DOMAINS], types: [...MESSAGE_TYPES] },
    ...overrides,
  };
}

/** The registry of node `self`, trusting the given nodes. */
export async function registryOf(
  self: string,
  partners: readonly (TestNode | PartnerConfig)[],
): Promise<PartnerRegistry> {
  return PartnerRegistry.create(
    partners.map((p) => ('signer' in p ? partnerConfig(p) : p)),
    { file: 'test', ownId: self, ownThumbprints: [] },
  );
}

/** A clock that tests move by hand. */
export class FakeClock {
  constructor(public ms = Date.UTC(2026, 10, 28, 1, 30, 0)) {}
  readonly now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
  get seconds(): number {
    return Math.floor(this.ms / 1000);
  }
}

export const policy: EnvelopePolicy = DEFAULT_POLICY;

/**
 * Signs arbitrary header and payload *text* (so tests can write duplicate members, odd types or
 * forbidden parameters) with a real key.
 */
export async function signRaw(headerText: string, payloadText: string, signer: Signer): Promise<string> {
  const input = `${encodeBase64UrlText(headerText)}.${encodeBase64UrlText(payloadText)}`;
  const sig = await signWith(signer.alg, signer.key, new TextEncoder().encode(input));
  return `${input}.${encodeBase64Url(sig)}`;
}

/** Claims of a valid message from `from` to `to` at the clock's time. */
export function messageClaims(
  from: string,
  to: string | string[],
  clock: FakeClock,
  extra: Record<string, unknown> = {},
) {
  return {
    iss: from,
    aud: to,
    jti: `01TESTMESSAGE${Math.floor(Math.random() * 1e9)}`,
    iat: clock.seconds,
    exp: clock.seconds + 3600,
    type: 'assistance-request',
    domain: 'food-safety',
    contract: 'food-safety@1.0.0',
    thread: 'thread-1',
    body: { caseNumber: '湖市监案〔2026〕12号', note: '请协查' },
    ...extra,
  };
}

export function header(node: TestNode, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { alg: node.alg, kid: node.kid, typ: 'yrdx+jwt', ...extra };
}
