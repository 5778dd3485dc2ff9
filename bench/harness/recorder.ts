import { createServer as createHttpServer } from 'node:http';

/** A message that has not arrived after this long fails the benchmark rather than hang it. */
const ARRIVAL_TIMEOUT_MS = 30_000;

/** Suzhou's case system (and the relay's last hop): notes when each message id arrives. */
export interface Recorder {
  readonly url: string;
  /**
   * Resolves to the arrival time (performance.now()) of `id`, at once if it has arrived already; fails
   * after `timeoutMs` (default 30 s).
   */
  arrival(id: string, timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

export async function startRecorder(): Promise<Recorder> {
  const arrived = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const at = performance.now();
      const id = req.headers['x-yrdx-message-id'];
      res.writeHead(200).end();
      if (typeof id !== 'string') return;
      const waiter = waiting.get(id);
      if (waiter === undefined) arrived.set(id, at);
      else {
        waiting.delete(id);
        waiter(at);
      }
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('bench: the recorder has no port');
  return {
    url: `http://127.0.0.1:${address.port}/case-system`,
    arrival(id, timeoutMs = ARRIVAL_TIMEOUT_MS) {
      const at = arrived.get(id);
      if (at !== undefined) {
        arrived.delete(id);
        return Promise.resolve(at);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`bench: message ${id} did not arrive within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(id, (t) => {
          clearTimeout(timer);
          resolve(t);
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
