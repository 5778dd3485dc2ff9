import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvidence } from '../../src/audit/evidence.js';
import type { ContractFiles } from '../../src/contracts/files.js';
import { nodeApp } from '../../src/runtime/node/app.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { adminCredentials, example, MemoryAudit } from '../admin/helpers.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';
import { expectLabelled, launchChromium } from './browser.js';

const dir = tempDir('yrdx-console-');
// The screenshots in docs/console/ are rewritten only on request (YRDX_SCREENSHOTS=1 npm test), so that
// a test run leaves the checkout as it was; otherwise they are taken into the test's directory.
const SHOTS = process.env.YRDX_SCREENSHOTS === '1' ? 'docs/console' : join(dir, 'shots');
const audit = new MemoryAudit();
let nodes: LiveNode[] = [];
let server: ServerType;
let url = '';
let browser: Browser;
let admin: BrowserContext;
let tokens: Record<'admin' | 'operator' | 'auditor' | 'expired', string>;
let delivered = '';
let dead = '';

/** food-safety 1.1.0 that narrows two canonical fields: two breaking changes for readers of 1.0.0. */
function incompatible(): Record<string, unknown> {
  const files = JSON.parse(
    JSON.stringify(readContractsDir('contracts', { domain: 'food-safety' }).contracts[0]),
  ) as ContractFiles;
  (files.contract as Record<string, unknown>).version = '1.1.0';
  type Schema = { properties?: Record<string, Record<string, unknown>> } & Record<string, unknown>;
  const defs = (files.canonical as { $defs: Record<string, Schema> }).$defs;
  defs.sampling!.properties!.sampleNumber!.minLength = 2;
  defs.riskGrade!.maxLength = 1;
  return { contract: files.contract, canonical: files.canonical, dialects: files.dialects };
}

async function signIn(context: BrowserContext, token: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/console/sign-in`);
  await page.fill('#token', token);
  await page.click('button[type=submit]:has-text("登录")');
  await page.waitForURL(`${url}/console/overview`);
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

beforeAll(async () => {
  nodes = await startNodes(
    [
      // Huzhou gives up on its local system after two attempts: a dead letter to requeue.
      { id: '330500', name: '湖州市', province: 'zj', delivery: { maxAttempts: 2 } },
      { id: '320500', name: '苏州市', province: 'js' },
    ],
    dir,
  );
  const [huzhou, suzhou] = nodes as [LiveNode, LiveNode];
  // These nodes still send food-safety in major 1 (the console is shown managing its minors): the
  // shipped 2.0.0 is deprecated, so 1.x stays the version new messages use.
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
    { audit },
  );
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // A message Huzhou sends and Suzhou really receives (with its receipt back in Huzhou).
  const sent = await huzhou.submit({
    to: '320500',
    domain: 'food-safety',
    type: 'assistance-request',
    body: example('food-safety', 'zj', 'assistance-request'),
  });
  expect(sent.status).toBe(202);
  delivered = ((await sent.json()) as { id: string }).id;
  await eventually(async () => {
    const view = await huzhou.exchange.deps.store.getOutbound(delivered);
    return view?.deliveries.every((d) => d.status === 'delivered') ? true : undefined;
  });

  // Suzhou answers it: a closed thread for the response times on the threads page.
  const reply = await suzhou.submit({
    to: '330500',
    domain: 'food-safety',
    type: 'assistance-reply',
    inReplyTo: delivered,
    body: example('food-safety', 'js', 'assistance-reply'),
  });
  expect(reply.status).toBe(202);
  await eventually(async () => {
    const closed = await huzhou.exchange.deps.store.listThreads({ status: 'closed' });
    return closed.some((th) => th.partner === '320500') ? true : undefined;
  });

  // A message from Suzhou that Huzhou's local system refuses until its delivery is dead.
  huzhou.localStatus = 500;
  const incoming = await suzhou.submit({
    to: '330500',
    domain: 'food-safety',
    type: 'assistance-request',
    body: example('food-safety', 'js', 'assistance-request'),
  });
  expect(incoming.status).toBe(202);
  dead = ((await incoming.json()) as { id: string }).id;
  await eventually(async () => {
    const letters = await huzhou.exchange.deps.store.listDeadLetters({});
    return letters.some((d) => d.messageId === dead) ? true : undefined;
  });
  huzhou.localStatus = 200;

  browser = await launchChromium();
  admin = await browser.newContext({ viewport: { width: 1280, height: 800 } });
}, patient(60_000));

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  for (const n of nodes) await n.stop();
});

describe('the admin console in a browser', () => {
  it('signs in with Tab and Enter only; the session cookie is HttpOnly and SameSite=Strict; strict CSP', async () => {
    const page = await admin.newPage();
    const response = await page.goto(`${url}/console`);
    expect(response?.url()).toBe(`${url}/console/sign-in`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await expectLabelled(page);
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.id === 'token')) break;
    }
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');
    await page.keyboard.type(tokens.admin);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${url}/console/overview`);
    expect(await page.textContent('h1')).toBe('总览');
    const [cookie] = (await admin.cookies()).filter((c) => c.name === 'yrdx_console');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
    expect(cookie?.value).not.toContain(tokens.admin);
    expect(await page.content()).not.toContain(tokens.admin);
    expect(await page.locator('table').first().textContent()).toContain('320500');
    await expectLabelled(page);
    await shot(page, 'overview');
    expect(audit.events).toContainEqual(
      expect.objectContaining({ actor: 'ops-admin', action: 'POST /console/sign-in', outcome: 'allowed' }),
    );
    await page.close();
  });

  it('refuses a wrong token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/console/sign-in`);
    await page.fill('#token', 'not-a-valid-token-at-all-0000');
    await page.click('button[type=submit]');
    expect(await page.textContent('[role=alert]')).toContain('admin_auth_invalid');
    expect(page.url()).toBe(`${url}/console/sign-in`);
    await context.close();
  });

  it('finds a delivered message and shows its timeline, receipt and bodies side by side', async () => {
    const page = await admin.newPage();
    await page.goto(`${url}/console/messages`);
    await expectLabelled(page);
    await page.fill('#f-partner', '320500');
    await page.selectOption('#f-direction', 'outbound');
    await page.click('button:has-text("查询")');
    await page.waitForURL(/partner=320500/);
    await shot(page, 'messages-search');
    await page.click(`a:has-text("${delivered}")`);
    await page.waitForURL(`${url}/console/messages/${delivered}`);
    const timeline = await page.locator('ol.timeline li').allTextContents();
    expect(timeline.join('\n')).toContain('已送达');
    expect(timeline.length).toBeGreaterThanOrEqual(3);
    expect(await page.locator('table').nth(1).textContent()).toContain('sha256:');
    const bodies = await page.locator('.side section h3').allTextContents();
    expect(bodies.some((h) => h.includes('food-safety@1.0.0'))).toBe(true);
    expect(bodies.some((h) => h.includes('zj'))).toBe(true);
    expect(await page.textContent('body')).toContain(`yrdx evidence export`);
    await shot(page, 'message-timeline');
    await page.close();
  });

  it('downloads the evidence bundle of a message, which verifyEvidence accepts', async () => {
    const page = await admin.newPage();
    await page.goto(`${url}/console/messages/${delivered}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a:has-text("下载证据包")'),
    ]);
    expect(download.suggestedFilename()).toBe(`evidence-${delivered}.json`);
    const text = readFileSync(await download.path(), 'utf8');
    const report = await verifyEvidence(text);
    expect(report).toMatchObject({
      node: '330500',
      messageId: delivered,
      direction: 'outbound',
      receipts: 1,
    });
    expect(report.keys.map((k) => k.owner).sort()).toEqual(['320500', '330500']);
    const direct = await admin.request.get(`${url}/console/messages/${delivered}/evidence`);
    expect(direct.headers()['content-disposition']).toBe(`attachment; filename="evidence-${delivered}.json"`);
    // The received message's bundle too, with the partner's key from the registry.
    const inbound = await admin.request.get(`${url}/console/messages/${dead}/evidence`);
    expect((await verifyEvidence(await inbound.text())).direction).toBe('inbound');
    // A request another site starts is refused; an unknown message is a 404 with its reason.
    const crossSite = await admin.request.get(`${url}/console/messages/${delivered}/evidence`, {
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status()).toBe(403);
    const unknown = await admin.request.get(`${url}/console/messages/no-such-message/evidence`);
    expect(unknown.status()).toBe(404);
    expect(await unknown.text()).toContain('evidence_unavailable');
    expect(audit.events).toContainEqual(
      expect.objectContaining({
        actor: 'ops-admin',
        action: `GET /console/messages/${delivered}/evidence`,
        outcome: 'allowed',
        detail: `exported the evidence of message ${delivered}`,
      }),
    );
    expect(audit.events).toContainEqual(
      expect.objectContaining({
        detail: 'csrf_refused',
        status: 403,
        action: expect.stringContaining('/evidence'),
      }),
    );
    await page.close();
  });

  it('requeues a dead letter from the overview; the local system then gets the message', async () => {
    const page = await admin.newPage();
    await page.goto(`${url}/console/overview`);
    const row = page.locator('tr', { hasText: dead });
    await row.locator('button:has-text("重新投递")').click();
    expect(await page.textContent('[role=status]')).toContain('已重新放入投递队列');
    const huzhou = nodes[0]!;
    await eventually(() => huzhou.pushed.find((p) => p.headers['x-yrdx-message-id'] === dead), 10_000);
    expect(audit.events).toContainEqual(
      expect.objectContaining({
        actor: 'ops-admin',
        role: 'admin',
        outcome: 'allowed',
        detail: expect.stringContaining('requeued local delivery'),
      }),
    );
    await page.close();
  });

  it('refuses an incompatible contract version and lists each breaking change', async () => {
    const page = await admin.newPage();
    await page.goto(`${url}/console/contracts`);
    await expectLabelled(page);
    await page.fill('#bundle', JSON.stringify(incompatible()));
    await page.click('button:has-text("上传新版本")');
    const report = page.locator('[role=alert]');
    expect(await report.textContent()).toContain('contract_incompatible');
    const rows = await report.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('/sampling/sampleNumber');
    expect(rows[1]).toContain('/riskGrade');
    expect(await page.locator('table', { hasText: '1.0.0' }).last().textContent()).not.toContain(
      'food-safety1.1.0',
    );
    await shot(page, 'contracts-report');
    await page.close();
  });

  it('uploads a compatible version, activates it, then deprecates it (still read, no longer sent)', async () => {
    const page = await admin.newPage();
    await page.goto(`${url}/console/contracts`);
    const files = JSON.parse(
      JSON.stringify(readContractsDir('contracts', { domain: 'food-safety' }).contracts[0]),
    );
    (files.contract as Record<string, unknown>).version = '1.2.0';
    await page.fill('#bundle', JSON.stringify(files));
    await page.click('button:has-text("上传新版本")');
    await page.click('button[aria-label="启用 food-safety@1.2.0"]');
    expect(await page.textContent('[role=status]')).toContain('已启用：food-safety@1.2.0');
    const row = () => page.locator('tr', { hasText: '1.2.0' });
    expect(await row().textContent()).toContain('已启用');
    // The shipped version runs in the built translation code, and so does this upload: its mappings
    // are those of 1.0.0, so every run of rules has the structure of one built for 1.0.0.
    expect(await row().textContent()).toContain('预生成代码');
    expect(await page.locator('tr', { hasText: 'food-safety1.0.0' }).textContent()).toContain('预生成代码');
    await page.click('button[aria-label="弃用 food-safety@1.2.0"]');
    expect(await page.textContent('[role=status]')).toContain(
      '已弃用（仍可接收，不再用于发送）：food-safety@1.2.0',
    );
    expect(await row().textContent()).toContain('已弃用');
    expect(await page.locator('button[aria-label="启用 food-safety@1.2.0"]').count()).toBe(1);
    const registry = nodes[0]!.state.contracts;
    expect(registry.isDeprecated('food-safety@1.2.0')).toBe(true);
    expect(registry.latest('food-safety')?.version).toBe('1.0.0');
    // Deprecating it again is refused with the lifecycle's reason.
    const csrf = (await page.getAttribute('input[name=_csrf]', 'value')) ?? '';
    const again = await admin.request.post(`${url}/console/contracts/food-safety/1.2.0/deprecate`, {
      form: { _csrf: csrf },
      headers: { origin: url },
    });
    expect(again.status()).toBe(409);
    expect(await again.text()).toContain('contract_state_conflict');
    // The domain's last active version is kept: no button offers it, and a forged request is refused.
    expect(await page.locator('button[aria-label="弃用 food-safety@1.0.0"]').count()).toBe(0);
    expect(
      await page
        .locator('tr', { hasText: 'food-safety1.0.0' })
        .locator('[data-refused]')
        .getAttribute('data-refused'),
    ).toBe('contract_last_active');
    const last = await admin.request.post(`${url}/console/contracts/food-safety/1.0.0/deprecate`, {
      form: { _csrf: csrf },
      headers: { origin: url },
    });
    expect(last.status()).toBe(409);
    expect(await last.text()).toContain('contract_last_active');
    expect(registry.isDeprecated('food-safety@1.0.0')).toBe(false);
    expect(audit.events).toContainEqual(
      expect.objectContaining({ role: 'admin', outcome: 'allowed', detail: 'deprecated food-safety@1.2.0' }),
    );
    await page.close();
  });

  it('translates a document in the playground, and shows each fault with its pointer', async () => {
    const page = await admin.newPage();
    await page.goto(`${url}/console/playground`);
    await expectLabelled(page);
    await page.selectOption('#pg-contract', 'food-safety@1.0.0');
    await page.click('button:has-text("选择契约")');
    await page.waitForURL(/contract=food-safety%401\.0\.0/);
    await page.selectOption('#pg-from', 'zj');
    await page.selectOption('#pg-to', 'js');
    await page.selectOption('#pg-type', 'assistance-request');
    await page.fill(
      '#pg-document',
      JSON.stringify(example('food-safety', 'zj', 'assistance-request'), null, 2),
    );
    await page.click('button:has-text("转换")');
    expect(await page.textContent('#h-result + pre')).toContain('case_no');
    await shot(page, 'playground');
    await page.fill('#pg-document', JSON.stringify({ AJBH: 12 }));
    await page.click('button:has-text("转换")');
    const faults = await page.locator('[role=alert] tbody tr').allTextContents();
    expect(faults.length).toBeGreaterThan(0);
    expect(faults.join('\n')).toContain('/AJBH');
    await page.close();
  });

  it('shows per-partner response times of closed threads on the threads page', async () => {
    const page = await admin.newPage();
    await page.goto(`${url}/console/threads`);
    expect(await page.textContent('#h-response-times')).toBe('各伙伴答复用时');
    const row = page.locator('section[aria-labelledby=h-response-times] tbody tr', { hasText: '320500' });
    expect(await row.count()).toBe(1);
    expect(await row.locator('td').nth(1).textContent()).toBe('1');
    await expectLabelled(page);
    await page.close();
  });

  it('shows what Suzhou publishes: its node id and a key pinned here', async () => {
    const page = await admin.newPage();
    await page.goto(`${url}/console/partners`);
    await page.locator('#partner-320500 a:has-text("对方发布内容")').click();
    await page.waitForURL(`${url}/console/partners/320500/published`);
    expect(await page.textContent('#published-id')).toBe('320500');
    const keys = page.locator('section[aria-labelledby=h-published-keys] tbody tr');
    expect(await keys.count()).toBeGreaterThan(0);
    const pinned = keys.filter({ hasText: '已登记' });
    expect(await pinned.count()).toBeGreaterThan(0);
    const print = [...nodes[0]!.state.partners.get('320500')!.keys.values()][0]!.thumbprint;
    expect(await pinned.first().textContent()).toContain(print);
    await expectLabelled(page);
    await page.close();
  });

  it('switches to English and stays there', async () => {
    const page = await admin.newPage();
    await page.goto(`${url}/console/overview`);
    await page.click('a:has-text("English")');
    expect(await page.textContent('h1')).toBe('Overview');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.click('nav a:has-text("Messages")');
    expect(await page.textContent('h1')).toBe('Search messages');
    await page.click('a:has-text("简体中文")');
    expect(await page.textContent('h1')).toBe('查询报文');
    await page.close();
  });

  it('shows an auditor no operator actions, and refuses a forged requeue with 403', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, tokens.auditor);
    expect(await page.locator('nav').textContent()).not.toContain('数据契约');
    expect(await page.locator('button:has-text("重新投递")').count()).toBe(0);
    await page.goto(`${url}/console/messages/${dead}`);
    expect(await page.locator('button:has-text("重新投递")').count()).toBe(0);
    expect((await page.goto(`${url}/console/contracts`))?.status()).toBe(403);
    // A forged POST with the auditor's own valid anti-forgery token is still refused by role.
    await page.goto(`${url}/console/overview`);
    const csrf = await page.getAttribute('input[name=_csrf]', 'value');
    const store = nodes[0]!.exchange.deps.store;
    const before = await store.listDeadLetters({});
    const target = before[0];
    const forged = await context.request.post(
      `${url}/console/dead-letters/${target?.kind ?? 'local'}/${target?.deliveryId ?? 'any-id'}/requeue`,
      { form: { _csrf: csrf ?? '' }, headers: { origin: url } },
    );
    expect(forged.status()).toBe(403);
    // The refused requeue changed nothing: the same dead letters, if any, are still dead.
    expect(await store.listDeadLetters({})).toEqual(before);
    expect(audit.events).toContainEqual(
      expect.objectContaining({ actor: 'inspector', role: 'auditor', outcome: 'refused', status: 403 }),
    );
    await context.close();
  });

  it('refuses a POST without the anti-forgery token, or from another origin', async () => {
    const page = await admin.newPage();
    await page.goto(`${url}/console/overview`);
    const csrf = (await page.getAttribute('input[name=_csrf]', 'value')) ?? '';
    const post = (form: Record<string, string>, origin: string) =>
      admin.request.post(`${url}/console/playground`, { form, headers: { origin } });
    expect((await post({ contract: 'food-safety@1.0.0', document: '{}' }, url)).status()).toBe(403);
    expect((await post({ _csrf: 'x'.repeat(csrf.length), document: '{}' }, url)).status()).toBe(403);
    expect((await post({ _csrf: csrf, document: '{}' }, 'https://evil.example')).status()).toBe(403);
    expect((await post({ _csrf: csrf, contract: 'food-safety@1.0.0', document: '{}' }, url)).status()).toBe(
      422,
    );
    expect(audit.events.filter((e) => e.detail === 'csrf_refused').length).toBeGreaterThanOrEqual(3);
    await page.close();
  });

  it('lets an operator suspend a partner, but not resume it (no button, forged POST 403)', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await signIn(context, tokens.operator);
    await page.click('nav a:has-text("伙伴与密钥")');
    expect(await page.textContent('h1')).toBe('伙伴与密钥');
    await expectLabelled(page);
    const row = page.locator('#partner-320500');
    expect(await row.textContent()).toContain('正常');
    expect(await row.textContent()).toContain(nodes[0]!.state.partners.get('320500')!.baseUrl);
    await row.locator('button:has-text("暂停")').click();
    expect(await page.textContent('[role=status]')).toContain('已暂停伙伴：320500');
    expect(await page.locator('#partner-320500').textContent()).toContain('已暂停');
    expect(nodes[0]!.state.partners.get('320500')?.status).toBe('suspended');
    // Resuming is for administrators: no button, and a forged POST with a valid token is refused.
    expect(await page.locator('button:has-text("恢复")').count()).toBe(0);
    expect(await page.locator('button:has-text("轮换密钥")').count()).toBe(0);
    expect(await page.locator('#h-add-partner, #p-jwks').count()).toBe(0);
    const csrf = (await page.getAttribute('input[name=_csrf]', 'value')) ?? '';
    const forged = await context.request.post(`${url}/console/partners/320500/resume`, {
      form: { _csrf: csrf },
      headers: { origin: url },
    });
    expect(forged.status()).toBe(403);
    const forgedAdd = await context.request.post(`${url}/console/partners`, {
      form: { _csrf: csrf, id: '310100', name: 'x', baseUrl: 'https://x.example', jwks: '{"keys":[]}' },
      headers: { origin: url },
    });
    expect(forgedAdd.status()).toBe(403);
    expect(nodes[0]!.state.partners.get('310100')).toBeUndefined();
    expect(audit.events).toContainEqual(
      expect.objectContaining({
        actor: 'duty-operator',
        action: 'POST /console/partners',
        outcome: 'refused',
        status: 403,
        detail: 'admin_forbidden',
      }),
    );
    expect(nodes[0]!.state.partners.get('320500')?.status).toBe('suspended');
    expect(audit.events).toContainEqual(
      expect.objectContaining({
        actor: 'duty-operator',
        action: 'POST /console/partners/320500/suspend',
        outcome: 'allowed',
        detail: 'suspended partner 320500',
      }),
    );
    expect(audit.events).toContainEqual(
      expect.objectContaining({
        actor: 'duty-operator',
        action: 'POST /console/partners/320500/resume',
        outcome: 'refused',
        status: 403,
      }),
    );
    await context.close();
  });

  it("lets an admin resume the partner; a rotation with too young a next key is refused with the admin API's reason", async () => {
    const page = await admin.newPage();
    await page.goto(`${url}/console/partners`);
    await page.locator('#partner-320500 button:has-text("恢复")').click();
    expect(await page.textContent('[role=status]')).toContain('已恢复伙伴：320500');
    expect(await page.locator('#partner-320500').textContent()).toContain('正常');
    expect(nodes[0]!.state.partners.get('320500')?.status).toBe('active');
    expect(audit.events).toContainEqual(
      expect.objectContaining({ actor: 'ops-admin', detail: 'resumed partner 320500', outcome: 'allowed' }),
    );
    const keys = await page.locator('#h-keys + div table').textContent();
    expect(keys).toContain('签名密钥');
    expect(keys).toContain('下一密钥');
    const before = nodes[0]!.state.keyring.keys.map((k) => k.kid);
    await page.click('button:has-text("轮换密钥")');
    const refusal = await page.textContent('[role=alert]');
    expect(refusal).toContain('key_rotation_refused');
    expect(refusal).toContain('少于要求的 86400 秒');
    expect(nodes[0]!.state.keyring.keys.map((k) => k.kid)).toEqual(before);
    expect(audit.events).toContainEqual(
      expect.objectContaining({
        actor: 'ops-admin',
        action: 'POST /console/keys/rotate',
        detail: expect.stringContaining('key_rotation_refused'),
      }),
    );
    await expectLabelled(page);
    await shot(page, 'partners');
    await page.close();
  });

  it("lets an admin add a partner, showing the admin API's faults next to the form first", async () => {
    const page = await admin.newPage();
    await page.goto(`${url}/console/partners`);
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const jwks = JSON.stringify({ keys: [{ kty, crv, x, y, kid: 'sh-2026', alg: 'ES256', use: 'sig' }] });
    await page.fill('#p-id', '310000');
    await page.fill('#p-name', '上海市');
    await page.fill('#p-baseUrl', 'ftp://yrdx.shanghai.example');
    await page.fill('#p-maySendDomains', 'food-safety');
    await page.fill('#p-maySendTypes', 'assistance-request, no-such-type');
    await page.fill('#p-jwks', jwks);
    await page.click('section[aria-labelledby=h-add-partner] button:has-text("添加")');
    const faults = await page.textContent('section[aria-labelledby=h-add-partner] [role=alert]');
    expect(faults).toContain('request_invalid');
    expect(faults).toContain('/maySend/types/1');
    expect(nodes[0]!.state.partners.get('310000')).toBeUndefined();
    // The form keeps what was typed; correcting it registers the partner.
    expect(await page.inputValue('#p-name')).toBe('上海市');
    await page.fill('#p-maySendTypes', 'assistance-request');
    await page.fill('#p-baseUrl', 'https://yrdx.shanghai.example');
    await page.click('section[aria-labelledby=h-add-partner] button:has-text("添加")');
    expect(await page.textContent('[role=status]')).toContain('已添加伙伴：310000');
    const row = await page.locator('#partner-310000').textContent();
    expect(row).toContain('上海市');
    expect(row).toContain('https://yrdx.shanghai.example');
    expect(nodes[0]!.state.partners.get('310000')?.keys.has('sh-2026')).toBe(true);
    expect(audit.events).toContainEqual(
      expect.objectContaining({
        actor: 'ops-admin',
        action: 'POST /console/partners',
        outcome: 'allowed',
        detail: 'registered partner 310000',
      }),
    );
    // The same id again is refused with the admin API's partner_exists.
    await page.fill('#p-id', '310000');
    await page.fill('#p-name', '上海市');
    await page.fill('#p-baseUrl', 'https://yrdx.shanghai.example');
    await page.fill('#p-maySendDomains', 'food-safety');
    await page.fill('#p-maySendTypes', 'assistance-request');
    await page.fill('#p-jwks', jwks);
    await page.click('section[aria-labelledby=h-add-partner] button:has-text("添加")');
    expect(await page.textContent('section[aria-labelledby=h-add-partner] [role=alert]')).toContain(
      'partner_exists',
    );
    await expectLabelled(page);
    await page.close();
  });

  it('shows a clear message when a partner cannot be reached, not an error page', async () => {
    const page = await admin.newPage();
    const response = await page.goto(`${url}/console/partners/310000/published`);
    expect(response?.status()).toBe(200);
    expect(await page.textContent('[role=alert]')).toContain('无法获取伙伴发布的内容');
    expect(await page.locator('#published-id').count()).toBe(0);
    const unknown = await page.goto(`${url}/console/partners/999999/published`);
    expect(unknown?.status()).toBe(404);
    await page.close();
  });

  it('verifies the whole audit log and shows it intact, with the number of entries', async () => {
    const page = await admin.newPage();
    await page.goto(`${url}/console/audit`);
    await expectLabelled(page);
    const stored = await nodes[0]!.exchange.deps.store.readAudit({});
    expect(stored.length).toBeGreaterThan(0);
    await page.click('button:has-text("校验审计链")');
    expect(await page.textContent('#h-verdict')).toBe('审计链完整');
    expect(await page.textContent('#audit-entries')).toBe(String(stored.length));
    expect(await page.textContent('[role=status]')).toContain(stored.at(-1)!.hash);
    // Entries by kind, each named and counted.
    const sent = stored.filter((e) => e.kind === 'message-out').length;
    expect(await page.textContent('#audit-kinds')).toContain(`发出的报文 message-out${sent}`);
    await shot(page, 'audit');
    await page.goto(`${url}/console/audit?lang=en`);
    await page.click('button:has-text("Verify the chain")');
    expect(await page.textContent('#h-verdict')).toBe('The audit chain is intact');
    expect(await page.textContent('#audit-kinds')).toContain('messages sent message-out');
    await page.goto(`${url}/console/audit?lang=zh-CN`);
    await page.close();
  });

  it('shows an auditor the audit page but no partner page, suspend, resume or rotate buttons', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, tokens.auditor);
    const nav = await page.locator('nav').textContent();
    expect(nav).toContain('审计');
    expect(nav).not.toContain('伙伴与密钥');
    expect((await page.goto(`${url}/console/partners`))?.status()).toBe(403);
    for (const label of ['暂停', '恢复', '轮换密钥']) {
      expect(await page.locator(`button:has-text("${label}")`).count()).toBe(0);
    }
    await page.goto(`${url}/console/audit`);
    await page.click('button:has-text("校验审计链")');
    expect(await page.textContent('#h-verdict')).toBe('审计链完整');
    const csrf = (await page.getAttribute('input[name=_csrf]', 'value')) ?? '';
    // An auditor reads messages, so it may download their evidence.
    const bundle = await context.request.get(`${url}/console/messages/${delivered}/evidence`);
    expect(bundle.status()).toBe(200);
    expect((await verifyEvidence(await bundle.text())).messageId).toBe(delivered);
    for (const path of ['/console/partners/320500/suspend', '/console/keys/rotate', '/console/partners']) {
      const forged = await context.request.post(`${url}${path}`, {
        form: { _csrf: csrf },
        headers: { origin: url },
      });
      expect(forged.status()).toBe(403);
    }
    expect(nodes[0]!.state.partners.get('320500')?.status).toBe('active');
    await context.close();
  });

  it('signs out: the session no longer opens pages', async () => {
    const page = await admin.newPage();
    await page.goto(`${url}/console/overview`);
    await page.click('header button:has-text("退出登录")');
    await page.waitForURL(`${url}/console/sign-in`);
    await page.goto(`${url}/console/overview`);
    expect(page.url()).toBe(`${url}/console/sign-in`);
    await page.close();
  });
});
