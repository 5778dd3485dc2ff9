import { sm2EnvelopeInWorkerd } from './gm/envelope.js';
import { smCryptoSubject } from './gm/sm-crypto-subject.js';
import { type Side, sm2Keys, sm2Subjects } from './gm/subjects.js';
import { throughputBenchmarks } from './gm/throughput.js';
import { startBenchWorker } from './gm/workerd.js';
import type { Benchmark, BenchResult } from './runner.js';
import { sideBySide } from './runner.js';

/**
 * SM2 sign+verify, yrdx against the npm packages, side by side in one run: on Node in this process,
 * and in workerd (Miniflare) through a small bundled Worker timed from outside. The issue asks for at
 * least twice the speed of sm-crypto-v2; sm-crypto (the older, more downloaded package) is shown too,
 * on Node only (it cannot load in workerd).
 * `npm run bench -- --filter SM2`.
 */

/** A message of the size of a sealed cooperation message's signing input (about 1.5 KB). */
const MESSAGE = new TextEncoder().encode(
  JSON.stringify({
    caseNumber: '湖市监案〔2026〕0123号',
    facts: '经抽样检验，样品菌落总数不符合食品安全国家标准。'.repeat(18),
  }),
);

function result(
  name: string,
  subject: string,
  baseline: string,
  measured: Awaited<ReturnType<typeof sideBySide>>,
  notes: string,
): BenchResult {
  return {
    name,
    figures: [
      { label: `${subject} sign+verify`, opsPerSecond: measured.subject },
      { label: `${baseline} sign+verify`, opsPerSecond: measured.baseline },
    ],
    ratio: measured.ratio,
    ratioRange: measured.range,
    target: 2,
    notes,
  };
}

function onNode(baseline: 'sm-crypto-v2' | 'sm-crypto', batch: number): Benchmark {
  return {
    name: `SM2 sign+verify on Node: yrdx vs ${baseline}`,
    async run({ quick, progress }) {
      const keys = sm2Keys();
      const subjects = sm2Subjects(MESSAGE, keys);
      const other = baseline === 'sm-crypto' ? smCryptoSubject(MESSAGE, keys) : subjects['sm-crypto-v2'];
      const measured = await sideBySide({
        rounds: quick ? 5 : 11,
        batch,
        concurrency: 1,
        progress,
        subject: async () => subjects.yrdx(),
        baseline: async () => other(),
      });
      return result(
        this.name,
        'yrdx',
        baseline,
        measured,
        `message ${MESSAGE.length} bytes, one key per side`,
      );
    },
  };
}

const inWorkerd: Benchmark = {
  name: 'SM2 sign+verify in workerd: yrdx vs sm-crypto-v2',
  async run({ quick, progress }) {
    const worker = await startBenchWorker();
    const perRequest = 10;
    const message = new TextDecoder().decode(MESSAGE);
    const call = (side: Side) => worker.call({ side, n: String(perRequest), message });
    try {
      const measured = await sideBySide({
        rounds: quick ? 5 : 11,
        batch: 2,
        concurrency: 1,
        progress,
        subject: () => call('yrdx'),
        baseline: () => call('sm-crypto-v2'),
      });
      const scaled = {
        ...measured,
        subject: measured.subject * perRequest,
        baseline: measured.baseline * perRequest,
      };
      return result(
        this.name,
        'yrdx',
        'sm-crypto-v2',
        scaled,
        `${perRequest} pairs per request, timed from Node`,
      );
    } finally {
      await worker.dispose();
    }
  },
};

export const gmBenchmarks: Benchmark[] = [
  onNode('sm-crypto-v2', 20),
  onNode('sm-crypto', 3),
  inWorkerd,
  sm2EnvelopeInWorkerd,
  ...throughputBenchmarks,
];
