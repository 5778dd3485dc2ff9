import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Administered,
  caseFileNodes,
  sendFile,
  type Tokens,
  transferIs,
} from '../admin/case-files-setup.js';
import { pdfBytes, sha256 } from '../attachments/helpers.js';
import { eventually } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Case files in the console, between two real nodes: the message pages list each file with its
 * format, size, digest and transfer progress, the recipients' files receipts, a download for admin
 * and auditor (never operator; audited) and a requeue button for a dead transfer (CSRF-checked,
 * audited); the overview shows the case-file metrics. In Chinese and in English.
 */
let nodes: Awaited<ReturnType<typeof caseFileNodes>>;
let huzhou: Administered;
let suzhou: Administered;
let tokens: Tokens;
const bytes = pdfBytes(300 * 1024 + 7, 11);
let arrived = '';
let dead = '';
const cookies = new Map<string, string>();

/** Signs `as` in to the console of `at`; the session cookie. */
async function session(at: Administered, as: keyof Tokens): Promise<string> {
  const key = `${at.url} ${as}`;
  const kept = cookies.get(key);
  if (kept !== undefined) return kept;
  const res = await fetch(`${at.url}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: at.url },
    body: new URLSearchParams({ token: tokens[as] }).toString(),
  });
  expect(res.status).toBe(303);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  cookies.set(key, cookie);
  return cookie;
}

const get = async (at: Administered, as: keyof Tokens, path: string, headers: Record<string, string> = {}) =>
  fetch(`${at.url}${path}`, {
    redirect: 'manual',
    headers: { cookie: await session(at, as), accept: 'text/html', ...headers },
  });

/** A page's text, tags removed, as a person reads it. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

const page = async (at: Administered, as: keyof Tokens, path: string) => {
  const res = await get(at, as, path);
  expect(res.status, path).toBe(200);
  return res.text();
};

beforeAll(async () => {
  nodes = await caseFileNodes(tempDir('yrdx-console-files-'));
  ({ huzhou, suzhou, tokens } = nodes);
  arrived = await sendFile(huzhou.node, bytes);
  await transferIs(suzhou.node, arrived, 'done');
  nodes.sender.answer = 503;
  dead = await sendFile(huzhou.node, pdfBytes(20 * 1024, 12), '现场照片说明.pdf');
  await transferIs(suzhou.node, dead, 'dead');
  nodes.sender.answer = undefined;
}, patient(60_000));

afterAll(async () => {
  await nodes?.stop();
});

describe('case files on the message pages', () => {
  it('received: each file with format, size, digest, state and progress, in Chinese and English', async () => {
    const zh = await page(suzhou, 'admin', `/console/messages/${arrived}`);
    const words = text(zh);
    expect(words).toContain('附件（案件材料）');
    expect(words).toMatch(/0 案件材料\.pdf application\/pdf 300 KB/);
    expect(words).toContain(sha256(bytes));
    expect(words).toContain('已到达并校验');
    expect(words).toContain('100%');
    expect(words).toContain(`300 KB / 300 KB`);
    expect(words).toMatch(/附件传输 已结束（尝试次数 1）/);
    expect(zh).toContain(`<progress max="${bytes.length}" value="${bytes.length}"`);
    expect(zh).toContain(`href="/console/messages/${arrived}/attachments/0"`);
    expect(words).toContain('只有管理员和审计员可以下载');
    expect(zh).not.toContain('重新传输附件');
    const en = text(await page(suzhou, 'admin', `/console/messages/${arrived}?lang=en`));
    expect(en).toContain('Case files');
    expect(en).toContain('arrived and verified');
    expect(en).toMatch(/File transfer finished \(Attempts 1\)/);
    expect(en).toContain('Download');
  });

  it('sent: the files as signed and each recipient’s files receipt', async () => {
    const words = await eventually(async () => {
      const w = text(await page(huzhou, 'auditor', `/console/messages/${arrived}`));
      return w.includes('全部到达') ? w : undefined;
    });
    expect(words).toContain('接收方的附件回执');
    expect(words).toMatch(/320500 苏州市 全部到达 #0 已到达并校验/);
    expect(words).toContain(sha256(bytes));
    const en = text(await page(huzhou, 'auditor', `/console/messages/${arrived}?lang=en`));
    expect(en).toContain('Recipients’ files receipts');
    expect(en).toMatch(/all arrived #0 arrived and verified/);
  });

  it('a dead transfer: shown failed at 0%, with a requeue button for admin and operator only', async () => {
    const zh = await page(suzhou, 'operator', `/console/messages/${dead}`);
    const words = text(zh);
    expect(words).toContain('现场照片说明.pdf');
    expect(words).toContain('传输中');
    expect(words).toContain('0%');
    expect(words).toMatch(/附件传输 已失败（死信）（尝试次数 2）/);
    expect(words).toContain('503');
    expect(zh).toContain(`action="/console/messages/${dead}/attachments/requeue"`);
    // The operator runs the node but does not read the case: no download link, even for a file that arrived.
    const done = await page(suzhou, 'operator', `/console/messages/${arrived}`);
    expect(text(done)).toContain('已到达并校验');
    expect(done).not.toContain(`/console/messages/${arrived}/attachments/0`);
    const auditor = await page(suzhou, 'auditor', `/console/messages/${dead}`);
    expect(auditor).not.toContain('/attachments/requeue');
    expect(text(await page(suzhou, 'operator', `/console/messages/${dead}?lang=en`))).toContain(
      'failed (dead letter)',
    );
  });

  it('requeues it with the form’s anti-forgery token (audited); a forged post is refused', async () => {
    const html = await page(suzhou, 'operator', `/console/messages/${dead}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const post = async (headers: Record<string, string>, token = csrf) =>
      fetch(`${suzhou.url}/console/messages/${dead}/attachments/requeue`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie: await session(suzhou, 'operator'),
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
          ...headers,
        },
        body: new URLSearchParams({ _csrf: token, sender: '330500' }).toString(),
      });
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ origin: suzhou.url }, 'x'.repeat(43))).status).toBe(403);
    const auditorCsrf =
      /name="_csrf" value="([^"]+)"/.exec(await page(suzhou, 'auditor', `/console/messages/${dead}`))?.[1] ??
      '';
    const byAuditor = await fetch(`${suzhou.url}/console/messages/${dead}/attachments/requeue`, {
      method: 'POST',
      headers: {
        cookie: await session(suzhou, 'auditor'),
        origin: suzhou.url,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: auditorCsrf }).toString(),
    });
    expect(byAuditor.status).toBe(403);
    expect(await suzhou.node.exchange.deps.store.fileFetchJob('330500', dead)).toMatchObject({
      status: 'dead',
    });
    const res = await post({ origin: suzhou.url });
    expect(res.status).toBe(200);
    expect(text(await res.text())).toContain(`已重新放入附件传输队列： ${dead}`);
    expect(suzhou.audit.events).toContainEqual(
      expect.objectContaining({
        actor: 'duty-operator',
        action: `POST /console/messages/${dead}/attachments/requeue`,
        outcome: 'allowed',
        detail: `requeued the file transfer of message ${dead} from 330500`,
      }),
    );
    expect(suzhou.audit.events).toContainEqual(
      expect.objectContaining({
        action: `POST /console/messages/${dead}/attachments/requeue`,
        outcome: 'refused',
        detail: 'csrf_refused',
      }),
    );
    await transferIs(suzhou.node, dead, 'done');
    // Again: nothing to requeue, with the code.
    const again = await post({ origin: suzhou.url });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('transfer_not_requeueable');
  });
});

describe('downloading a case file from the console', () => {
  it('gives the auditor the bytes as signed, whole or by range, named as written, audited', async () => {
    const res = await get(suzhou, 'auditor', `/console/messages/${arrived}/attachments/0`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('案件材料.pdf')}`,
    );
    expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(sha256(bytes));
    const part = await get(suzhou, 'admin', `/console/messages/${arrived}/attachments/0`, {
      range: 'bytes=0-99',
    });
    expect(part.status).toBe(206);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.subarray(0, 100));
    expect(suzhou.audit.events).toContainEqual(
      expect.objectContaining({
        actor: 'inspector',
        role: 'auditor',
        action: `GET /console/messages/${arrived}/attachments/0`,
        outcome: 'allowed',
        detail: expect.stringContaining(`downloaded file 0 "案件材料.pdf" (${sha256(bytes)}`),
      }),
    );
  });

  it('refuses the operator (audited), a cross-site request, and unknown files', async () => {
    const operator = await get(suzhou, 'operator', `/console/messages/${arrived}/attachments/0`);
    expect(operator.status).toBe(403);
    expect(text(await operator.text())).toContain('当前角色无权执行此操作');
    expect(suzhou.audit.events).toContainEqual(
      expect.objectContaining({
        actor: 'duty-operator',
        action: `GET /console/messages/${arrived}/attachments/0`,
        outcome: 'refused',
        detail: 'admin_forbidden',
      }),
    );
    const crossSite = await get(suzhou, 'admin', `/console/messages/${arrived}/attachments/0`, {
      'sec-fetch-site': 'cross-site',
    });
    expect(crossSite.status).toBe(403);
    const missing = await get(suzhou, 'admin', `/console/messages/${arrived}/attachments/7`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('attachment_not_found');
    // Not signed in: to the sign-in page, no bytes.
    const anonymous = await fetch(`${suzhou.url}/console/messages/${arrived}/attachments/0`, {
      redirect: 'manual',
    });
    expect(anonymous.status).toBe(303);
  });
});

describe('the overview', () => {
  it('shows the case-file metrics to operators', async () => {
    const words = text(await page(suzhou, 'operator', '/console/overview'));
    expect(words).toContain('附件传输（本进程启动以来）');
    expect(words).toMatch(/从伙伴取回 \d+(\.\d)? KB/);
    expect(words).toMatch(/失败的传输 1/);
    const en = text(await page(suzhou, 'operator', '/console/overview?lang=en'));
    expect(en).toContain('Case-file transfers (since this process started)');
    expect(en).toContain('Transfers in flight');
    expect(await page(suzhou, 'auditor', '/console/overview')).not.toContain('file-metrics');
  });
});
