import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

/**
 * The SM2 benchmarks' Worker (bench/gm/worker.ts) bundled and started in workerd (Miniflare). Each
 * call is one request that runs a batch inside the Worker; the benchmarks time the calls from Node,
 * since workerd does not advance its clocks while a request computes.
 */
export interface BenchWorker {
  /** One request with these query parameters; fails unless the Worker answers `ok`. */
  call(query: Record<string, string>): Promise<void>;
  dispose(): Promise<void>;
}

export async function startBenchWorker(): Promise<BenchWorker> {
  const bundle = await build({
    entryPoints: [new URL('./worker.ts', import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // sm-crypto-v2 falls back to `import("crypto")` where globalThis.crypto is missing, never in workerd.
    plugins: [
      {
        name: 'no-node-crypto',
        setup(b) {
          b.onResolve({ filter: /^crypto$/ }, () => ({ path: 'crypto', namespace: 'stub' }));
          b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
            contents: 'export const webcrypto = globalThis.crypto;',
          }));
        },
      },
    ],
  });
  const mf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]!.text,
    compatibilityDate: '2026-05-01',
  });
  return {
    async call(query) {
      const response = await mf.dispatchFetch(`http://bench/?${new URLSearchParams(query)}`);
      const text = await response.text();
      if (text !== 'ok') throw new Error(`workerd ${JSON.stringify(query).slice(0, 80)}: ${text}`);
    },
    dispose: () => mf.dispose(),
  };
}
