import type { LogFn } from '../http/env.js';
import type { Worker } from './delivery/worker.js';

/**
 * Drives workers on a loop: while any worker finds work it runs again at once; when all are idle it
 * waits `idleMs`, or less when `wake()` says new work was stored. `stop()` lets the current round finish (in-flight deliveries complete
 * and are recorded) and resolves when the loop has ended.
 */
export function startLoop(
  workers: readonly Worker[],
  options: { readonly idleMs: number; readonly log?: LogFn; readonly sleep?: (ms: number) => Promise<void> },
): { stop(): Promise<void>; wake(): void } {
  let running = true;
  let wake: (() => void) | undefined;
  let pending = false;
  const sleep =
    options.sleep ??
    ((ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }));
  const done = (async () => {
    while (running) {
      let handled = 0;
      for (const w of workers) {
        try {
          handled += await w.runOnce();
        } catch (error) {
          options.log?.('error', 'worker round failed', { err: error });
        }
      }
      if (handled === 0 && running && !pending) await sleep(options.idleMs);
      pending = false;
    }
  })();
  return {
    /** New work was stored: run a round now instead of waiting out the idle pause. */
    wake() {
      pending = true;
      wake?.();
    },
    async stop() {
      running = false;
      wake?.();
      await done;
    },
  };
}
