import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { expect } from 'vitest';
import { nodeApp } from '../../src/runtime/node/app.js';
import { example, pdfBytes, tusUpload } from '../attachments/helpers.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { adminCredentials, MemoryAudit } from './helpers.js';

export type Tokens = Record<'admin' | 'operator' | 'auditor' | 'expired', string>;

/** A node with its admin API and console served on 127.0.0.1, and the audit entries they write. */
export interface Administered {
  readonly node: LiveNode;
  readonly url: string;
  readonly audit: MemoryAudit;
  readonly server: ServerType;
}

/**
 * Huzhou sends case files to Suzhou (which pulls its messages), both with admin credentials. Suzhou
 * fetches files through `sender`: while `sender.answer` is set, the sender seems to answer every
 * file request with that status (404: the file is refused; 503: the transfer fails until it dies,
 * after two attempts). Everything else goes over real HTTP.
 */
export async function caseFileNodes(dir: string) {
  const sender: { answer: number | undefined } = { answer: undefined };
  const gate: typeof fetch = async (input, init) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (sender.answer !== undefined && /\/v1\/attachments\/[^/]+\/\d+$/.test(new URL(href).pathname))
      return new Response(null, { status: sender.answer });
    return fetch(input, init);
  };
  const [huzhou, suzhou] = (await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj', contractMajors: { 'food-safety': 1 } },
      {
        id: '320500',
        name: '苏州市',
        province: 'js',
        mode: 'pull',
        contractMajors: { 'food-safety': 1 },
        delivery: { maxAttempts: 2 },
        fetch: gate,
      },
    ],
    dir,
  )) as [LiveNode, LiveNode];
  const creds = await adminCredentials(Date.now());
  const administer = async (node: LiveNode): Promise<Administered> => {
    const audit = new MemoryAudit();
    const app = nodeApp(
      { ...node.state, config: { ...node.state.config, admin: creds.admin } },
      node.exchange,
      undefined,
      { audit },
    );
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    return { node, audit, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };
  return {
    sender,
    tokens: creds.tokens as Tokens,
    huzhou: await administer(huzhou),
    suzhou: await administer(suzhou),
    async stop() {
      for (const s of [this.huzhou.server, this.suzhou.server])
        await new Promise<void>((resolve) => s.close(() => resolve()));
      await Promise.all([huzhou.stop(), suzhou.stop()]);
    },
  };
}

/** Uploads `bytes` to Huzhou as `name` and sends them to Suzhou with a message; its id. */
export async function sendFile(
  huzhou: LiveNode,
  bytes: Uint8Array = pdfBytes(300 * 1024 + 7),
  name = '案件材料.pdf',
): Promise<string> {
  const { id } = await tusUpload(huzhou.url, huzhou.apiKey, bytes, { name });
  const res = await huzhou.submit({
    to: '320500',
    domain: 'food-safety',
    type: 'assistance-request',
    body: example('food-safety', 'zj', 'assistance-request'),
    attachments: [{ upload: id }],
  });
  expect(res.status, await res.clone().text()).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

/** Waits until the transfer of message `id`'s files on `node` has status `status`. */
export async function transferIs(node: LiveNode, id: string, status: string): Promise<void> {
  await eventually(async () =>
    (await node.exchange.deps.store.fileFetchJob('330500', id))?.status === status ? true : undefined,
  );
}
