import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Language } from '../../vocabulary/language.js';
import { cityLabel } from '../../vocabulary/regions.js';
import { urlPort } from '../node/listen-port.js';
import { say } from './federation-text.js';
import { type Io, language, UsageError } from './output.js';

/** What `init` writes and `up` reads: the members and their configuration files. */
export const MANIFEST = 'federation.json';

export interface Manifest {
  readonly version: 1;
  readonly nodes: readonly { readonly id: string; readonly config: string }[];
}

/** How long a node may take from its start to a ready `/readyz`. */
const READY_SECONDS = 60;

/** The manifest `init` wrote into `dir`, or undefined when there is none. */
export function readManifest(dir: string): Manifest | undefined {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

interface Member {
  readonly id: string;
  readonly configFile: string;
  readonly url: string;
  readonly log: string;
}

/**
 * `yrdx federation up`: one `node dist/src/runtime/node.js` per member, with `YRDX_CONFIG` and the
 * `PORT` of its `publicUrl`. The nodes run in their own process group, so a Ctrl+C reaches them once,
 * through this command; they also stop by themselves when this command is killed outright
 * (`YRDX_STOP_WITH_PARENT`). The promise settles when every node has exited: 0 after a signal, 1 when
 * a node exited on its own or was not ready in time.
 */
export async function federationUp(args: string[], io: Io): Promise<number> {
  const lang = language(io.env);
  const { values } = parseArgs({ args, options: { dir: { type: 'string', default: 'federation' } } });
  const dir = resolve(values.dir);
  const shown = relative(process.cwd(), dir) || '.';
  const manifest = readManifest(dir);
  if (manifest === undefined)
    throw new UsageError(say(lang, 'noFederation', { dir: shown, file: join(shown, MANIFEST) }));
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const members: Member[] = manifest.nodes.map((n) => {
    const configFile = resolve(dir, n.config);
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as { publicUrl: string };
    return {
      id: n.id,
      configFile,
      url: config.publicUrl.replace(/\/+$/, ''),
      log: join(dir, 'logs', `${n.id}.log`),
    };
  });
  io.out(`${say(lang, 'starting', { count: members.length, logs: join(shown, 'logs') })}\n`);
  return supervise(members, io, lang);
}

function supervise(members: readonly Member[], io: Io, lang: Language): Promise<number> {
  const entry = nodeEntry();
  const running = new Map<ChildProcess, Member>();
  let stopping = false;
  let status = 0;
  return new Promise<number>((settle) => {
    const stopAll = (signal: NodeJS.Signals) => {
      for (const child of running.keys()) child.kill(signal);
    };
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        stopAll('SIGKILL');
        return;
      }
      stopping = true;
      io.err(`${say(lang, 'stopping', { signal })}\n`);
      stopAll(signal);
    };
    const finish = () => {
      if (running.size > 0) return;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      io.err(`${say(lang, 'stopped')}\n`);
      settle(status);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    for (const member of members) {
      const log = openSync(member.log, 'a');
      const child = spawn(process.execPath, [entry], {
        env: {
          ...io.env,
          YRDX_CONFIG: member.configFile,
          PORT: String(urlPort(new URL(member.url))),
          YRDX_STOP_WITH_PARENT: '1',
        },
        stdio: ['ignore', log, log],
        detached: true,
      });
      closeSync(log);
      running.set(child, member);
      child.once('exit', (code, signal) => {
        running.delete(child);
        if (!stopping) {
          stopping = true;
          status = 1;
          const city = cityLabel(member.id, lang);
          io.err(`${say(lang, 'died', { city, status: code ?? signal ?? '?', log: member.log })}\n`);
          io.err(tail(member.log));
          stopAll('SIGTERM');
        }
        finish();
      });
    }

    void Promise.all(
      members.map((m) => whenReady(m.url, Date.now() + READY_SECONDS * 1000, () => stopping)),
    ).then((ready) => {
      if (stopping) return;
      const late = members.find((_, i) => !ready[i]);
      if (late !== undefined) {
        stopping = true;
        status = 1;
        const city = cityLabel(late.id, lang);
        io.err(`${say(lang, 'notReady', { city, seconds: READY_SECONDS, log: late.log })}\n`);
        stopAll('SIGTERM');
        return;
      }
      for (const m of members)
        io.out(
          `${say(lang, 'ready', { city: cityLabel(m.id, lang), url: m.url, inbox: `${m.url}/v1/inbox` })}\n`,
        );
      io.out(`${say(lang, 'allReady', { count: members.length })}\n`);
    });
  });
}

/** `node.js` beside this module once built; from the sources (tsx, tests), the built one. */
function nodeEntry(): string {
  const beside = fileURLToPath(new URL('../node.js', import.meta.url));
  return existsSync(beside)
    ? beside
    : fileURLToPath(new URL('../../../dist/src/runtime/node.js', import.meta.url));
}

/** Polls `/readyz` until it answers 200 (true), the deadline passes or `gaveUp` (false). */
async function whenReady(url: string, deadline: number, gaveUp: () => boolean): Promise<boolean> {
  while (Date.now() < deadline && !gaveUp()) {
    if ((await readyz(`${url}/readyz`)) === 200) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

function readyz(url: string): Promise<number> {
  return new Promise((done) => {
    const request = get(url, { agent: false, timeout: 2000 }, (response) => {
      response.resume();
      done(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => done(0));
  });
}

/** The last lines of a node's log, indented, for the line that says it exited. */
function tail(file: string): string {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-5);
  return lines.map((l) => `  ${l.slice(0, 400)}\n`).join('');
}
