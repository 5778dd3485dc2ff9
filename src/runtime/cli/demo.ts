import { parseArgs } from 'node:util';
import { demoText } from '../node/demo/report.js';
import { runDemo } from '../node/demo.js';
import { type Io, language } from './output.js';

/**
 * `yrdx demo [--json] [--keep]`: four cities on 127.0.0.1 exchanging every message type of the four
 * domains, printed hop by hop. Exits 1 when a message failed a hop. With `--keep` the cities keep
 * running until Ctrl-C.
 */
export async function demoCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, keep: { type: 'boolean' } },
  });
  const abort = new AbortController();
  const interrupt = () => abort.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    const summary = await runDemo({
      out: (line) => io.out(`${line}\n`),
      json: values.json ?? false,
      keep: values.keep ?? false,
      lang: language(io.env),
      signal: abort.signal,
    });
    if (summary.federation !== undefined) {
      if (!values.json) io.out(`${demoText(language(io.env), 'stop')}\n`);
      if (!abort.signal.aborted)
        await new Promise((resolve) => abort.signal.addEventListener('abort', resolve));
      await summary.federation.stop();
    }
    if (abort.signal.aborted && summary.federation === undefined) return 130;
    return summary.ok ? 0 : 1;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}
