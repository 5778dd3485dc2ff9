import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { tempDir } from '../helpers/tmp.js';
import { example, pdfBytes, sha256, sm3, tusUpload } from './helpers.js';

const dir = tempDir('yrdx-files-transfer-');
let huzhou: LiveNode;
let suzhou: LiveNode;

beforeAll(async () => {
  const nodes = await startNodes(
    [
      { id: '330500', name: '湖州', province: 'zj', contractMajors: { 'food-safety': 1 } },
      { id: '320500', name: '苏州', province: 'js', mode: 'pull', contractMajors: { 'food-safety': 1 } },
    ],
    dir,
  );
  huzhou = nodes[0]!;
  suzhou = nodes[1]!;
});

afterAll(async () => {
  await Promise.all([huzhou?.stop(), suzhou?.stop()]);
});

const pull = async (node: LiveNode) => {
  const res = await fetch(`${node.url}/v1/inbox/messages`, {
    headers: { authorization: `Bearer ${node.apiKey}` },
  });
  return (await res.json()) as {
    items: {
      messageId: string;
      attachments: { href: string; sha256: string; name: string; size: number }[];
    }[];
  };
};

describe('a case file from Huzhou reaches Suzhou', () => {
  it('is uploaded with tus, bound to the signed message, fetched, verified and downloaded byte-identical', async () => {
    const bytes = pdfBytes(3 * 1024 * 1024 + 17);
    const { id } = await tusUpload(huzhou.url, huzhou.apiKey, bytes, { chunk: 1024 * 1024 });
    const res = await huzhou.submit({
      to: suzhou.id,
      domain: 'food-safety',
      type: 'assistance-request',
      body: example('food-safety', 'zj', 'assistance-request'),
      attachments: [{ upload: id }],
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const { id: messageId } = (await res.json()) as { id: string };
    const item = await eventually(async () =>
      (await pull(suzhou)).items.find((i) => i.messageId === messageId),
    );
    expect(item.attachments).toHaveLength(1);
    expect(item.attachments[0]).toMatchObject({
      name: '案件材料.pdf',
      size: bytes.length,
      sha256: sha256(bytes),
    });
    const file = await fetch(`${suzhou.url}${item.attachments[0]!.href}`, {
      headers: { authorization: `Bearer ${suzhou.apiKey}` },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(sha256(new Uint8Array(await file.arrayBuffer()))).toBe(sha256(bytes));
    // A range, as a local system resumes a download.
    const part = await fetch(`${suzhou.url}${item.attachments[0]!.href}`, {
      headers: { authorization: `Bearer ${suzhou.apiKey}`, range: 'bytes=10-19' },
    });
    expect(part.status).toBe(206);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.subarray(10, 20));
    // The sender knows the file arrived: the recipient's signed files receipt.
    const status = await eventually(async () => {
      const s = await fetch(`${huzhou.url}/v1/messages/${messageId}`, {
        headers: { authorization: `Bearer ${huzhou.apiKey}` },
      });
      const doc = (await s.json()) as { files?: { recipient: string; status: string }[] };
      return doc.files?.[0]?.status === 'arrived' ? doc : undefined;
    });
    expect(status.files).toEqual([expect.objectContaining({ recipient: suzhou.id, status: 'arrived' })]);
    // The operator's view from the command line, in Chinese by default and in English.
    const config = join(dir, huzhou.id, 'node.json');
    const zh = await cli(['messages', 'status', '--config', config, messageId]);
    expect(zh.stdout).toContain('附件 0：案件材料.pdf（application/pdf');
    expect(zh.stdout).toContain('附件：已全部送达');
    const en = await cli(['messages', 'status', '--config', config, messageId], { env: { YRDX_LANG: 'en' } });
    expect(en.stdout).toContain('files: all arrived');
  });
});

describe('a case file from a node of the national profile', () => {
  const gmDir = tempDir('yrdx-files-gm-');
  let jiaxing: LiveNode;
  let wuxi: LiveNode;
  beforeAll(async () => {
    const nodes = await startNodes(
      [
        {
          id: '330400',
          name: '嘉兴',
          province: 'zj',
          cryptoProfile: 'gm',
          contractMajors: { 'food-safety': 1 },
        },
        { id: '320200', name: '无锡', province: 'js', mode: 'pull', contractMajors: { 'food-safety': 1 } },
      ],
      gmDir,
    );
    jiaxing = nodes[0]!;
    wuxi = nodes[1]!;
  });
  afterAll(async () => {
    await Promise.all([jiaxing?.stop(), wuxi?.stop()]);
  });

  it('is signed with its SM3 digest, which an international recipient checks by SM3', async () => {
    const bytes = pdfBytes(700_000, 7);
    const { id } = await tusUpload(jiaxing.url, jiaxing.apiKey, bytes, {
      name: '检验报告.pdf',
      expected: sm3(bytes),
    });
    const res = await jiaxing.submit({
      to: wuxi.id,
      domain: 'food-safety',
      type: 'notification',
      body: example('food-safety', 'zj', 'notification'),
      attachments: [{ upload: id }],
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const { id: messageId } = (await res.json()) as { id: string };
    const item = await eventually(async () =>
      (await pull(wuxi)).items.find((i) => i.messageId === messageId),
    );
    expect(item.attachments[0]).toMatchObject({ name: '检验报告.pdf', sm3: sm3(bytes).slice(4) });
    expect(item.attachments[0]).not.toHaveProperty('sha256');
    const file = await fetch(`${wuxi.url}${item.attachments[0]!.href}`, {
      headers: { authorization: `Bearer ${wuxi.apiKey}` },
    });
    expect(sm3(new Uint8Array(await file.arrayBuffer()))).toBe(sm3(bytes));
  });
});
