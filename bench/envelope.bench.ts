import { CompactSign, compactVerify } from 'jose';
import type { SigningAlgorithm } from '../src/envelope/algorithms.js';
import { openMessage } from '../src/envelope/open.js';
import { DEFAULT_POLICY } from '../src/envelope/policy.js';
import { sealMessage } from '../src/envelope/seal.js';
import { generatePrivateJwk, importSigner, publicPart } from '../src/keys/jwk.js';
import { nodeSha256 } from '../src/runtime/node/sha256.js';
import { PartnerRegistry } from '../src/trust/partner-registry.js';
import { DOMAINS, MESSAGE_TYPES } from '../src/vocabulary/messages.js';
import { sm2EnvelopeOnNode } from './gm/envelope.js';
import type { Benchmark } from './runner.js';
import { sideBySide } from './runner.js';

/** A realistic food-safety assistance request body (about 1.5 KB of mostly Chinese text). */
const body = {
  caseNumber: '湖市监案〔2026〕0123号',
  cause: '经营标签不符合规定的预包装食品',
  parties: [
    {
      kind: 'organisation',
      name: '湖州某某食品有限公司',
      uscc: '91330502MA2B12345X',
      address: '浙江省湖州市吴兴区某某路88号',
    },
  ],
  facts:
    '2026年5月16日，执法人员对当事人经营场所进行检查，发现其销售的某品牌糕点标签未标注生产日期，涉嫌违反《中华人民共和国食品安全法》第六十七条的规定。经抽样检验，样品菌落总数不符合食品安全国家标准。该批次产品由苏州市某食品厂生产，现请求协助调查生产企业的进货查验记录、出厂检验记录及销售去向。',
  sampling: {
    sampleNumber: 'SC26330500123456',
    product: '糕点',
    batch: '20260510',
    result: '不合格',
    item: '菌落总数',
    value: '2.1×10⁵',
    limit: '1×10⁵ CFU/g',
  },
  legalBasis: ['《中华人民共和国食品安全法》第六十七条', '《中华人民共和国食品安全法》第一百二十五条'],
  requestedActions: ['调取进货查验记录', '调取出厂检验记录', '核查销售去向', '反馈处理结果'],
  handlingAgency: '湖州市市场监督管理局',
  contact: { name: '王某', phone: '0572-0000000' },
  dueDate: '2026-06-16',
};

async function prepare(alg: SigningAlgorithm) {
  const privateJwk = await generatePrivateJwk(alg);
  const kid = `330500-bench-${alg}`;
  const signer = await importSigner(privateJwk as Record<string, unknown>, kid);
  const publicJwk = {
    ...(publicPart(privateJwk as Record<string, unknown>) as Record<string, unknown>),
    kid,
    alg,
  };
  const publicKey = await crypto.subtle.importKey(
    'jwk',
    publicPart(privateJwk as Record<string, unknown>),
    (signer.key as CryptoKey).algorithm,
    false,
    ['verify'],
  );
  const registry = await PartnerRegistry.create(
    [
      {
        id: '330500',
        name: '湖州市',
        baseUrl: 'https://h.example',
        status: 'active',
        subscribes: [],
        keys: { jwks: { keys: [publicJwk] }, pins: [] },
        maySend: { domains: DOMAINS, types: MESSAGE_TYPES },
      },
    ],
    { file: 'bench', ownId: '320500', ownThumbprints: [] },
  );
  return { signer, publicKey, registry };
}

function envelopeBenchmark(alg: SigningAlgorithm): Benchmark {
  return {
    name: `envelope seal+open ${alg}`,
    async run({ quick, progress }) {
      const { signer, publicKey, registry } = await prepare(alg);
      // As on the Node runtime: Node's synchronous SHA-256 for the token digests.
      const sealCtx = { self: '330500', signer, policy: DEFAULT_POLICY, now: Date.now, sha256: nodeSha256 };
      const openCtx = {
        self: '320500',
        keys: registry,
        policy: DEFAULT_POLICY,
        now: Date.now,
        sha256: nodeSha256,
      };
      const draft = {
        to: '320500',
        type: 'assistance-request' as const,
        domain: 'food-safety' as const,
        contract: 'food-safety@1.0.0',
        body,
      };
      // The baseline signs and verifies the very claims yrdx seals, with the same header.
      const sample = await sealMessage(draft, sealCtx);
      const payload = new TextEncoder().encode(JSON.stringify(sample.claims));
      const header = { alg, kid: signer.kid, typ: 'yrdx+jwt' };
      const { subject, baseline, ratio, range } = await sideBySide({
        rounds: quick ? 7 : 21,
        batch: 400,
        // One operation at a time: on a 2-core machine, many in flight makes the rounds far noisier.
        concurrency: 1,
        progress,
        subject: async () => {
          const sealed = await sealMessage(draft, sealCtx);
          await openMessage(sealed.token, openCtx);
        },
        baseline: async () => {
          const jws = await new CompactSign(payload).setProtectedHeader(header).sign(signer.key as CryptoKey);
          await compactVerify(jws, publicKey);
        },
      });
      return {
        name: this.name,
        figures: [
          { label: 'yrdx sealMessage+openMessage', opsPerSecond: subject },
          { label: 'jose CompactSign+compactVerify', opsPerSecond: baseline },
        ],
        ratio,
        ratioRange: range,
        target: 0.8,
        notes: `payload ${payload.length} bytes; yrdx also checks every opening rule and hashes the token`,
      };
    },
  };
}

export const envelopeBenchmarks: Benchmark[] = [
  envelopeBenchmark('ES256'),
  envelopeBenchmark('EdDSA'),
  // SM2 has no jose baseline (jose has no SM2): against sm-crypto-v2, with ES256 in the same rounds.
  sm2EnvelopeOnNode,
];
