import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CuttingProxy, startCuttingProxy } from '../helpers/cutting-proxy.js';
import {
  ASSISTANCE_REQUEST,
  downloadDigest,
  fileNodes,
  GeneratedFile,
  MiB,
  mib,
  pullPage,
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
 * A node SIGKILLed in the middle of a case-file transfer (issue 20), with real processes: Huzhou
 * (330500) sends a 96 MiB file, Suzhou (320500) fetches it through a proxy that slows the line so
 * that the kill lands half-way. The killed node — the sender, then the recipient — is restarted on
 * the same data directory and port; the transfer resumes from the bytes Suzhou kept (a Range, not
 * the whole file again) and completes. Suzhou's case system sees nothing of the message before the
 * digest was checked, and then downloads the file byte-identical.
 */

const SIZE = 96 * MiB;
/** The slowed line: the transfer would take about 12 s. */
const RATE = 8 * MiB;
/** Suzhou's transfer lease (`delivery.leaseMs`). */
const LEASE_MS = 1500;

const dir = tempDir('yrdx-kill-transfer-');
let recorder: Recorder;
let proxy: CuttingProxy;
let huzhou: NodeProcess;
let suzhou: NodeProcess;

beforeAll(async () => {
  recorder = await startRecorder();
  proxy = await startCuttingProxy();
  ({ huzhou, suzhou } = await fileNodes(dir, proxy, {
    pushUrl: recorder.url,
    maxFileBytes: SIZE,
    // Suzhou's transfer lease: a job held by a killed Suzhou is picked up soon after its restart.
    delivery: { leaseMs: LEASE_MS, timeoutMs: LEASE_MS / 2 },
  }));
  const t = Date.now();
  await Promise.all([huzhou.start(), suzhou.start()]);
  console.log(`[kill-transfer] nodes started in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}, patient(60_000));

afterAll(async () => {
  await killAllNodes();
  await proxy?.close();
  await recorder?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends a new file and, when half of it has passed the proxy, interrupts `victim`: SIGKILL and a
 * restart on the same data directory, or (`freeze`) SIGSTOP for twice the lease, then SIGCONT.
 */
async function interruptMidTransfer(
  victim: () => NodeProcess,
  seed: number,
  how: 'kill' | 'freeze' = 'kill',
): Promise<void> {
  const t0 = Date.now();
  const lap = (what: string) =>
    console.log(`[kill-transfer] ${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const file = new GeneratedFile(SIZE, seed);
  const uploadId = await tusUploadGenerated(huzhou, file, 32 * MiB);
  const expected = file.sha256();
  const from = proxy.passed;
  proxy.rate = RATE;
  const pulls = watchPullPage(suzhou, proxy, 150);
  const res = await huzhou.submit({
    to: suzhou.id,
    domain: 'food-safety',
    type: 'assistance-request',
    body: ASSISTANCE_REQUEST,
    attachments: [{ upload: uploadId }],
  });
  expect(res.status, await res.clone().text()).toBe(202);
  const { id: messageId } = (await res.json()) as { id: string };
  lap('uploaded and sent');

  await waitFor(() => (proxy.passed - from >= SIZE / 2 ? true : undefined), 60_000, 'half the file', 20);
  const node = victim();
  const starts = node.starts;
  let atKill: number;
  if (how === 'kill') {
    await node.kill();
    atKill = proxy.passed - from;
    await sleep(500);
    lap(`${node.id} killed`);
    await node.start();
    lap(`${node.id} restarted`);
    expect(node.starts).toBe(starts + 1);
  } else {
    const pid = node.pid!;
    process.kill(pid, 'SIGSTOP');
    atKill = proxy.passed - from;
    lap(`${node.id} frozen`);
    await sleep(2 * LEASE_MS);
    process.kill(pid, 'SIGCONT');
    lap(`${node.id} continued`);
    expect(node.starts).toBe(starts);
  }
  expect(atKill).toBeLessThan(SIZE);
  // The line's pace starts afresh: no credit from the time the node was down.
  proxy.rate = RATE;

  const item = await waitFor(
    async () => (await pullPage(suzhou))?.find((i) => i.messageId === messageId),
    120_000,
    `the message on Suzhou's pull page\n${huzhou.output()}\n${suzhou.output()}`,
    200,
  );
  await pulls.stop();
  lap('delivered');
  const total = proxy.passed - from;
  console.log(
    `[kill-transfer] ${node.id} ${how === 'kill' ? 'killed' : 'frozen'} after ${mib(atKill)} of ${mib(SIZE)}; ${mib(total)} passed in all`,
  );
  // Resumed from what Suzhou kept, not sent again from the start.
  expect(total).toBeGreaterThanOrEqual(SIZE);
  expect(total).toBeLessThan(SIZE + atKill / 2);

  // Not on the pull page before the whole file had passed (and was checked).
  const early = pulls.seen.filter((s) => s.ids.includes(messageId) && s.passed - from < SIZE);
  expect(early).toEqual([]);
  expect(
    pulls.seen.filter((s) => !s.ids.includes(messageId) && s.passed - from > atKill).length,
  ).toBeGreaterThan(0);

  expect(item.attachments).toEqual([expect.objectContaining({ size: SIZE, sha256: expected })]);
  expect(await downloadDigest(suzhou, item.attachments[0]!.href)).toEqual({
    status: 200,
    size: SIZE,
    sha256: expected,
  });
  lap('downloaded');
  await waitFor(
    async () => {
      const doc = (await (await huzhou.status(messageId)).json()) as { files?: { status: string }[] };
      return doc.files?.[0]?.status === 'arrived' ? true : undefined;
    },
    30_000,
    'the files receipt at Huzhou',
  );
  lap('files receipt at Huzhou');
}

describe('a node killed in the middle of a case-file transfer', () => {
  it(
    'the sender (Huzhou): restarted, it serves the rest from where Suzhou stopped',
    async () => {
      await interruptMidTransfer(() => huzhou, 1);
    },
    patient(180_000),
  );

  it(
    'the recipient (Suzhou): restarted, it takes up its job after the lease and resumes',
    async () => {
      await interruptMidTransfer(() => suzhou, 2);
    },
    patient(180_000),
  );

  it(
    'the recipient frozen past its lease (SIGSTOP, SIGCONT): one run goes on, the file is not spoiled',
    async () => {
      await interruptMidTransfer(() => suzhou, 3, 'freeze');
    },
    patient(180_000),
  );
});
