import { createCipheriv, createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CuttingProxy } from './cutting-proxy.js';
import { type DeliverySettings, type NodeProcess, prepareNodes, ROOT } from './node-process.js';
import { patient } from './patience.js';

/**
 * Case files between real node processes (test/attachments/big-*.test.ts, kill-*.test.ts): Huzhou
 * (330500) sends, Suzhou (320500) receives and its case system pulls; Suzhou reaches Huzhou through
 * a proxy in the test process. Files are generated as they are sent (never held in memory), their
 * SHA-256 computed on the way.
 */

export const MiB = 1024 * 1024;

/**
 * Prepares Huzhou and Suzhou as processes (not started): Suzhou's partner URL for Huzhou is the
 * proxy's, its case system pulls, both accept files up to `maxFileBytes`, and transfers stall out
 * after `stallTimeoutMs`.
 */
export async function fileNodes(
  dir: string,
  proxy: CuttingProxy,
  options: {
    readonly pushUrl: string;
    readonly delivery?: DeliverySettings;
    readonly maxFileBytes: number;
    readonly stallTimeoutMs?: number;
  },
): Promise<{ huzhou: NodeProcess; suzhou: NodeProcess }> {
  const [huzhou, suzhou] = (await prepareNodes(
    [
      {
        id: '330500',
        name: '湖州市',
        province: 'zj',
        pushUrl: options.pushUrl,
        ...(options.delivery === undefined ? {} : { delivery: options.delivery }),
      },
      {
        id: '320500',
        name: '苏州市',
        province: 'js',
        pushUrl: options.pushUrl,
        partnerUrls: { '330500': proxy.url },
        ...(options.delivery === undefined ? {} : { delivery: options.delivery }),
      },
    ],
    dir,
  )) as [NodeProcess, NodeProcess];
  proxy.target = huzhou.port;
  for (const node of [huzhou, suzhou]) {
    const config = JSON.parse(readFileSync(node.configFile, 'utf8'));
    config.attachments = {
      maxFileBytes: options.maxFileBytes,
      ...(options.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: options.stallTimeoutMs }),
    };
    if (node === suzhou) config.localSystems[0].delivery = { mode: 'pull' };
    writeFileSync(node.configFile, JSON.stringify(config, null, 2));
  }
  return { huzhou, suzhou };
}

/** A food-safety assistance request in Huzhou's (Zhejiang) dialect. */
export const ASSISTANCE_REQUEST = JSON.parse(
  readFileSync(
    join(ROOT, 'contracts/food-safety/2.0.0/dialects/zj/examples/assistance-request.json'),
    'utf8',
  ),
) as Record<string, unknown>;

/**
 * `size` deterministic pseudo-random bytes (AES-128-CTR over zeros, seeded), starting with a PDF
 * head so that the content check reads application/pdf, made `chunk` bytes at a time; `sha256` is
 * the digest of everything taken so far.
 */
export class GeneratedFile {
  private readonly cipher;
  private readonly hash = createHash('sha256');
  private readonly zeros: Buffer;
  private taken = 0;

  constructor(
    readonly size: number,
    seed = 1,
    private readonly chunk = MiB,
  ) {
    const key = createHash('sha256').update(`yrdx-file-${seed}`).digest();
    this.cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
    this.zeros = Buffer.alloc(chunk);
  }

  /** The next bytes, at most `max` (empty at the end). */
  next(max = this.chunk): Buffer {
    const n = Math.min(max, this.chunk, this.size - this.taken);
    if (n <= 0) return Buffer.alloc(0);
    const out = this.cipher.update(this.zeros.subarray(0, n));
    if (this.taken === 0) {
      const head = Buffer.from(
        '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n',
        'latin1',
      );
      head.copy(out, 0, 0, Math.min(head.length, n));
    }
    this.taken += n;
    this.hash.update(out);
    return out;
  }

  get done(): boolean {
    return this.taken >= this.size;
  }

  /** The SHA-256 of the whole file, once every byte was taken. */
  sha256(): string {
    if (!this.done) throw new Error(`only ${this.taken} of ${this.size} bytes generated`);
    return this.hash.digest('hex');
  }

  /** The next `length` bytes as a pull stream (one tus PATCH body). */
  stream(length: number): ReadableStream<Uint8Array> {
    let left = length;
    return new ReadableStream<Uint8Array>(
      {
        pull: (controller) => {
          if (left <= 0) return controller.close();
          const bytes = this.next(left);
          left -= bytes.byteLength;
          controller.enqueue(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        },
      },
      { highWaterMark: 0 },
    );
  }
}

/** Uploads the generated file to `node` with tus, PATCH by PATCH of `patchBytes`, streamed. */
export async function tusUploadGenerated(
  node: NodeProcess,
  file: GeneratedFile,
  patchBytes: number,
  name = '案件材料.pdf',
): Promise<string> {
  const auth = { authorization: `Bearer ${node.apiKey}`, 'tus-resumable': '1.0.0' };
  const created = await fetch(`${node.url}/v1/uploads`, {
    method: 'POST',
    headers: {
      ...auth,
      'upload-length': String(file.size),
      'upload-metadata': `filename ${Buffer.from(name).toString('base64')}`,
    },
  });
  if (created.status !== 201) throw new Error(`tus create: ${created.status} ${await created.text()}`);
  const location = created.headers.get('location') ?? '';
  for (let offset = 0; offset < file.size; offset += patchBytes) {
    const length = Math.min(patchBytes, file.size - offset);
    const res = await fetch(`${node.url}${location}`, {
      method: 'PATCH',
      headers: {
        ...auth,
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
        'content-length': String(length),
      },
      body: file.stream(length),
      duplex: 'half',
      signal: AbortSignal.timeout(patient(300_000)),
    } as RequestInit);
    if (res.status !== 204) throw new Error(`tus PATCH at ${offset}: ${res.status} ${await res.text()}`);
  }
  return location.split('/').at(-1) ?? '';
}

/** Downloads `href` from `node` as its case system, streaming: size and SHA-256 of what came. */
export async function downloadDigest(
  node: NodeProcess,
  href: string,
): Promise<{ status: number; size: number; sha256: string }> {
  const res = await fetch(`${node.url}${href}`, {
    headers: { authorization: `Bearer ${node.apiKey}` },
    signal: AbortSignal.timeout(patient(300_000)),
  });
  const hash = createHash('sha256');
  let size = 0;
  if (res.body !== null)
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      size += chunk.byteLength;
    }
  return { status: res.status, size, sha256: hash.digest('hex') };
}

export interface PullItem {
  readonly messageId: string;
  readonly attachments: {
    readonly href: string;
    readonly sha256: string;
    readonly name: string;
    readonly size: number;
  }[];
}

/** Suzhou's case system's pull page (the messages delivered to it), or undefined if the node is down. */
export async function pullPage(node: NodeProcess): Promise<PullItem[] | undefined> {
  try {
    const res = await fetch(`${node.url}/v1/inbox/messages`, {
      headers: { authorization: `Bearer ${node.apiKey}` },
      signal: AbortSignal.timeout(5000),
    });
    if (res.status !== 200) {
      await res.body?.cancel();
      return undefined;
    }
    return ((await res.json()) as { items: PullItem[] }).items;
  } catch {
    return undefined;
  }
}

/**
 * Polls the pull page every `intervalMs` until stopped, recording what it saw against the bytes the
 * proxy had passed then: the test asserts that no message showed before its file had passed whole.
 */
export function watchPullPage(node: NodeProcess, proxy: CuttingProxy, intervalMs = 200) {
  const seen: { passed: number; items: number; ids: string[] }[] = [];
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const passed = proxy.passed;
      const items = await pullPage(node);
      if (items !== undefined) seen.push({ passed, items: items.length, ids: items.map((i) => i.messageId) });
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    seen,
    async stop() {
      stopped = true;
      await done;
    },
  };
}

/** The resident set size of process `pid` (VmRSS of /proc/<pid>/status), in bytes. */
export function rssOf(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** Samples `rssOf(pid)` every `intervalMs` until stopped; `mark()` returns the index where a phase starts. */
export function sampleRss(pid: number, intervalMs = 100) {
  const samples: number[] = [];
  const take = () => {
    const rss = rssOf(pid);
    if (rss !== undefined) samples.push(rss);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    samples,
    /** Takes a sample now and returns its index. */
    mark(): number {
      take();
      return samples.length - 1;
    },
    stop: () => clearInterval(timer),
  };
}

export const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;

/** CPU seconds (user + system) process `pid` has used so far (/proc/<pid>/stat), for the time reports. */
export function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
