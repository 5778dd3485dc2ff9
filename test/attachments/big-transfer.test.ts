import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CuttingProxy, startCuttingProxy } from '../helpers/cutting-proxy.js';
import {
  ASSISTANCE_REQUEST,
  cpuOf,
  downloadDigest,
  fileNodes,
  GeneratedFile,
  MiB,
  mib,
  pullPage,
  sampleRss,
  tusUploadGenerated,
  watchPullPage,
} from '../helpers/file-nodes.js';
import {
  killAllNodes,
  type NodeProcess,
  type Recorder,
  startRecorder,
  waitFor,
} from '../helpers/node-process.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A 1 GiB case file between two real node processes (issue 20): Huzhou's (330500) case system
 * uploads it with tus, Suzhou (320500) fetches it through a proxy that breaks the line twice (at 30 %
 * and 70 %), resumes each time with a Range, checks the digest, and only then shows the message on
 * its case system's pull page; the download is byte-identical. Huzhou's memory stays flat while it
 * serves the file.
 */

const SIZE = 1024 * MiB;
/** The most the sending node's resident memory may grow while it serves the file. */
const MAX_RSS_GROWTH = 64 * MiB;

const dir = tempDir('yrdx-big-transfer-');
let recorder: Recorder;
let proxy: CuttingProxy;
let huzhou: NodeProcess;
let suzhou: NodeProcess;

beforeAll(async () => {
  recorder = await startRecorder();
  proxy = await startCuttingProxy();
  ({ huzhou, suzhou } = await fileNodes(dir, proxy, {
    pushUrl: recorder.url,
    maxFileBytes: 2 * SIZE,
    delivery: { leaseMs: 2000, timeoutMs: 1000 },
  }));
  const t = Date.now();
  await Promise.all([huzhou.start(), suzhou.start()]);
  console.log(`[big-transfer] nodes started in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}, patient(60_000));

afterAll(async () => {
  const t = Date.now();
  await killAllNodes();
  await proxy?.close();
  await recorder?.close();
  console.log(`[big-transfer] stopped in ${((Date.now() - t) / 1000).toFixed(1)} s`);
});

describe('a 1 GiB case file from Huzhou reaches Suzhou across a line that breaks twice', () => {
  it(
    'resumes after each cut, is held until verified, downloads byte-identical, and the sender stays flat',
    async () => {
      const t0 = Date.now();
      // Wall time, and the CPU seconds of each node and of this process, per step.
      let last = { at: t0, h: cpuOf(huzhou.pid!), s: cpuOf(suzhou.pid!), t: process.cpuUsage() };
      const lap = (what: string) => {
        const now = { at: Date.now(), h: cpuOf(huzhou.pid!), s: cpuOf(suzhou.pid!), t: process.cpuUsage() };
        const test = (now.t.user + now.t.system - last.t.user - last.t.system) / 1e6;
        console.log(
          `[big-transfer] ${what}: ${((now.at - last.at) / 1000).toFixed(1)} s ` +
            `(CPU s: Huzhou ${(now.h - last.h).toFixed(1)}, Suzhou ${(now.s - last.s).toFixed(1)}, test ${test.toFixed(1)})`,
        );
        last = now;
      };
      const rss = sampleRss(huzhou.pid!, 100);
      const file = new GeneratedFile(SIZE, 20);
      const uploadId = await tusUploadGenerated(huzhou, file, 256 * MiB);
      const expected = file.sha256();
      lap('uploaded with tus');

      proxy.cutAt = [Math.floor(SIZE * 0.3), Math.floor(SIZE * 0.7)];
      expect(await pullPage(suzhou)).toEqual([]);
      const beforeTransfer = rss.mark();
      const pulls = watchPullPage(suzhou, proxy, 200);
      const res = await huzhou.submit({
        to: suzhou.id,
        domain: 'food-safety',
        type: 'assistance-request',
        body: ASSISTANCE_REQUEST,
        attachments: [{ upload: uploadId }],
      });
      expect(res.status, await res.clone().text()).toBe(202);
      const { id: messageId } = (await res.json()) as { id: string };

      const item = await waitFor(
        async () => (await pullPage(suzhou))?.find((i) => i.messageId === messageId),
        300_000,
        `the message on Suzhou's pull page\n${huzhou.output()}\n${suzhou.output()}`,
        250,
      );
      const transferred = rss.mark();
      rss.stop();
      await pulls.stop();
      lap('fetched by Suzhou (2 cuts) and delivered');

      // Sender's memory while it served the file.
      const base = rss.samples[beforeTransfer]!;
      const during = rss.samples.slice(beforeTransfer, transferred + 1);
      const peak = Math.max(...during);
      const uploadPeak = Math.max(...rss.samples.slice(0, beforeTransfer + 1));
      console.log(
        `[big-transfer] Huzhou RSS: ${mib(rss.samples[0]!)} at start, peak ${mib(uploadPeak)} during the upload; ` +
          `${mib(base)} before the transfer, peak ${mib(peak)} during it (growth ${mib(peak - base)}, ${during.length} samples)`,
      );
      expect(during.length).toBeGreaterThan(10);
      expect(peak - base).toBeLessThan(MAX_RSS_GROWTH);

      // The line broke twice and the transfer resumed each time (three connections at least).
      expect(proxy.cuts).toBe(2);
      expect(proxy.cutAt).toEqual([]);
      expect(proxy.connections).toBeGreaterThanOrEqual(3);
      console.log(
        `[big-transfer] proxy: ${mib(proxy.passed)} passed, ${proxy.cuts} cuts, ${proxy.connections} connections`,
      );

      // Nothing showed on the pull page before the whole file had passed.
      const early = pulls.seen.filter((s) => s.items > 0 && s.passed < SIZE);
      expect(early).toEqual([]);
      expect(pulls.seen.filter((s) => s.items === 0 && s.passed > SIZE * 0.7).length).toBeGreaterThan(0);

      expect(item.attachments).toHaveLength(1);
      expect(item.attachments[0]).toMatchObject({ name: '案件材料.pdf', size: SIZE, sha256: expected });
      const download = await downloadDigest(suzhou, item.attachments[0]!.href);
      lap('downloaded by Suzhou’s case system');
      expect(download).toEqual({ status: 200, size: SIZE, sha256: expected });

      // Huzhou learns from the signed files receipt that the file arrived.
      await waitFor(
        async () => {
          const doc = (await (await huzhou.status(messageId)).json()) as { files?: { status: string }[] };
          return doc.files?.[0]?.status === 'arrived' ? true : undefined;
        },
        30_000,
        'the files receipt at Huzhou',
      );
    },
    patient(600_000),
  );
});
