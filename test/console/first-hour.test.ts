import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { nodeApp } from '../../src/runtime/node/app.js';
import { adminCredentials, example, MemoryAudit } from '../admin/helpers.js';
import { cli } from '../helpers/cli.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';
import { expectLabelled, launchChromium } from './browser.js';
import { shellWords } from './words.js';

/**
 * The console as an operator meets it in the first hour (issue 18), in a real browser at the widths
 * of office screens, in Chinese and in English: states and labels in the page's language, Beijing
 * times, partners named by city, the evidence command of this very node, a health table that shows
 * every column, the playground's examples and types, no button for a refused contract change, and
 * the local systems with their last activity.
 */

// A space in the node's directory: the evidence command must quote its configuration file.
const dir = tempDir('yrdx-first hour-');
const SHOTS = process.env.YRDX_SCREENSHOTS === '1' ? 'docs/console' : join(dir, 'shots');
const WIDTHS = [1280, 1400, 1920] as const;
const LANGS = ['zh', 'en'] as const;
type Lang = (typeof LANGS)[number];

let nodes: LiveNode[] = [];
let server: ServerType;
let url = '';
let browser: Browser;
let tokens: Record<'admin' | 'operator' | 'auditor' | 'expired', string>;
let sent = '';
const sessions = new Map<string, BrowserContext>();

/** A signed-in browser context of `role` at `width`, its language chosen once (the console remembers it). */
async function signedIn(role: 'admin' | 'auditor', width: number, lang: Lang): Promise<Page> {
  const key = `${role}-${width}-${lang}`;
  let context = sessions.get(key);
  if (context === undefined) {
    context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${url}/console/sign-in?lang=${lang === 'en' ? 'en' : 'zh-CN'}`);
    await page.fill('#token', tokens[role]);
    await page.click('button[type=submit]');
    await page.waitForURL(`${url}/console/overview`);
    await page.close();
    sessions.set(key, context);
  }
  return context.newPage();
}

/** Every column of the table is on screen: nothing scrolls sideways, no header cell leaves the viewport. */
async function expectNoClippedColumns(page: Page, selector: string): Promise<void> {
  const layout = await page.$eval(selector, (table) => {
    const box = table.parentElement as HTMLElement;
    return {
      table: table.scrollWidth,
      container: box.clientWidth,
      page: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      heads: [...table.querySelectorAll('thead th')].map((th) => {
        const r = th.getBoundingClientRect();
        return { text: th.textContent ?? '', left: r.left, right: r.right, width: r.width };
      }),
    };
  });
  expect(layout.table, `${selector} scrolls sideways`).toBeLessThanOrEqual(layout.container);
  expect(layout.page, 'the page scrolls sideways').toBeLessThanOrEqual(layout.viewport);
  for (const head of layout.heads) {
    expect(head.left, `column ${head.text}`).toBeGreaterThanOrEqual(0);
    expect(head.right, `column ${head.text}`).toBeLessThanOrEqual(layout.viewport);
    expect(head.width, `column ${head.text}`).toBeGreaterThan(0);
  }
}

/** A Chinese page holds no English state word; an English page no Chinese character outside data. */
function expectLanguage(text: string, lang: Lang): void {
  if (lang === 'zh') {
    expect(text).not.toMatch(
      /\b(active|closed|open|next|retired|staged|deprecated|delivered|queued|dead|push|pull)\b/,
    );
  } else {
    expect(text).not.toMatch(/[\u4e00-\u9fff]/);
  }
}

const BEIJING = { zh: '（北京时间）', en: '(Beijing time, UTC+8)' } as const;
const CLOCK = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

beforeAll(async () => {
  nodes = await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj' },
      { id: '320500', name: '苏州市', province: 'js', mode: 'pull' },
    ],
    dir,
  );
  const [huzhou, suzhou] = nodes as [LiveNode, LiveNode];
  // Food safety is sent in major 1 here (its 2.x deprecated): 1.0.0 is then the domain's only active version.
  for (const n of nodes) {
    await n.state.lifecycle.deprecate('food-safety', '2.1.0');
    await n.state.lifecycle.deprecate('food-safety', '2.0.0');
  }
  const creds = await adminCredentials(Date.now());
  tokens = creds.tokens;
  const app = nodeApp(
    { ...huzhou.state, config: { ...huzhou.state.config, admin: creds.admin } },
    huzhou.exchange,
    undefined,
    { audit: new MemoryAudit() },
  );
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Huzhou's local system submits to Suzhou, and receives (by push) a request from Suzhou.
  const out = await huzhou.submit({
    to: '320500',
    domain: 'food-safety',
    type: 'assistance-request',
    body: example('food-safety', 'zj', 'assistance-request'),
  });
  expect(out.status).toBe(202);
  sent = ((await out.json()) as { id: string }).id;
  const back = await suzhou.submit({
    to: '330500',
    domain: 'food-safety',
    type: 'assistance-request',
    body: example('food-safety', 'js', 'assistance-request'),
  });
  expect(back.status).toBe(202);
  await eventually(async () => {
    const view = await huzhou.exchange.deps.store.getOutbound(sent);
    const local = (await huzhou.exchange.deps.store.localSystemActivity()).find(
      (a) => a.localSystem === huzhou.localSystem,
    );
    return view?.deliveries.every((d) => d.status === 'delivered') && local?.lastDeliveryAt !== undefined
      ? true
      : undefined;
  });
  browser = await launchChromium();
}, patient(120_000));

afterAll(async () => {
  for (const context of sessions.values()) await context.close();
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  for (const n of nodes) await n.stop();
});

describe('the console in the first hour', { timeout: patient(120_000) }, () => {
  for (const lang of LANGS) {
    for (const width of WIDTHS) {
      it(`shows every column of partner health at ${width} px, in ${lang}, with states, times and cities in the language`, async () => {
        const page = await signedIn('admin', width, lang);
        await page.goto(`${url}/console/overview`);
        await expectNoClippedColumns(page, '#health');
        const heads = await page.locator('#health thead th').allTextContents();
        expect(heads).toContain(lang === 'zh' ? '队列' : 'Queue');
        expect(heads).toContain(lang === 'zh' ? '死信' : 'Dead letters');
        expect(heads.some((h) => h.includes(BEIJING[lang]))).toBe(true);
        const row = await page.locator('#health tbody tr').first().locator('td').allTextContents();
        expect(row[0]).toBe(lang === 'zh' ? '320500 苏州市' : '320500 Suzhou');
        expect(row[1]).toBe(lang === 'zh' ? '正常' : 'active');
        expect(row[2]).toMatch(CLOCK);
        // The whole page: no English state word in Chinese, no Chinese in English (but the node's data).
        const main = (await page.locator('main').textContent()) ?? '';
        expectLanguage(lang === 'en' ? main.replaceAll('湖州市', '') : main, lang);
        await expectLabelled(page);
        if (width !== 1400 && (lang === 'zh' || width === 1280))
          await shot(page, `overview${lang === 'en' ? '-en' : ''}-${width}`);
        await page.close();
      });
    }
  }

  for (const lang of LANGS) {
    for (const width of [1280, 1920]) {
      it(`lists the local systems with their last activity at ${width} px, in ${lang}`, async () => {
        const huzhou = nodes[0]!;
        const page = await signedIn('admin', width, lang);
        await page.goto(`${url}/console/overview`);
        await page.click(`nav a[href="/console/local-systems"]`);
        await page.waitForURL(`${url}/console/local-systems`);
        expect(await page.textContent('h1')).toBe(lang === 'zh' ? '本地系统' : 'Local systems');
        await expectNoClippedColumns(page, '#local-systems');
        const system = huzhou.state.config.localSystems[0]!;
        const cells = await page.locator(`#local-${system.id} td`).allTextContents();
        expect(cells[0]).toContain(system.id);
        expect(cells[1]).toBe(system.dialect);
        expect(cells[2]).toContain(lang === 'zh' ? '推送' : 'push');
        expect(cells[2]).toContain(system.delivery.mode === 'push' ? system.delivery.url : '');
        const activity = (await huzhou.exchange.deps.store.localSystemActivity()).find(
          (a) => a.localSystem === system.id,
        )!;
        expect(cells[6]).toMatch(CLOCK);
        expect(cells[7]).toMatch(CLOCK);
        expect(cells[8]).toBe(String(activity.pending));
        const heads = await page.locator('#local-systems thead th').allTextContents();
        expect(heads[6]).toContain(BEIJING[lang]);
        expectLanguage(((await page.locator('main').textContent()) ?? '').replace(system.name, ''), lang);
        await expectLabelled(page);
        if ((lang === 'zh') === (width === 1280))
          await shot(page, `local-systems${lang === 'en' ? '-en' : ''}-${width}`);
        await page.close();
      });
    }
  }

  it('shows the local systems to an auditor, who reads messages', async () => {
    const page = await signedIn('auditor', 1280, 'zh');
    const response = await page.goto(`${url}/console/local-systems`);
    expect(response?.status()).toBe(200);
    expect(await page.locator('nav a[href="/console/local-systems"]').count()).toBe(1);
    await page.close();
  });

  for (const lang of LANGS) {
    it(`shows the evidence command of this node, which works as written, in ${lang}`, async () => {
      const huzhou = nodes[0]!;
      const page = await signedIn('admin', 1280, lang);
      await page.goto(`${url}/console/messages/${sent}`);
      const command = ((await page.textContent('#evidence-cli')) ?? '').trim();
      const words = shellWords(command);
      expect(words.slice(0, 7)).toEqual([
        'yrdx',
        'evidence',
        'export',
        '--config',
        huzhou.state.configFile,
        '--message',
        sent,
      ]);
      // The directory has a space: the command quotes it for the shell.
      expect(command).toContain(`'${huzhou.state.configFile}'`);
      const out = join(dir, `evidence-${lang}.json`);
      const run = await cli([...words.slice(1, -1), out]);
      expect(run.status, run.stderr).toBe(0);
      expect(existsSync(out)).toBe(true);
      expect((await cli(['evidence', 'verify', out])).status).toBe(0);
      // The timeline: events in the language, Beijing time with its zone, the partner by city.
      const timeline = (await page.locator('ol.timeline').first().textContent()) ?? '';
      expect(timeline).toContain(lang === 'zh' ? '已送达' : 'delivered');
      expect(timeline).toContain(BEIJING[lang]);
      expect(timeline).toContain(lang === 'zh' ? '320500 苏州市' : '320500 Suzhou');
      expectLanguage(timeline, lang);
      if (lang === 'zh') await shot(page, 'evidence-command');
      await page.close();
    });
  }

  it('says, where the runtime passes no configuration file (Workers), that there is no command line', async () => {
    const huzhou = nodes[0]!;
    const creds = await adminCredentials(Date.now());
    // The app as the Worker builds it: the same console, no configuration file to name.
    const app = buildApp({
      config: { ...huzhou.state.config, admin: creds.admin },
      keyring: () => huzhou.state.keyring,
      partners: huzhou.state.partners,
      exchange: huzhou.exchange.deps,
      admin: { contracts: huzhou.state.lifecycle },
    });
    const origin = 'http://node.test';
    const signIn = await app.request(`${origin}/console/sign-in`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: creds.tokens.auditor }).toString(),
    });
    expect(signIn.status).toBe(303);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    for (const lang of LANGS) {
      const page = await app.request(
        `${origin}/console/messages/${sent}?lang=${lang === 'en' ? 'en' : 'zh-CN'}`,
        {
          headers: { cookie, accept: 'text/html' },
        },
      );
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).not.toContain('yrdx evidence export');
      expect(html).toContain(lang === 'zh' ? 'Worker 没有命令行工具' : 'a Worker has no command line');
    }
  });

  for (const lang of LANGS) {
    for (const width of [1280, 1920]) {
      it(`loads an example in the playground and offers only the chosen contract's types at ${width} px, in ${lang}`, async () => {
        const lifecycle = nodes[0]!.state.lifecycle;
        const page = await signedIn('admin', width, lang);
        await page.goto(`${url}/console/playground`);
        await expectLabelled(page);
        for (const id of ['franchise@1.0.0', 'food-safety@1.0.0']) {
          await page.selectOption('#pg-contract', id);
          await page.click(`button:has-text("${lang === 'zh' ? '选择契约' : 'Choose contract'}")`);
          await page.waitForURL(new RegExp(`contract=${encodeURIComponent(id).replace('.', '\\.')}`));
          const [domain = '', version = ''] = id.split('@');
          const offered = await page.$$eval('#pg-type option', (options) =>
            options.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ''),
          );
          expect(offered).toEqual(lifecycle.find(domain, version)!.messageTypes);
        }
        await page.selectOption('#pg-example', 'zj/assistance-request');
        await page.click(`button:has-text("${lang === 'zh' ? '载入示例' : 'Load example'}")`);
        await page.waitForURL(/example=zj%2Fassistance-request/);
        const file = 'contracts/food-safety/1.0.0/dialects/zj/examples/assistance-request.json';
        expect(JSON.parse(await page.inputValue('#pg-document'))).toEqual(
          JSON.parse(readFileSync(file, 'utf8')),
        );
        expect(await page.inputValue('#pg-from')).toBe('zj');
        expect(await page.inputValue('#pg-type')).toBe('assistance-request');
        await page.selectOption('#pg-to', 'js');
        await page.click(`button:has-text("${lang === 'zh' ? '转换' : 'Translate'}")`);
        expect(await page.textContent('#h-result + pre')).toContain('case_no');
        if (width === 1280) await shot(page, `playground-example${lang === 'en' ? '-en' : ''}`);
        await page.close();
      });
    }
  }

  for (const lang of LANGS) {
    for (const width of [1280, 1920]) {
      it(`offers no deprecate button for a domain's only active version at ${width} px, in ${lang}`, async () => {
        const lifecycle = nodes[0]!.state.lifecycle;
        const page = await signedIn('admin', width, lang);
        await page.goto(`${url}/console/contracts`);
        const deprecate = lang === 'zh' ? '弃用' : 'Deprecate';
        const seen = { offered: 0, refused: 0 };
        for (const v of lifecycle.list()) {
          const id = `${v.domain}@${v.version}`;
          const button = page.locator(`button[aria-label="${deprecate} ${id}"]`);
          const onlyActive =
            v.status === 'active' &&
            lifecycle.list().filter((x) => x.domain === v.domain && x.status === 'active').length === 1;
          expect(await button.count(), id).toBe(v.status === 'active' && !onlyActive ? 1 : 0);
          if (v.status === 'active' && !onlyActive) seen.offered++;
          if (onlyActive) {
            seen.refused++;
            const row = page.locator('tr', { hasText: `${v.domain}${v.version}` });
            expect(await row.locator('[data-refused]').getAttribute('data-refused')).toBe(
              'contract_last_active',
            );
          }
        }
        // Both cases are on the page: versions that may be deprecated, and a domain's only one.
        expect(seen.offered).toBeGreaterThan(0);
        expect(seen.refused).toBeGreaterThan(0);
        const statuses = await page.locator('tbody tr td:nth-child(4)').allTextContents();
        expectLanguage(statuses.join(' '), lang);
        await expectNoClippedColumns(page, 'main table');
        if (width === 1280) await shot(page, `contracts${lang === 'en' ? '-en' : ''}`);
        await page.close();
      });
    }
  }
});
