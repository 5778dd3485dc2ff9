import { installSignatureEngine } from '../../src/envelope/signature-engine.js';
import { nodeSha256 } from '../../src/runtime/node/sha256.js';
import { nodeSignatures } from '../../src/runtime/node/signatures.js';
import type { Benchmark, BenchResult, Interleaved } from '../runner.js';
import { interleaved } from '../runner.js';
import { ENVELOPE_SIDES, type EnvelopeSide, envelopeSubjects } from './envelope-subjects.js';
import { startBenchWorker } from './workerd.js';

/**
 * The target, measured on the envelope: a message sealed and opened by yrdx with SM2 against
 * the equivalent work with sm-crypto-v2 (target ≥ 2×), with yrdx's ES256 seal+open in the same rounds
 * for scale — on Node in this process, and in workerd through the benchmark Worker. Rounds rotate the
 * three sides. `npm run bench -- --filter "seal+open SM2"`.
 */
const TARGET = 2;

function result(
  name: string,
  measured: Interleaved<EnvelopeSide>,
  scale: number,
  notes: string,
): BenchResult {
  const main = measured.ratio('yrdx SM2', 'sm-crypto-v2');
  const es = measured.ratio('yrdx SM2', 'yrdx ES256');
  const range = (r: { range: readonly [number, number] }) =>
    `${r.range[0].toFixed(2)}–${r.range[1].toFixed(2)}`;
  return {
    name,
    figures: [
      { label: 'yrdx SM2 seal+open', opsPerSecond: measured.opsPerSecond['yrdx SM2'] * scale },
      { label: 'sm-crypto-v2 equivalent', opsPerSecond: measured.opsPerSecond['sm-crypto-v2'] * scale },
      { label: 'yrdx ES256 seal+open', opsPerSecond: measured.opsPerSecond['yrdx ES256'] * scale },
    ],
    ratio: main.ratio,
    ratioRange: main.range,
    target: TARGET,
    notes: `yrdx SM2 ÷ yrdx ES256: ${es.ratio.toFixed(2)} (rounds ${range(es)}); ${notes}`,
  };
}

export const sm2EnvelopeOnNode: Benchmark = {
  name: 'envelope seal+open SM2 on Node: yrdx vs sm-crypto-v2, ES256 beside',
  async run({ quick, progress }) {
    // As the Node runtime runs: Node's native ES256 and SHA-256 (SM2 and SM3 are src/crypto/gm's everywhere).
    const previous = installSignatureEngine(nodeSignatures);
    try {
      const sides = await envelopeSubjects({ es256Digest: nodeSha256 });
      const measured = await interleaved({
        rounds: quick ? 5 : 11,
        batch: 20,
        progress,
        sides: Object.fromEntries(ENVELOPE_SIDES.map((s) => [s, sides[s]])) as typeof sides,
      });
      return result(
        this.name,
        measured,
        1,
        'one message of about 1.5 KB; yrdx also checks every opening rule',
      );
    } finally {
      installSignatureEngine(previous);
    }
  },
};

export const sm2EnvelopeInWorkerd: Benchmark = {
  name: 'envelope seal+open SM2 in workerd: yrdx vs sm-crypto-v2, ES256 beside',
  async run({ quick, progress }) {
    const worker = await startBenchWorker();
    // Enough per request that a request's own cost (more than one ES256 seal+open here) weighs little.
    const perRequest = 30;
    try {
      const call = (side: EnvelopeSide) => () =>
        worker.call({ suite: 'envelope', side, n: String(perRequest) });
      const measured = await interleaved({
        rounds: quick ? 5 : 11,
        batch: 2,
        progress,
        sides: Object.fromEntries(ENVELOPE_SIDES.map((s) => [s, call(s)])) as Record<
          EnvelopeSide,
          () => Promise<void>
        >,
      });
      return result(
        this.name,
        measured,
        perRequest,
        `${perRequest} per request, timed from Node (a request's own cost counts against each side, most against ES256)`,
      );
    } finally {
      await worker.dispose();
    }
  },
};
