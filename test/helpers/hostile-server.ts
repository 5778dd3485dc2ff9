import { createServer, type Server } from 'node:http';

/**
 * A real HTTP server on 127.0.0.1 that answers outbound calls the way a hostile or broken endpoint
 * would, by path: `/jwks` or `/jwks/NAME` (a JWKS given), `/redirect` or `/redirect/NAME` (302 to the
 * JWKS of that name), `/huge` (50 MB, streamed),
 * `/slow` (headers, then a byte now and then, never finishing), `/html` (a non-JSON page holding
 * `SECRET_MARKER`). It records what it was asked and how much of `/huge` it managed to send.
 */
export interface HostileServer {
  readonly url: string;
  readonly port: number;
  /** Paths requested, in order. */
  readonly requests: string[];
  /** Bytes of `/huge` written before the caller hung up (or all 50 MB). */
  hugeSent(): number;
  /** The JWKS served at `/jwks` (or at `/jwks/NAME`). */
  setJwks(jwks: unknown, name?: string): void;
  close(): Promise<void>;
}

export const SECRET_MARKER = 'internal-only-3f9a';
export const HUGE_BYTES = 50 * 1024 * 1024;

export async function startHostileServer(): Promise<HostileServer> {
  const requests: string[] = [];
  const jwks = new Map<string, unknown>();
  let sent = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '';
    requests.push(path);
    const named = /^\/(jwks|redirect)(?:\/([a-z0-9-]+))?$/.exec(path);
    if (named?.[1] === 'jwks') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(jwks.get(named[2] ?? '') ?? { keys: [] }));
      return;
    }
    if (named?.[1] === 'redirect') {
      res.writeHead(302, { location: named[2] === undefined ? '/jwks' : `/jwks/${named[2]}` }).end();
      return;
    }
    switch (path) {
      case '/huge': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (sent < HUGE_BYTES && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          if (!res.destroyed) res.end();
        };
        res.write('{"keys":[');
        pump();
        return;
      }
      case '/slow': {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"keys":[');
        const timer = setInterval(() => {
          if (res.destroyed) clearInterval(timer);
          else res.write(' ');
        }, 50);
        timers.add(timer);
        res.on('close', () => clearInterval(timer));
        return;
      }
      case '/html':
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(`<html><body>${SECRET_MARKER} admin panel</body></html>`);
        return;
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    requests,
    hugeSent: () => sent,
    setJwks(value, name = '') {
      jwks.set(name, value);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
