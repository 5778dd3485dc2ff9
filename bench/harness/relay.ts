// The baseline of the exchange benchmark: the same HTTP hops as two yrdx nodes, by two minimal
// processes (relay.mjs) that forward the same bytes without sealing, translation or persistence.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { post } from './load.js';
import { SUBMISSION } from './pair.js';
import { type Child, sleep, startChild } from './processes.js';
import type { Recorder } from './recorder.js';

const RELAY = fileURLToPath(new URL('./relay.mjs', import.meta.url));

export interface Relay {
  readonly a: { url: string; child: Child };
  readonly b: { url: string; child: Child };
  /** Submits the benchmark document to hop A, as Huzhou's case system does to Huzhou. */
  submit(): Promise<string>;
  stop(): Promise<void>;
}

/** The two hops of a relay in front of `recorder`, signing as relay.mjs describes when `signing`. */
export async function startRelay(recorder: Recorder, signing: boolean): Promise<Relay> {
  const pem = (key: KeyObject) =>
    key.export({ type: key.type === 'private' ? 'pkcs8' : 'spki', format: 'pem' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = generateKeyPairSync('ed25519');
  const keys = (own: KeyObject, peer: KeyObject): Record<string, string> =>
    signing ? { SIGN: '1', OWN_KEY: String(pem(own)), PEER_KEY: String(pem(peer)) } : {};
  const b = await startHop('b', recorder.url, keys(ed.privateKey, ec.publicKey));
  const a = await startHop('a', `${b.url}/v1/inbox`, keys(ec.privateKey, ed.publicKey));
  return {
    a,
    b,
    submit: () => post(`${a.url}/v1/messages`, { 'content-type': 'application/json' }, SUBMISSION),
    stop: async () => {
      await Promise.all([a.child.stop(), b.child.stop()]);
    },
  };
}

async function startHop(
  role: 'a' | 'b',
  next: string,
  env: Record<string, string>,
): Promise<{ url: string; child: Child }> {
  const child = startChild([RELAY], { ...env, ROLE: role, NEXT: next });
  const until = Date.now() + 10_000;
  for (;;) {
    const port = /port (\d+)/.exec(child.output())?.[1];
    if (port !== undefined) return { url: `http://127.0.0.1:${port}`, child };
    if (child.process.exitCode !== null || Date.now() > until)
      throw new Error(`bench: relay ${role} did not start:\n${child.output()}`);
    await sleep(20);
  }
}
