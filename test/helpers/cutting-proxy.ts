import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in the test process between a node and one partner (the node's partner URL points at
 * it): it forwards every connection to `127.0.0.1:<target>` and counts the bytes that come back from
 * the partner (`passed`, over all connections). It can cut the connection that carries the byte
 * crossing each of `cutAt` (once per threshold, both sockets destroyed at once, as a broken line
 * does), and slow the answers down to `rate` bytes a second (so that a test can act mid-transfer).
 */
export interface CuttingProxy {
  readonly url: string;
  readonly port: number;
  /** The partner's port on 127.0.0.1; set before the first connection. */
  target: number;
  /** Bytes passed from the partner back to the node, over every connection so far. */
  readonly passed: number;
  /** Connections cut at a threshold. */
  readonly cuts: number;
  /** Connections opened to the proxy. */
  readonly connections: number;
  /** `passed` values at which the carrying connection is cut, once each (ascending). */
  cutAt: number[];
  /** Bytes a second passed back at most; undefined for full speed. */
  rate: number | undefined;
  close(): Promise<void>;
}

export async function startCuttingProxy(
  options: { cutAt?: number[]; rate?: number } = {},
): Promise<CuttingProxy> {
  let passed = 0;
  let cuts = 0;
  let connections = 0;
  let rate = options.rate;
  // The pace is measured from the moment the rate was set (or the first byte after it).
  let paceFrom: { at: number; bytes: number } | undefined;
  const state = { target: 0, cutAt: [...(options.cutAt ?? [])] };
  const open = new Set<Socket>();

  const server = createServer((client) => {
    connections++;
    open.add(client);
    const upstream = createConnection({ host: '127.0.0.1', port: state.target });
    open.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once('close', () => {
      open.delete(client);
      upstream.destroy();
    });
    upstream.once('close', () => {
      open.delete(upstream);
      client.destroy();
    });
    client.on('error', end);
    upstream.on('error', end);
    client.pipe(upstream);
    let resumeTimer: NodeJS.Timeout | undefined;
    upstream.on('data', (chunk: Buffer) => {
      const next = state.cutAt[0];
      if (next !== undefined && passed + chunk.byteLength >= next) {
        // Up to the threshold, then the line breaks.
        const head = chunk.subarray(0, Math.max(0, next - passed));
        passed += head.byteLength;
        state.cutAt.shift();
        cuts++;
        client.write(head);
        end();
        return;
      }
      passed += chunk.byteLength;
      const flowing = client.write(chunk);
      let wait = 0;
      if (rate !== undefined) {
        paceFrom ??= { at: Date.now(), bytes: passed - chunk.byteLength };
        wait = paceFrom.at + ((passed - paceFrom.bytes) / rate) * 1000 - Date.now();
      }
      if (!flowing || wait > 0) {
        upstream.pause();
        let drained = flowing;
        let waited = wait <= 0;
        const go = () => {
          if (drained && waited && !upstream.destroyed) upstream.resume();
        };
        if (!flowing)
          client.once('drain', () => {
            drained = true;
            go();
          });
        if (wait > 0)
          resumeTimer = setTimeout(() => {
            waited = true;
            go();
          }, wait);
      }
    });
    upstream.once('close', () => clearTimeout(resumeTimer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');

  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    get target() {
      return state.target;
    },
    set target(port: number) {
      state.target = port;
    },
    get passed() {
      return passed;
    },
    get cuts() {
      return cuts;
    },
    get connections() {
      return connections;
    },
    get cutAt() {
      return state.cutAt;
    },
    set cutAt(values: number[]) {
      state.cutAt = [...values].sort((a, b) => a - b);
    },
    get rate() {
      return rate;
    },
    set rate(value: number | undefined) {
      rate = value;
      paceFrom = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
