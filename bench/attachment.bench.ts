import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pdfBytes, tusUpload } from '../test/attachments/helpers.js';
import { post } from './harness/load.js';
import { preparePair, SUBMISSION } from './harness/pair.js';
import { type Child, checkBuilt, ROOT, sleep, startChild } from './harness/processes.js';
import { startRecorder } from './harness/recorder.js';
import { cpuMeter } from './harness/stats.js';
import type { Benchmark, BenchResult } from './runner.js';

/**
 * A case file's transfer end to end: Huzhou (330500) and Suzhou (320500) run as two real yrdx nodes,
 * child processes (`node dist/src/runtime/node.js`, so `npm run build` first) with SQLite and their
 * blob stores in a fresh temp directory, as in the exchange benchmark (bench/harness/pair.ts). Before
 * each round Huzhou's case system (this process) uploads a 256 MiB PDF with tus (not timed), a
 * different one every round (a round number written into its bytes: Suzhou would not fetch a file it
 * holds already). The clock then runs from the POST /v1/messages that references the upload until
 * Suzhou pushes the message to its case system, which it does only once the file was fetched from
 * Huzhou (GET /v1/attachments/… with a signed grant), hashed (SHA-256), checked against the signed
 * claim, fsynced, committed to its blob store and recorded in SQLite (local deliveries are held until
 * then). So a round is: submission (seal, store, deliver the message to Suzhou), the transfer, the
 * commit, the files receipt's signature and store, and the push.
 *
 * The baseline, in the same run with interleaved rounds (the order alternates): a plain streamed
 * HTTP copy of the same file — Huzhou's committed blob of that round — between two other child
 * processes on this machine (bench/harness/plain-copy.mjs): a node:http server piping
 * `fs.createReadStream` into the response, and a node:http client piping the answer into
 * `fs.createWriteStream` on a file in the same temp directory, fsynced once at the end. Its clock
 * runs from this process's command to the client until the client answers that the file is synced.
 * Both sides read the source from the page cache (it was just uploaded) and write the copy to the
 * same filesystem; neither includes process start.
 *
 * `BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` passes Node flags to the two yrdx processes.
 */

const MIB = 1024 * 1024;
const TARGET = 0.7;
const HUZHOU = '330500';
const PLAIN_COPY = fileURLToPath(new URL('./harness/plain-copy.mjs', import.meta.url));

/** The zj example notification of the newest food-safety contract (the one a local system gets by default). */
function notification(): unknown {
  const versions = join(ROOT, 'contracts', 'food-safety');
  const newest = readdirSync(versions)
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v))
    .sort((a, b) => {
      const [x, y] = [a, b].map((v) => v.split('.').map(Number));
      return x![0]! - y![0]! || x![1]! - y![1]! || x![2]! - y![2]!;
    })
    .at(-1)!;
  return JSON.parse(
    readFileSync(join(versions, newest, 'dialects', 'zj', 'examples', 'notification.json'), 'utf8'),
  );
}

interface PlainCopy {
  readonly server: Child;
  readonly client: Child;
  /** Copies `<root>/<path>` to `to`; resolves to the bytes copied. */
  copy(path: string, to: string): Promise<number>;
  stop(): Promise<void>;
}

async function startPlainCopy(root: string): Promise<PlainCopy> {
  const server = startChild([PLAIN_COPY], { ROLE: 'server', ROOT: root });
  const client = startChild([PLAIN_COPY], { ROLE: 'client' });
  const portOf = async (child: Child): Promise<number> => {
    const until = Date.now() + 10_000;
    for (;;) {
      const port = /port (\d+)/.exec(child.output())?.[1];
      if (port !== undefined) return Number(port);
      if (child.process.exitCode !== null || Date.now() > until)
        throw new Error(`bench: plain copy did not start:\n${child.output()}`);
      await sleep(20);
    }
  };
  const [serverPort, clientPort] = await Promise.all([portOf(server), portOf(client)]);
  return {
    server,
    client,
    async copy(path, to) {
      const res = await fetch(`http://127.0.0.1:${clientPort}/copy`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: `http://127.0.0.1:${serverPort}/${path}`, to }),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`bench: plain copy failed: ${text}`);
      return (JSON.parse(text) as { bytes: number }).bytes;
    },
    stop: async () => {
      await Promise.all([server.stop(), client.stop()]);
    },
  };
}

const blobPath = (filesDir: string, digest: string) =>
  join(filesDir, 'blobs', 'sha256', digest.slice(0, 2), digest);

const attachmentTransfer: Benchmark = {
  name: 'attachment transfer (2 nodes, 256 MiB)',
  async run({ quick, progress }): Promise<BenchResult> {
    checkBuilt();
    const size = quick ? 64 * MIB : 256 * MIB;
    const rounds = quick ? 2 : 3;
    const dir = mkdtempSync(join(tmpdir(), 'yrdx-bench-files-'));
    const recorder = await startRecorder();
    const stops: (() => Promise<void>)[] = [];
    try {
      const load = loadavg()
        .map((l) => l.toFixed(1))
        .join(' ');
      progress('starting the nodes and the plain copy');
      const pair = await preparePair(dir, recorder);
      stops.push(() => pair.stop());
      await Promise.all([pair.huzhou.start(), pair.suzhou.start()]);
      const huzhouFiles = join(dirname(pair.huzhou.dbPath), 'files');
      const suzhouFiles = join(dirname(pair.suzhou.dbPath), 'files');
      const plain = await startPlainCopy(huzhouFiles);
      stops.push(() => plain.stop());
      const copies = join(dir, 'plain');
      mkdirSync(copies);
      const submission = { ...(JSON.parse(SUBMISSION) as Record<string, unknown>), body: notification() };
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${pair.apiKey}` };

      /** Uploads `bytes` to Huzhou (not timed); resolves to its upload id and SHA-256. */
      const upload = async (bytes: Uint8Array) => {
        const digest = createHash('sha256').update(bytes).digest('hex');
        const { id } = await tusUpload(pair.huzhou.url, pair.apiKey, bytes, { chunk: 32 * MIB });
        return { id, digest };
      };
      const sides = {
        /** Submits the message with the upload and waits for Suzhou's push; checks Suzhou holds the file. */
        async yrdx(file: { id: string; digest: string }, bytes: number): Promise<number> {
          const started = performance.now();
          const id = await post(
            `${pair.huzhou.url}/v1/messages`,
            headers,
            JSON.stringify({ ...submission, attachments: [{ upload: file.id }] }),
          );
          const at = await recorder.arrival(id, 600_000);
          const held = statSync(blobPath(suzhouFiles, file.digest)).size;
          if (held !== bytes) throw new Error(`bench: Suzhou holds ${held} of ${bytes} bytes`);
          rmSync(blobPath(suzhouFiles, file.digest));
          return at - started;
        },
        /** Copies Huzhou's blob of the same file with the plain server and client. */
        async plain(file: { id: string; digest: string }, bytes: number): Promise<number> {
          const to = join(copies, file.digest);
          const started = performance.now();
          const copied = await plain.copy(`blobs/sha256/${file.digest.slice(0, 2)}/${file.digest}`, to);
          const elapsed = performance.now() - started;
          if (copied !== bytes || statSync(to).size !== bytes)
            throw new Error(`bench: the plain copy has ${copied} of ${bytes} bytes`);
          rmSync(to);
          return elapsed;
        },
      };
      type Side = keyof typeof sides;
      const pids: Record<Side, (number | undefined)[]> = {
        yrdx: [pair.huzhou.pid, pair.suzhou.pid],
        plain: [plain.server.process.pid, plain.client.process.pid],
      };

      progress('warming up (4 MiB each)');
      const small = pdfBytes(4 * MIB, 7);
      const fixed: Record<Side, number> = { yrdx: 0, plain: 0 };
      for (let i = 0; i < 2; i++) {
        small[1000] = i;
        const file = await upload(small);
        // The second warm-up round's times: what a round costs beyond its bytes (mostly).
        fixed.yrdx = await sides.yrdx(file, small.length);
        fixed.plain = await sides.plain(file, small.length);
      }

      const bytes = pdfBytes(size, 11);
      const elapsed: Record<Side, number[]> = { yrdx: [], plain: [] };
      const cpu: Record<Side, number[]> = { yrdx: [0, 0, 0], plain: [0, 0, 0] };
      const ratios: number[] = [];
      for (let round = 1; round <= rounds; round++) {
        bytes[1000] = round;
        progress(`round ${round}/${rounds}: uploading ${size / MIB} MiB`);
        const file = await upload(bytes);
        const order: Side[] = round % 2 === 1 ? ['plain', 'yrdx'] : ['yrdx', 'plain'];
        for (const side of order) {
          progress(`round ${round}/${rounds}: ${side}`);
          const meter = cpuMeter(pids[side]);
          elapsed[side].push(await sides[side](file, size));
          for (const [i, used] of meter.stop().entries()) cpu[side][i]! += used;
        }
        ratios.push(elapsed.plain.at(-1)! / elapsed.yrdx.at(-1)!);
      }

      const mibs = (ms: number) => size / MIB / (ms / 1000);
      const total = (side: Side) => (rounds * size) / MIB / (elapsed[side].reduce((s, t) => s + t, 0) / 1000);
      const perRound = (side: Side) => elapsed[side].map((t) => mibs(t).toFixed(0)).join(', ');
      const cpuPerMib = (side: Side, names: [string, string]) =>
        `${names[0]} ${(cpu[side][0]! / ((rounds * size) / MIB)).toFixed(2)} + ${names[1]} ` +
        `${(cpu[side][1]! / ((rounds * size) / MIB)).toFixed(2)} ms`;
      ratios.sort((a, b) => a - b);
      const mid = ratios.length >> 1;
      const median = ratios.length % 2 === 1 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
      return {
        name: this.name,
        figures: [
          { label: `yrdx, ${size / MIB} MiB end to end`, opsPerSecond: total('yrdx'), unit: 'MiB/s' },
          { label: `plain HTTP copy, ${size / MIB} MiB`, opsPerSecond: total('plain'), unit: 'MiB/s' },
        ],
        ratio: median,
        ratioRange: [ratios[0]!, ratios[ratios.length - 1]!],
        target: TARGET,
        notes: [
          `ratio: yrdx throughput ÷ plain copy throughput, median of ${rounds} interleaved rounds ` +
            `(order alternating) after 2 warm-up rounds of 4 MiB; ${size / MIB} MiB PDF, a new one every round` +
            `${quick ? ' (--quick: 64 MiB, 2 rounds)' : ''}; load average ${load} (1/5/15 min) when started`,
          `yrdx: POST /v1/messages on ${HUZHOU} → Suzhou fetched (grant, undici), hashed (SHA-256), ` +
            `fsynced, committed and recorded the file, then pushed the message to its case system; ` +
            `2 child processes, SQLite in ${tmpdir()}`,
          `plain copy: node:http server (fs.createReadStream) → node:http client (fs.createWriteStream, ` +
            `one fsync at the end), 2 other child processes, the same source file and filesystem; no digest, ` +
            `no database, no signatures`,
          `per round MiB/s: yrdx ${perRound('yrdx')}; plain ${perRound('plain')}; a 4 MiB file (last ` +
            `warm-up round) took yrdx ${fixed.yrdx.toFixed(0)} ms, plain ${fixed.plain.toFixed(0)} ms`,
          `CPU per MiB: yrdx ${cpuPerMib('yrdx', ['Huzhou', 'Suzhou'])}; ` +
            `plain ${cpuPerMib('plain', ['server', 'client'])}`,
        ].join('\n  '),
      };
    } finally {
      progress('stopping');
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      await recorder.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export const attachmentBenchmarks: Benchmark[] = [attachmentTransfer];
