import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeApp } from '../../src/runtime/node/app.js';
import { adminCredentials } from '../admin/helpers.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';
import { launchChromium } from './browser.js';

/**
 * The console shows a thread's workflow as a timeline of states, in 简体中文 and in English
 * (issue 17): Huzhou transfers a case to Suzhou, Suzhou accepts it, and Huzhou's console lists the
 * thread with Suzhou's state and shows the thread's page with every transition.
 */
const dir = tempDir('yrdx-console-workflow-');
const SHOTS = process.env.YRDX_SCREENSHOTS === '1' ? 'docs/console' : join(dir, 'shots');
const example = (dialect: string, type: string) =>
  JSON.parse(
    readFileSync(`contracts/food-safety/2.1.0/dialects/${dialect}/examples/${type}.json`, 'utf8'),
  ) as unknown;

let nodes: LiveNode[] = [];
let server: ServerType;
let url = '';
let browser: Browser;
let token = '';
let thread = '';

beforeAll(async () => {
  nodes = await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj' },
      { id: '320500', name: '苏州市', province: 'js' },
    ],
    dir,
  );
  const [huzhou, suzhou] = nodes as [LiveNode, LiveNode];
  const creds = await adminCredentials(Date.now());
  token = creds.tokens.operator;
  const app = nodeApp(
    { ...huzhou.state, config: { ...huzhou.state.config, admin: creds.admin } },
    huzhou.exchange,
  );
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sent = await huzhou.submit({
    to: '320500',
    domain: 'food-safety',
    type: 'case-transfer',
    body: example('zj', 'case-transfer'),
  });
  expect(sent.status, await sent.clone().text()).toBe(202);
  const request = (await sent.json()) as { id: string; thread: string };
  thread = request.thread;
  await eventually(async () => ((await suzhou.exchange.deps.store.getThread(thread)) ? true : undefined));
  const answer = await suzhou.submit({
    to: '330500',
    domain: 'food-safety',
    type: 'case-acceptance',
    inReplyTo: request.id,
    body: example('js', 'case-acceptance'),
  });
  expect(answer.status, await answer.clone().text()).toBe(202);
  await eventually(async () =>
    (await huzhou.exchange.deps.store.getThread(thread))?.status === 'closed' ? true : undefined,
  );
  browser = await launchChromium();
}, patient(60_000));

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  for (const n of nodes) await n.stop();
});

async function signedIn(width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${url}/console/sign-in`);
  await page.fill('#token', token);
  await page.click('button[type=submit]');
  await page.waitForURL(`${url}/console/overview`);
  return page;
}

describe('a thread’s workflow in the console', () => {
  it(
    'shows the timeline of states in 简体中文 and in English',
    async () => {
      const page = await signedIn(1280);
      await page.goto(`${url}/console/threads/${encodeURIComponent(thread)}?lang=zh-CN`);
      const zh = await page.textContent('main');
      expect(zh).toContain('案件移送');
      expect(zh).toContain('状态时间线');
      expect(zh).toContain('待受理');
      expect(zh).toContain('已受理');
      expect(zh).toContain('受理答复');
      expect(zh).toContain('已办结');
      // The timeline: the request, then Suzhou's acceptance, each with its message.
      const items = await page.locator('ol.timeline li').allTextContents();
      expect(items).toHaveLength(2);
      expect(items[0]).toContain('320500');
      expect(items[1]).toMatch(/待受理 → 已受理/);
      await page.screenshot({ path: join(SHOTS, 'thread-timeline.png'), fullPage: true });

      await page.goto(`${url}/console/threads/${encodeURIComponent(thread)}?lang=en`);
      const en = await page.textContent('main');
      expect(en).toContain('case transfer');
      expect(en).toContain('Timeline of states');
      expect(en).toContain('awaiting acceptance → accepted');
      expect(en).toContain('settled');
      expect(en).not.toMatch(/[待已受理]/);
      await page.screenshot({ path: join(SHOTS, 'thread-timeline-en.png'), fullPage: true });
    },
    patient(60_000),
  );
});
