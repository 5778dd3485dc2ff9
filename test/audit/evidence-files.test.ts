import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeDigest } from '../../src/runtime/node/sha256.js';
import { pdfBytes, sha256, sm3, tusUpload } from '../attachments/helpers.js';
import { cli } from '../helpers/cli.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Evidence of messages with case files, over real nodes on 127.0.0.1: Huzhou on the national profile
 * (its files digested with SM3) and Suzhou on the international one (SHA-256) send each other a
 * message with a file. Bundles carry the files receipts and, exported `--with-files`, the files;
 * `yrdx evidence verify` checks each file against the digest the message signed, and says which file
 * is missing or was altered.
 */
let huzhou: LiveNode;
let suzhou: LiveNode;
const dir = tempDir('yrdx-evidence-files-');
const example = (dialect: string) =>
  JSON.parse(
    readFileSync(`contracts/food-safety/2.1.0/dialects/${dialect}/examples/assistance-request.json`, 'utf8'),
  ) as Record<string, unknown>;
const configOf = (node: LiveNode) => join(node.state.config.dataDir, 'node.json');
const gmBytes = pdfBytes(200_000, 3);
const intlBytes = pdfBytes(150_000, 5);
let fromHuzhou: string;
let fromSuzhou: string;

/** Sends a message with one file and waits until the recipient's files receipt is at the sender. */
async function send(from: LiveNode, to: LiveNode, bytes: Uint8Array, dialect: string): Promise<string> {
  const { id: upload } = await tusUpload(from.url, from.apiKey, bytes, { name: '检验报告.pdf' });
  const res = await from.submit({
    to: to.id,
    domain: 'food-safety',
    type: 'assistance-request',
    body: example(dialect),
    attachments: [{ upload }],
  });
  expect(res.status, await res.clone().text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await eventually(
    async () =>
      (await from.exchange.deps.store.filesReceipts(id))[0]?.status === 'arrived' ? true : undefined,
    20_000,
    `files receipt of ${id}`,
  );
  return id;
}

beforeAll(async () => {
  [huzhou, suzhou] = (await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj', algorithm: 'SM2', cryptoProfile: 'gm' },
      { id: '320500', name: '苏州市', province: 'js', cryptoProfile: 'international' },
    ],
    dir,
  )) as [LiveNode, LiveNode];
  fromHuzhou = await send(huzhou, suzhou, gmBytes, 'zj');
  fromSuzhou = await send(suzhou, huzhou, intlBytes, 'js');
}, patient(90_000));

afterAll(async () => {
  await Promise.all([huzhou?.stop(), suzhou?.stop()]);
});

let exports = 0;
async function exportWithFiles(node: LiveNode, id: string, extra: string[] = ['--with-files']) {
  const out = join(dir, `bundle-${++exports}`);
  const result = await cli([
    'evidence',
    'export',
    '--config',
    configOf(node),
    '--message',
    id,
    '--out',
    out,
    ...extra,
  ]);
  expect(result.status, result.stderr).toBe(0);
  return out;
}
const verify = (bundle: string, lang = 'zh', json = false) =>
  cli(['evidence', 'verify', ...(json ? ['--json'] : []), bundle], { env: { YRDX_LANG: lang } });

/** Rewrites a bundle's JSON and its digest as anyone can (the digest is not a signature). */
function rewrite(
  bundleDir: string,
  change: (b: Record<string, unknown>) => void,
  profile: 'gm' | 'international',
) {
  const file = join(bundleDir, 'evidence.json');
  const { digest: _old, ...rest } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(rest);
  const digest = nodeDigest(profile)(JSON.stringify(rest));
  writeFileSync(file, `${JSON.stringify({ ...rest, digest }, null, 2)}\n`);
}

describe('evidence bundles of messages with case files', () => {
  it('carry the files receipt and the SM3-digested file at the sender, and verify', async () => {
    const out = await exportWithFiles(huzhou, fromHuzhou);
    expect(readFileSync(join(out, 'files', '0.pdf'))).toEqual(Buffer.from(gmBytes));
    const bundle = JSON.parse(readFileSync(join(out, 'evidence.json'), 'utf8')) as Record<string, unknown>;
    expect(bundle.files).toEqual([{ index: 0, path: 'files/0.pdf' }]);
    expect(bundle.filesReceipts).toHaveLength(1);
    const result = await verify(out, 'zh', true);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      valid: true,
      direction: 'outbound',
      filesReceipts: 1,
      unbundledFilesReceipts: 0,
    });
    expect(report.files).toEqual([
      expect.objectContaining({
        index: 0,
        name: '检验报告.pdf',
        digest: sm3(gmBytes),
        status: 'ok',
        path: 'files/0.pdf',
      }),
    ]);
    const text = await verify(out);
    expect(text.stdout).toContain('文件回执：1 份已校验');
    expect(text.stdout).toMatch(
      /附件 0「检验报告\.pdf」（200000 字节，SM3 sm3:[0-9a-f]{64}）：与签名摘要一致/,
    );
    expect(text.stdout).toContain('附件：1 个已包含的附件都与报文签名的摘要一致');
  });

  it('carry the files receipt the recipient signed, and its copy of the file', async () => {
    const out = await exportWithFiles(suzhou, fromHuzhou);
    const result = await verify(out, 'en', true);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      valid: true,
      direction: 'inbound',
      filesReceipts: 1,
      files: [expect.objectContaining({ digest: sm3(gmBytes), status: 'ok' })],
    });
    // Without --with-files: one JSON file, the files receipt in it, the file not included.
    const plain = join(dir, 'plain.json');
    const exported = await cli([
      'evidence',
      'export',
      '--config',
      configOf(suzhou),
      '--message',
      fromHuzhou,
      '--out',
      plain,
    ]);
    expect(exported.status, exported.stderr).toBe(0);
    const checked = await verify(plain, 'en');
    expect(checked.status).toBe(0);
    expect(checked.stdout).toContain('files receipts: 1 checked');
    expect(checked.stdout).toContain('not included in the bundle');
  });

  it('name a file that was altered, or is missing, and exit 1 (SHA-256)', async () => {
    const out = await exportWithFiles(suzhou, fromSuzhou);
    const path = join(out, 'files', '0.pdf');
    const altered = new Uint8Array(readFileSync(path));
    altered[1000] = (altered[1000] ?? 0) ^ 0xff;
    writeFileSync(path, altered);
    const en = await verify(out, 'en');
    expect(en.status).toBe(1);
    expect(en.stdout).toContain(
      `file 0 “检验报告.pdf” (150000 bytes, SHA-256 ${sha256(intlBytes)}): altered: files/0.pdf reads 150000 bytes, digest ${sha256(altered)}`,
    );
    expect(en.stdout).toContain('files check failed: 1 file(s) missing or altered (1 included)');
    const zh = await verify(out);
    expect(zh.status).toBe(1);
    expect(zh.stdout).toContain('已被改动：files/0.pdf 读到 150000 字节');
    expect(zh.stdout).toContain('附件校验未通过：1 个附件缺失或被改动');

    // A shorter file with the same first bytes is altered too.
    writeFileSync(path, intlBytes.subarray(0, 1000));
    expect(JSON.parse((await verify(out, 'en', true)).stdout).files[0]).toMatchObject({
      status: 'altered',
      found: { size: 1000 },
    });

    rmSync(path);
    const missing = await verify(out, 'en', true);
    expect(missing.status).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({
      valid: false,
      files: [expect.objectContaining({ status: 'missing' })],
    });
    expect((await verify(out)).stdout).toContain('缺失：证据包中没有 files/0.pdf');
  });

  it('refuse a rewritten bundle that points a file elsewhere, or drops or swaps a files receipt', async () => {
    const out = await exportWithFiles(huzhou, fromHuzhou);
    const outside = join(dir, 'outside.pdf');
    writeFileSync(outside, gmBytes);
    rewrite(
      out,
      (b) => {
        b.files = [{ index: 0, path: '../outside.pdf' }];
      },
      'gm',
    );
    const traversal = await verify(out, 'en');
    expect(traversal.status).toBe(1);
    expect(traversal.stderr).toMatch(/^evidence_invalid: .*another path/);

    // Another message's files receipt in place of this one's.
    const own = await exportWithFiles(huzhou, fromHuzhou);
    const other = JSON.parse(
      readFileSync(join(await exportWithFiles(huzhou, fromSuzhou), 'evidence.json'), 'utf8'),
    );
    rewrite(
      own,
      (b) => {
        b.filesReceipts = other.filesReceipts;
        b.keys = [...(b.keys as unknown[]), ...(other.keys as unknown[])];
      },
      'gm',
    );
    const swapped = await verify(own, 'en');
    expect(swapped.status).toBe(1);
    expect(swapped.stderr).toMatch(/^evidence_invalid: /);

    // Dropped: the bundle still verifies, and says the log records a files receipt it does not carry.
    const dropped = await exportWithFiles(huzhou, fromHuzhou);
    rewrite(
      dropped,
      (b) => {
        delete b.filesReceipts;
      },
      'gm',
    );
    const note = await verify(dropped, 'en', true);
    expect(JSON.parse(note.stdout)).toMatchObject({ filesReceipts: 0, unbundledFilesReceipts: 1 });
  });

  it('refuses --with-files into a folder that is not empty', async () => {
    const out = await exportWithFiles(huzhou, fromHuzhou);
    const again = await cli([
      'evidence',
      'export',
      '--config',
      configOf(huzhou),
      '--message',
      fromHuzhou,
      '--out',
      out,
      '--with-files',
    ]);
    expect(again.status).toBe(2);
    expect(existsSync(join(out, 'evidence.json'))).toBe(true);
  });
});

describe('yrdx audit verify', () => {
  it('counts the files receipts signed and received by kind', async () => {
    const sender = JSON.parse(
      (await cli(['audit', 'verify', '--config', configOf(huzhou), '--json'])).stdout,
    );
    expect(sender.kinds).toEqual(
      expect.arrayContaining([
        { kind: 'files-receipt-in', count: 1 },
        { kind: 'files-receipt-out', count: 1 },
      ]),
    );
    const zh = await cli(['audit', 'verify', '--config', configOf(suzhou)]);
    expect(zh.stdout).toContain('收到的文件回执（files-receipt-in）1 条');
    expect(zh.stdout).toContain('签发的文件回执（files-receipt-out）1 条');
    const en = await cli(['audit', 'verify', '--config', configOf(suzhou)], { env: { YRDX_LANG: 'en' } });
    expect(en.stdout).toMatch(
      /Entries by kind: messages sent \(message-out\) 1, .*files receipts received \(files-receipt-in\) 1/,
    );
  });
});
