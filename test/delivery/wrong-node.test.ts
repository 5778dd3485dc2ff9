import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeApp } from '../../src/runtime/node/app.js';
import { bootNode } from '../../src/runtime/node/boot.js';
import { type RunningExchange, startExchange } from '../../src/runtime/node/exchange.js';
import { cli } from '../helpers/cli.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Issue 18: Huzhou's partner entry for Suzhou points at Shanghai's node (which knows nothing of
 * Huzhou and answers jws_unknown_issuer). With real nodes on 127.0.0.1, the delivery is dead at once
 * with an error naming the node that answered (its /.well-known/yrdx-node), `messages status` shows
 * it with the store searched, `messages requeue` says what to do, and after the address is fixed and
 * the node restarted, the requeued message arrives.
 */
const dir = tempDir('yrdx-wrong-node-');
let huzhou: LiveNode;
let suzhou: LiveNode;
let shanghai: LiveNode;
let restarted: { url: string; exchange: RunningExchange; stop: () => Promise<void> } | undefined;
const file = join(dir, '330500', 'node.json');

/** Boots Huzhou again from its configuration file, as `npm start` after an edit. */
async function restartHuzhou() {
  await restarted?.stop();
  const state = await bootNode(file, { env: {}, now: Date.now });
  const exchange = await startExchange(state, { idleMs: 20 });
  const app = nodeApp(state, exchange);
  const server = await new Promise<{ server: ServerType; url: string }>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ server: s, url: `http://127.0.0.1:${info.port}` }),
    );
  });
  restarted = {
    url: server.url,
    exchange,
    stop: async () => {
      await exchange.stop();
      await new Promise<void>((r) => server.server.close(() => r()));
    },
  };
  return restarted;
}

function setSuzhouUrl(url: string) {
  const config = JSON.parse(readFileSync(file, 'utf8')) as { partners: { id: string; baseUrl: string }[] };
  config.partners.find((p) => p.id === '320500')!.baseUrl = url;
  writeFileSync(file, JSON.stringify(config, null, 2));
}

beforeAll(async () => {
  [huzhou, suzhou] = (await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj', mode: 'pull' },
      { id: '320500', name: '苏州市', province: 'js', mode: 'pull' },
    ],
    dir,
  )) as [LiveNode, LiveNode];
  // Shanghai is a node of another federation: it knows neither Huzhou nor Suzhou.
  [shanghai] = (await startNodes(
    [{ id: '310000', name: '上海市', province: 'sh' }],
    tempDir('yrdx-sh-'),
  )) as [LiveNode];
  await huzhou.stop();
}, patient(30_000));
afterAll(async () => {
  await restarted?.stop();
  await Promise.all([suzhou?.stop(), shanghai?.stop()]);
});

describe('a partner address answered by another node', () => {
  it(
    'is a dead delivery naming that node, explained by status and requeue, and delivered once fixed',
    async () => {
      setSuzhouUrl(shanghai.url);
      const node = await restartHuzhou();
      const body = JSON.parse(
        readFileSync('contracts/food-safety/2.0.0/dialects/zj/examples/notification.json', 'utf8'),
      ) as Record<string, unknown>;
      const submitted = await fetch(`${node.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${huzhou.apiKey}` },
        body: JSON.stringify({ to: '320500', domain: 'food-safety', type: 'notification', body }),
      });
      expect(submitted.status).toBe(202);
      const { id } = (await submitted.json()) as { id: string };

      const delivery = await eventually(
        async () => {
          const view = await node.exchange.deps.store.getOutbound(id);
          const d = view?.deliveries[0];
          return d?.status === 'dead' || d?.status === 'rejected' ? d : undefined;
        },
        15_000,
        'a final delivery',
      );
      // Dead at the first attempt (not retried for hours, not a final rejection): it can be requeued.
      expect(delivery).toMatchObject({ status: 'dead', attempts: 1 });
      expect(delivery.lastError).toContain('partner_wrong_node');
      expect(delivery.lastError).toContain('320500 苏州市');
      expect(delivery.lastError).toContain(shanghai.url);
      expect(delivery.lastError).toContain('310000 上海市');
      expect(delivery.lastError).toContain('partners[].baseUrl');

      const status = await cli(['messages', 'status', '--config', file, id]);
      expect(status.status).toBe(0);
      expect(status.stdout).toContain('320500 苏州市');
      expect(status.stdout).toContain('死信');
      expect(status.stdout).toContain('由节点 310000 上海市 应答');
      expect(status.stdout).toContain(join(dir, '330500', 'yrdx.sqlite'));
      expect(status.stdout).toContain('（北京时间）');

      // Fixed and restarted: the requeue delivers it.
      setSuzhouUrl(suzhou.url);
      const fixed = await restartHuzhou();
      const requeued = await cli(['messages', 'requeue', '--config', file, id]);
      expect(requeued.stdout).toContain('已为 320500 苏州市 重新投递');
      expect(requeued.status).toBe(0);
      await eventually(
        async () => {
          const view = await fixed.exchange.deps.store.getOutbound(id);
          return view?.deliveries[0]?.status === 'delivered' ? true : undefined;
        },
        15_000,
        'the delivery after the fix',
      );

      // Nothing dead any more: requeue says what state the delivery is in, in either language.
      await fixed.stop();
      restarted = undefined;
      const again = await cli(['messages', 'requeue', '--config', file, id]);
      expect(again.status).toBe(1);
      expect(again.stdout).toContain('没有可重新投递的死信');
      expect(again.stdout).toContain('320500 苏州市：已投递');
      expect(again.stdout).toContain('无需重新投递');
      const english = await cli(['messages', 'requeue', '--config', file, id], { env: { YRDX_LANG: 'en' } });
      expect(english.stdout).toContain('320500 Suzhou: delivered');
      expect(english.stdout).toContain('(Beijing time, UTC+8)');
      expect(english.stdout).not.toMatch(/[\u4e00-\u9fff]/);
    },
    patient(60_000),
  );

  it('names the store and configuration it searched for an unknown message', async () => {
    const result = await cli(['messages', 'status', '--config', file, '01JUNKNOWNMESSAGE0000000000']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('message_not_in_store');
    expect(result.stderr).toContain(join(dir, '330500', 'yrdx.sqlite'));
    expect(result.stderr).toContain(file);
    const requeue = await cli(['messages', 'requeue', '--config', file, '01JUNKNOWNMESSAGE0000000000'], {
      env: { YRDX_LANG: 'en' },
    });
    expect(requeue.stderr).toContain('holds no message');
    expect(requeue.stderr).toContain(file);
  });
});
