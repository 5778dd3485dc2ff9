import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundedFetch } from '../../src/egress/bounded-fetch.js';
import {
  closedPort,
  type HostileServer,
  HUGE_BYTES,
  SECRET_MARKER,
  startHostileServer,
} from '../helpers/hostile-server.js';

/**
 * The bounded client of the Workers runtime: `fetch` with no redirect followed, the answer read as a
 * stream up to a size, one timeout over the whole call, and the address policy on the URL's host
 * (a Worker cannot resolve names). Run here over Node's `fetch` against a real server.
 */
let server: HostileServer;
beforeAll(async () => {
  server = await startHostileServer();
  server.setJwks({ keys: [] });
});
afterAll(async () => {
  await server.close();
});

const open = { allowPrivateNetworks: true, trustedOrigins: new Set<string>() };

describe('the bounded fetch of the Workers runtime', () => {
  it('returns a redirect as it is, without following it', async () => {
    const call = boundedFetch(fetch, { policy: open });
    const before = server.requests.length;
    const res = await call(`${server.url}/redirect`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/jwks');
    expect(server.requests.slice(before)).toEqual(['/redirect']);
  });

  it('stops reading an answer past its limit', async () => {
    const call = boundedFetch(fetch, { policy: open, maxResponseBytes: 64 * 1024 });
    await expect(call(`${server.url}/huge`)).rejects.toMatchObject({
      name: 'EgressError',
      failure: 'too-large',
    });
    expect(server.hugeSent()).toBeLessThan(HUGE_BYTES);
  });

  it('ends a slow answer after its timeout', async () => {
    const call = boundedFetch(fetch, { policy: open, timeoutMs: 300 });
    const started = Date.now();
    await expect(call(`${server.url}/slow`)).rejects.toMatchObject({
      name: 'EgressError',
      failure: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reads a small answer whole, as fetch would', async () => {
    const call = boundedFetch(fetch, { policy: open });
    const res = await call(`${server.url}/html`, { headers: { accept: 'text/html' } });
    expect(res.ok).toBe(true);
    expect(await res.text()).toContain(SECRET_MARKER);
  });

  it('refuses non-public hosts outside the configured origins, naming no port', async () => {
    const port = await closedPort();
    const call = boundedFetch(fetch, {
      policy: { allowPrivateNetworks: false, trustedOrigins: new Set([server.url]) },
    });
    expect((await call(`${server.url}/jwks`)).status).toBe(200);
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://[::ffff:10.0.0.1]:${port}/`,
      `http://169.254.169.254/latest/meta-data`,
    ]) {
      const error = await call(url).catch((e: Error) => e);
      expect(error, url).toMatchObject({ name: 'EgressError', failure: 'address' });
      expect((error as Error).message).not.toContain(String(port));
    }
    const refused = await boundedFetch(fetch, { policy: open })(`http://127.0.0.1:${port}/`).catch(
      (e: Error) => e,
    );
    expect(refused).toMatchObject({ name: 'EgressError' });
    expect((refused as Error).message).not.toContain(String(port));
  });
});
