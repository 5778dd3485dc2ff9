// The load generator: this process posts the benchmark document as a local system would, closed-loop
// (a fixed number in flight) or open-loop (a fixed rate whatever the answers).
import { Agent, request } from 'undici';
import type { Recorder } from './recorder.js';
import type { Run } from './stats.js';

/** Messages in the system at once in the closed-loop runs. */
export const CONCURRENCY = 32;

/** The connection pool of this process's submissions (to a node or to the first relay hop). */
const CLIENT = new Agent({ connections: 64, keepAliveTimeout: 10_000 });

/**
 * POSTs `body` and resolves to the `id` of the 202 answer. A request that fails on the network is
 * sent once more (a kept-alive connection may be closed by the server just as it is reused).
 */
export async function post(url: string, headers: Record<string, string>, body: string): Promise<string> {
  // undici's request, as the nodes use: the load generator shares the machine's two cores with the
  // processes it measures, and fetch would spend several times the CPU per call.
  const send = () =>
    request(url, { method: 'POST', headers, body, dispatcher: CLIENT, signal: AbortSignal.timeout(10_000) });
  const res = await send().catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 'ECONNRESET') return send();
    throw error;
  });
  const text = await res.body.text();
  if (res.statusCode !== 202)
    throw new Error(`bench: POST ${url} answered ${res.statusCode}: ${text.slice(0, 2000)}`);
  return (JSON.parse(text) as { id: string }).id;
}

export async function warmUp(
  submit: () => Promise<string>,
  recorder: Recorder,
  quick: boolean,
): Promise<void> {
  await closedLoop(submit, recorder, quick ? 100 : 500, CONCURRENCY);
}

/** `count` messages, `concurrency` in the system at once: each sender posts its next on arrival. */
export async function closedLoop(
  submit: () => Promise<string>,
  recorder: Recorder,
  count: number,
  concurrency: number,
): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const t0 = performance.now();
        const at = await recorder.arrival(await submit());
        latencies.push(at - t0);
      }
    }),
  );
  return { messages: count, elapsedMs: performance.now() - started, latencies };
}

/** `count` messages posted at `perSecond` (in batches every 5 ms) whatever the answers; latency only. */
export async function openLoop(
  submit: () => Promise<string>,
  recorder: Recorder,
  perSecond: number,
  count: number,
): Promise<Run & { readonly offered: number }> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let failure: unknown;
  let sent = 0;
  const one = async () => {
    const t0 = performance.now();
    try {
      latencies.push((await recorder.arrival(await submit())) - t0);
    } catch (error) {
      failure ??= error;
    }
  };
  const started = performance.now();
  let lastSend = started;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(count, Math.floor(((performance.now() - started) * perSecond) / 1000) + 1);
      for (; sent < due; sent++) pending.push(one());
      lastSend = performance.now();
      if (sent >= count) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 5);
    tick();
  });
  await Promise.all(pending);
  if (failure !== undefined) throw failure;
  const elapsedMs = performance.now() - started;
  return { messages: count, elapsedMs, latencies, offered: (count - 1) / ((lastSend - started) / 1000) };
}
