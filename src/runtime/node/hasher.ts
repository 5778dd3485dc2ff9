import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { HasherFactory, StreamHasher } from '../../attachments/hasher.js';
import { SM3_PREFIX } from '../../envelope/digest.js';

/** Node's native streaming digests (OpenSSL's SHA-256 and SM3), in the kept form, on this thread. */
export const nodeHasher: HasherFactory = (alg) => {
  const h = createHash(alg === 'SM3' ? 'sm3' : 'sha256');
  const prefix = alg === 'SM3' ? SM3_PREFIX : '';
  let bytes = 0;
  return {
    update(chunk) {
      h.update(chunk);
      bytes += chunk.byteLength;
    },
    digest: () => prefix + h.digest('hex'),
    get bytes() {
      return bytes;
    },
  };
};

/** The hashing thread's code: one OpenSSL hash per session id, an acknowledgement per chunk. */
const THREAD = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.t === 'u') {
    let h = hashes.get(m.id);
    if (h === undefined) { h = createHash(m.alg); hashes.set(m.id, h); }
    h.update(m.b);
    parentPort.postMessage({ t: 'a', id: m.id, n: m.b.byteLength });
  } else if (m.t === 'd') {
    const h = hashes.get(m.id) ?? createHash(m.alg);
    hashes.delete(m.id);
    parentPort.postMessage({ t: 'd', id: m.id, hex: h.digest('hex') });
  } else if (m.t === 'x') hashes.delete(m.id);
});
`;

/** A hasher may be this far behind before `ready()` asks the caller to wait. */
const MAX_BEHIND_BYTES = 16 * 1024 * 1024;

interface Session {
  behind: number;
  waiting: (() => void) | undefined;
  done: ((hex: string) => void) | undefined;
  failed: ((error: Error) => void) | undefined;
}

/**
 * Digests computed on a second thread: a case file's bytes are hashed beside their network and disk
 * work instead of after it on the node's one JavaScript thread (SHA-256 or SM3 of a gigabyte is
 * seconds of CPU). Each chunk is copied to the thread; `ready()` holds the caller back when the thread
 * is more than 16 MiB behind, so memory stays bounded. One thread per process, started on first use
 * and never keeping the process alive.
 */
export function threadHasher(): HasherFactory & { close(): Promise<void> } {
  let worker: Worker | undefined;
  let next = 0;
  const sessions = new Map<number, Session>();
  const forget = new FinalizationRegistry<number>((id) => {
    if (sessions.delete(id)) worker?.postMessage({ t: 'x', id });
  });

  const thread = (): Worker => {
    if (worker !== undefined) return worker;
    const w = new Worker(THREAD, { eval: true });
    w.unref();
    w.on('message', (m: { t: string; id: number; n?: number; hex?: string }) => {
      const s = sessions.get(m.id);
      if (s === undefined) return;
      if (m.t === 'a') {
        s.behind -= m.n ?? 0;
        if (s.behind <= MAX_BEHIND_BYTES / 2 && s.waiting !== undefined) {
          const resume = s.waiting;
          s.waiting = undefined;
          resume();
        }
      } else if (m.t === 'd') {
        sessions.delete(m.id);
        s.done?.(m.hex ?? '');
      }
    });
    const fail = (error: Error) => {
      worker = undefined;
      for (const s of sessions.values()) {
        s.failed?.(error);
        s.waiting?.();
      }
      sessions.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`the hashing thread stopped (${code})`)));
    worker = w;
    return w;
  };

  const factory = ((alg) => {
    const id = next++;
    const name = alg === 'SM3' ? 'sm3' : 'sha256';
    const prefix = alg === 'SM3' ? SM3_PREFIX : '';
    const session: Session = { behind: 0, waiting: undefined, done: undefined, failed: undefined };
    sessions.set(id, session);
    let bytes = 0;
    const hasher: StreamHasher = {
      update(chunk) {
        // A copy of exactly these bytes (a chunk may be a view of a larger pooled buffer), moved, not cloned.
        const copy = chunk.slice();
        thread().postMessage({ t: 'u', id, alg: name, b: copy }, [copy.buffer]);
        session.behind += chunk.byteLength;
        bytes += chunk.byteLength;
      },
      digest: () =>
        new Promise<string>((resolve, reject) => {
          session.done = (hex) => resolve(prefix + hex);
          session.failed = reject;
          thread().postMessage({ t: 'd', id, alg: name });
        }),
      ready: () =>
        session.behind <= MAX_BEHIND_BYTES
          ? undefined
          : new Promise<void>((resolve) => {
              session.waiting = resolve;
            }),
      get bytes() {
        return bytes;
      },
    };
    forget.register(hasher, id);
    return hasher;
  }) as HasherFactory & { close(): Promise<void> };
  factory.close = async () => {
    const w = worker;
    worker = undefined;
    await w?.terminate();
  };
  return factory;
}
