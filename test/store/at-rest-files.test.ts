import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Huzhou sends Suzhou a request over real nodes on 127.0.0.1; then both SQLite files — the database
 * and its write-ahead log, read as bytes — are searched for the body's facts and for the encoded
 * JWS payload. Then the data key is rotated with the CLI, the stored values re-encrypted beside the
 * running node, and everything stays readable (by the node, by `yrdx evidence`).
 */
let huzhou: LiveNode;
let suzhou: LiveNode;
let id: string;
const dir = tempDir('yrdx-at-rest-files-');
const marker = `凉拌菜案${crypto.randomUUID().slice(0, 8)}`;
const example = JSON.parse(
  readFileSync('contracts/food-safety/2.0.0/dialects/zj/examples/assistance-request.json', 'utf8'),
) as Record<string, unknown>;
const body = { ...example, case_name: marker };
const configOf = (node: LiveNode) => join(node.state.config.dataDir, 'node.json');

/** The bytes of a node's database file and of its write-ahead log (when there is one), as Latin-1 text. */
function storeBytes(node: LiveNode): string[] {
  const file = join(node.state.config.dataDir, 'yrdx.sqlite');
  return [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1'));
}
const latin1 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

beforeAll(async () => {
  [huzhou, suzhou] = (await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj' },
      { id: '320500', name: '苏州市', province: 'js', algorithm: 'EdDSA' },
    ],
    dir,
  )) as [LiveNode, LiveNode];
  const res = await huzhou.submit({ to: '320500', domain: 'food-safety', type: 'assistance-request', body });
  expect(res.status).toBe(202);
  id = ((await res.json()) as { id: string }).id;
  await eventually(
    async () => {
      const view = await huzhou.exchange.deps.store.getOutbound(id);
      return view?.deliveries.every((d) => d.status === 'delivered') ? view : undefined;
    },
    15_000,
    'delivery',
  );
  await eventually(async () => (suzhou.pushed.length > 0 ? true : undefined), 15_000, 'push');
}, patient(40_000));

afterAll(async () => {
  await Promise.all([huzhou?.stop(), suzhou?.stop()]);
});

describe('the SQLite files of nodes that exchanged a message', () => {
  it('hold no body, no case fact and no encoded payload, in the database or its log', async () => {
    const token = (await huzhou.exchange.deps.store.getOutbound(id))!.token;
    const payload = token.split('.')[1]!;
    expect(payload.length).toBeGreaterThan(200);
    const facts = [marker, '沈国华', '33030219850721107X', '13905721836', '人瑞路66号'];
    const encoded = [payload.slice(0, 48), payload.slice(100, 148), payload.slice(-48)];
    for (const node of [huzhou, suzhou]) {
      const files = storeBytes(node);
      expect(files.length).toBeGreaterThan(0);
      for (const bytes of files) {
        for (const fact of facts) expect(bytes.includes(latin1(fact)), `${node.id}: ${fact}`).toBe(false);
        for (const part of encoded) expect(bytes.includes(part), `${node.id}: payload`).toBe(false);
      }
      expect(files.some((bytes) => bytes.includes('yrdx-enc:1:A256GCM:'))).toBe(true);
    }
    // The local system got the body in the clear, and the node reads it back.
    expect(JSON.stringify(suzhou.pushed[0]!.body)).toContain(marker);
  });

  it('keep the audit log and evidence verifiable (decrypted on read)', async () => {
    const audit = await cli(['audit', 'verify', '--config', configOf(huzhou), '--json']);
    expect(audit.status, audit.stderr).toBe(0);
    const out = join(dir, 'evidence.json');
    const exported = await cli([
      'evidence',
      'export',
      '--config',
      configOf(huzhou),
      '--message',
      id,
      '--out',
      out,
    ]);
    expect(exported.status, exported.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).not.toContain('yrdx-enc:');
    const verified = await cli(['evidence', 'verify', out]);
    expect(verified.status, verified.stderr + verified.stdout).toBe(0);
  });

  it('stay readable after a data key rotation, and a rewrap moves every value to the new key', async () => {
    const before = await cli(['data-key', 'list', '--config', configOf(huzhou), '--json']);
    const [first] = before.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string });
    const rotated = await cli(
      ['data-key', 'rotate', '--config', configOf(huzhou), '--rewrap', '--batch', '1', '--json'],
      {
        env: { YRDX_LANG: 'en' },
      },
    );
    expect(rotated.status, rotated.stderr).toBe(0);
    const result = JSON.parse(rotated.stdout) as {
      activated: string;
      retired: string;
      rewrap: Record<string, { rewrapped: number }>;
    };
    expect(result.retired).toBe(first!.id);
    expect(result.rewrap['outbound_messages.token']!.rewrapped).toBe(1);
    expect(rotated.stderr).toContain('outbound_messages.canonical: 1 read, 1 moved to the new key');
    const files = storeBytes(huzhou).join('');
    expect(files).toContain(`yrdx-enc:1:A256GCM:${result.activated}:`);
    // The running node meets the new key, reads its key source again, and opens the value.
    const view = await huzhou.exchange.deps.store.getOutbound(id);
    expect(view?.token.split('.')[1]).toBeDefined();
    const after = await cli(['data-key', 'list', '--config', configOf(huzhou)]);
    expect(after.stdout).toMatch(new RegExp(`${first!.id}\\s+AES-256-GCM\\s+已停用`));
    expect(after.stdout).toMatch(new RegExp(`${result.activated}\\s+AES-256-GCM\\s+启用`));
    const out = join(dir, 'evidence-after.json');
    const exported = await cli([
      'evidence',
      'export',
      '--config',
      configOf(huzhou),
      '--message',
      id,
      '--out',
      out,
    ]);
    expect(exported.status, exported.stderr).toBe(0);
    const verified = await cli(['evidence', 'verify', out]);
    expect(verified.status, verified.stderr + verified.stdout).toBe(0);
  });
});
