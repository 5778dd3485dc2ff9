import { sm2 as smV2, sm3 as smV2sm3, sm4 as smV2sm4 } from 'sm-crypto-v2';
import { Sm2PublicKey, sm2Sign, sm2Verify, sm3, sm4Gcm } from '../../src/crypto/gm/index.js';
import type { Benchmark } from '../runner.js';
import { sideBySide } from '../runner.js';
import { sm2Keys } from './subjects.js';

/**
 * The other figures the national-cryptography documentation quotes, each beside sm-crypto-v2 in the
 * same run (no target: they inform, the target is on sign+verify): verification by a key
 * object used for the first time (no per-key table yet), SM3 of 1 MiB, and SM4-GCM sealing 64 KiB.
 */
function informative(
  name: string,
  labels: [string, string],
  batch: number,
  subject: () => unknown,
  baseline: () => unknown,
  notes: string,
): Benchmark {
  return {
    name,
    async run({ quick, progress }) {
      const measured = await sideBySide({
        rounds: quick ? 5 : 11,
        batch,
        concurrency: 1,
        progress,
        subject: async () => subject(),
        baseline: async () => baseline(),
      });
      return {
        name,
        figures: [
          { label: labels[0], opsPerSecond: measured.subject },
          { label: labels[1], opsPerSecond: measured.baseline },
        ],
        ratio: measured.ratio,
        ratioRange: measured.range,
        notes,
      };
    },
  };
}

const message = new TextEncoder().encode('经抽样检验，样品菌落总数不符合食品安全国家标准。'.repeat(30));
const { key, dHex, publicHex } = sm2Keys();
const signature = sm2Sign(key, message);
const v2Signature = smV2.doSignature(message, dHex, { hash: true, der: false, publicKey: publicHex });
const mebibyte = new Uint8Array(1 << 20).fill(0x5a);
const payload = new Uint8Array(64 << 10).fill(0xa5);
const [gcmKey, nonce] = [new Uint8Array(16).fill(1), new Uint8Array(12).fill(2)];

export const throughputBenchmarks: Benchmark[] = [
  informative(
    'SM2 verify with a key object used the first time: yrdx vs sm-crypto-v2',
    ['yrdx sm2Verify (new key object)', 'sm-crypto-v2 doVerifySignature'],
    20,
    () => sm2Verify(Sm2PublicKey.fromAffine(key.publicKey.x, key.publicKey.y), message, signature),
    () => smV2.doVerifySignature(message, v2Signature, publicHex, { hash: true, der: false }),
    'the per-key table starts at a key object’s second verification; this is the path before it',
  ),
  informative(
    'SM3 of 1 MiB: yrdx vs sm-crypto-v2',
    ['yrdx sm3', 'sm-crypto-v2 sm3'],
    4,
    () => sm3(mebibyte),
    () => smV2sm3(mebibyte),
    'MiB/s = ops/s',
  ),
  informative(
    'SM4-GCM seal of 64 KiB: yrdx vs sm-crypto-v2',
    ['yrdx sm4Gcm.seal', 'sm-crypto-v2 sm4.encrypt gcm'],
    4,
    () => sm4Gcm.seal(gcmKey, nonce, payload),
    () => smV2sm4.encrypt(payload, gcmKey, { mode: 'gcm', iv: nonce, output: 'array', outputTag: true }),
    'MiB/s = ops/s ÷ 16',
  ),
];
