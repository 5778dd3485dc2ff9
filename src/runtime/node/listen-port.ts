import { classifyAddress } from '../../egress/ip.js';
import { fill as fillText } from '../../errors/text.js';
import type { Language } from '../../vocabulary/language.js';

/**
 * One source for a node's address: the configuration's `publicUrl`. `PORT` unset: a node whose
 * `publicUrl` is on loopback listens on that URL's port (so a local federation needs no `PORT` at
 * all), any other node on 8787 (behind a proxy, the public port is the proxy's). `PORT` set: it wins,
 * since instances behind a local load balancer share one `publicUrl` and listen on ports of their
 * own — but a node whose loopback `publicUrl` names another port than the one it listens on says so
 * at start, because partners and `/.well-known/yrdx-node` then send to `publicUrl`, not to it.
 */
export const DEFAULT_PORT = 8787;

export const TEXT = {
  zh: {
    portInvalid: 'PORT 应为 0–65535 的端口号，而不是 "{port}"',
    portDiffers:
      '配置文件 {config} 的 publicUrl {publicUrl} 指向本机端口 {expected}，本节点却监听端口 {port}：伙伴节点和 /.well-known/yrdx-node 会把报文发往 {expected}。请删除 PORT（端口取自 publicUrl），或让二者一致。',
  },
  en: {
    portInvalid: 'PORT must be a port number from 0 to 65535, not "{port}"',
    portDiffers:
      'The publicUrl {publicUrl} of {config} names local port {expected}, but this node listens on port {port}: partners and /.well-known/yrdx-node send messages to {expected}. Unset PORT (the port then comes from publicUrl) or make the two agree.',
  },
} as const satisfies { zh: Record<TextKey, string>; en: Record<TextKey, string> };
type TextKey = 'portInvalid' | 'portDiffers';

export function fill(
  lang: Language,
  key: TextKey,
  params: Readonly<Record<string, string | number>>,
): string {
  return fillText(TEXT[lang][key], params, lang);
}

/** Whether a URL's host is this machine (127.0.0.0/8, ::1, localhost). */
export function onLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || classifyAddress(host) === 'loopback';
}

/** The port a URL names, written or implied by its scheme. */
export function urlPort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** `PORT` as a number when it is set; a wrong value stops the node before anything else. */
export function portFromEnv(env: NodeJS.ProcessEnv, lang: Language): number | undefined {
  const raw = env.PORT;
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!/^\d{1,5}$/.test(raw) || port > 65535) throw new Error(fill(lang, 'portInvalid', { port: raw }));
  return port;
}

/** The port to listen on: `PORT` when set, else a loopback `publicUrl`'s port, else 8787. */
export function listenPort(publicUrl: string, fromEnv: number | undefined): number {
  if (fromEnv !== undefined) return fromEnv;
  const url = new URL(publicUrl);
  return onLoopback(url) ? urlPort(url) : DEFAULT_PORT;
}

/** The start-up warning when a loopback `publicUrl` names another port than the one listened on. */
export function addressWarning(
  publicUrl: string,
  listening: number,
  configFile: string,
  lang: Language,
): string | undefined {
  const url = new URL(publicUrl);
  if (!onLoopback(url) || urlPort(url) === listening) return undefined;
  return fill(lang, 'portDiffers', {
    config: configFile,
    publicUrl,
    expected: urlPort(url),
    port: listening,
  });
}
