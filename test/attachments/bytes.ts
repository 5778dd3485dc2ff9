/** Ids, keys and bodies for the blob store suites (Web APIs only: they run in workerd too). */
export const HOSTILE_PART_IDS = [
  '',
  '../x',
  'up-../../../../x',
  'up-0123456789/../../x',
  'up-0123456789\\..\\x',
  'up-0123456789\0',
  '/etc/passwd',
  'up-0123456789/',
  'UP-0123456789',
  'up-0123456789\n',
];
export const HOSTILE_BLOB_KEYS = [
  '',
  'sm3:../..',
  '../x',
  `${'a'.repeat(63)}`,
  `${'A'.repeat(64)}`,
  `sha256:${'a'.repeat(64)}`,
  `sm3:${'a'.repeat(63)}/`,
  `${'a'.repeat(64)}/../../x`,
  `${'a'.repeat(64)}\n`,
];

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
}
export const partId = (): string => `t-${randomHex(10)}`;
export const blobKey = (prefix: '' | 'sm3:' = ''): string => prefix + randomHex(32);

/** `n` bytes that differ by `seed` and are not periodic at any power of two. */
export function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A stream of the chunks given; an Error among them breaks the stream there. */
export function streamOf(...items: (Uint8Array | Error)[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = items.shift();
      if (next === undefined) controller.close();
      else if (next instanceof Error) controller.error(next);
      else controller.enqueue(next);
    },
  });
}

/** Bytes `[from, to)` of a long generated body, made as they are pulled (never whole in memory). */
export function generated(
  from: number,
  to: number,
  hasher: { update(c: Uint8Array): void },
): ReadableStream<Uint8Array> {
  let at = from;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (at >= to) return controller.close();
        const n = Math.min(to - at, 16_384 + (at % 7919));
        const chunk = new Uint8Array(n);
        for (let i = 0; i < n; i++) chunk[i] = ((at + i) * 31 + ((at + i) >>> 11)) & 0xff;
        hasher.update(chunk);
        at += n;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
}

export async function* iterate(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of iterate(stream)) parts.push(c);
  return concat(...parts);
}
