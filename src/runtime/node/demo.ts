import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Language } from '../../vocabulary/language.js';
import { cityName } from '../../vocabulary/regions.js';
import { CITIES, type Federation, startFederation } from './demo/federation.js';
import { followStep, type MessageResult } from './demo/follow.js';
import { planDemo } from './demo/plan.js';
import { type DemoCounts, demoText, messageJson, messageLine, summaryLines, tally } from './demo/report.js';

export type { MessageResult } from './demo/follow.js';

export interface DemoOptions {
  /** Receives each line of output, without its newline. */
  readonly out: (line: string) => void;
  /** One JSON object per message, then one for the summary, instead of text. */
  readonly json?: boolean;
  /** Where the cities keep their keys and stores; a new temporary folder (removed at the end) by default. */
  readonly dataDir?: string;
  /** Leave the cities running at the end; the summary's `federation.stop()` stops them. */
  readonly keep?: boolean;
  /** Stops the run early (e.g. on Ctrl-C): no further messages are sent, everything is stopped. */
  readonly signal?: AbortSignal;
  /** The language of the text output (default 简体中文). */
  readonly lang?: Language;
  /** How long to wait for each hop of each message (default 20 s). */
  readonly hopTimeoutMs?: number;
}

export interface DemoSummary extends DemoCounts {
  readonly dataDir: string;
  readonly results: readonly MessageResult[];
  /** With `keep`: the running cities (gateway URLs and their local systems' API keys) and how to stop them. */
  readonly federation?: {
    readonly cities: readonly { id: string; name: string; url: string; apiKey: string; mode: string }[];
    stop(): Promise<void>;
  };
}

/** Today plus `days` in China Standard Time, as YYYY-MM-DD. */
const cstDay = (ms: number, days: number) =>
  new Date(ms + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

/**
 * `yrdx demo`: the sample federation (湖州 zj, 苏州 js EdDSA, 上海 sh, 合肥 ah with a pull-mode local
 * system; Suzhou's node also reaches its public-security organ) as real nodes on 127.0.0.1, then every
 * workflow of every domain's contract end to end and every other type once, each in its sender's own
 * dialect, followed hop by hop: submitted → sealed → delivered, receipt verified → translated →
 * delivered locally → the thread's state at both ends. Keys and API keys are generated for
 * the run and live only in the data folder.
 */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const { out, json = false, keep = false, lang = 'zh' } = options;
  const t = (key: Parameters<typeof demoText>[1], params?: Record<string, string | number>) =>
    demoText(lang, key, params);
  const started = performance.now();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'yrdx-demo-'));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const say = (line: string) => {
    if (!json) out(line);
  };
  let federation: Federation | undefined;
  let kept = false;
  try {
    say(t('start', { dir: dataDir }));
    federation = await startFederation(dataDir);
    for (const c of federation.cities) {
      const local = c.spec.mode === 'push' ? t('push', { url: c.localUrl ?? '' }) : t('pull');
      const name = lang === 'en' ? (cityName(c.spec.id, 'en') ?? c.spec.id) : c.spec.name;
      say(
        t('city', {
          name,
          id: c.spec.id,
          dialect: c.spec.province,
          alg: c.spec.algorithm,
          url: c.url,
          local,
        }),
      );
    }
    const cities = new Map(federation.cities.map((c) => [c.spec.id, c]));
    const steps = planDemo(federation.cities[0]!.state.contracts, CITIES, cstDay(Date.now(), 15));
    say(t('sending', { count: steps.length }));
    say('');
    const names = new Map(
      CITIES.map((c) => [c.id, lang === 'en' ? (cityName(c.id, 'en') ?? c.id) : c.short]),
    );
    const results: MessageResult[] = [];
    for (const step of steps) {
      if (options.signal?.aborted) break;
      const result = await followStep(step, cities, results, options.hopTimeoutMs ?? 20_000);
      results.push(result);
      out(json ? messageJson(result) : messageLine(result, names, lang));
    }
    const counts = tally(results, CITIES, Math.round(performance.now() - started));
    const ok = counts.ok && results.length === steps.length;
    const summary: DemoSummary = { ...counts, ok, dataDir, results };
    if (json) out(JSON.stringify({ summary: { ...counts, ok, dataDir } }));
    else for (const line of summaryLines({ ...counts, ok }, lang)) out(line);
    if (keep && !options.signal?.aborted) {
      const running = federation;
      const list = running.cities.map((c) => ({
        id: c.spec.id,
        name: c.spec.name,
        url: c.url,
        apiKey: c.apiKey,
        mode: c.spec.mode,
      }));
      if (json) out(JSON.stringify({ federation: list }));
      say('');
      say(t('keep'));
      for (const c of list) say(t('keepCity', { name: c.name, url: c.url, key: c.apiKey }));
      say(
        `  curl -s -H "Authorization: Bearer ${list[0]!.apiKey}" ${list[0]!.url}/v1/messages/${results[0]?.id ?? 'ID'}`,
      );
      kept = true;
      const stop = async () => {
        await running.stop();
        if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
      };
      return { ...summary, federation: { cities: list, stop } };
    }
    return summary;
  } finally {
    if (!kept) {
      await federation?.stop();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    }
  }
}
