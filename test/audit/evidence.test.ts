import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../src/runtime/node/sha256.js';
import { chainEntry } from '../../src/store/audit-chain.js';
import { sqliteStore } from '../../src/store/sqlite/store.js';
import { cli } from '../helpers/cli.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Huzhou sends Suzhou two requests over real nodes on 127.0.0.1; then the audit log and evidence
 * bundles are checked with the CLI, untouched and after tampering with copies of Huzhou's store.
 */
let huzhou: LiveNode;
let suzhou: LiveNode;
const sent: string[] = [];
const dir = tempDir('yrdx-evidence-');
const example = JSON.parse(
  readFileSync('contracts/food-safety/2.0.0/dialects/zj/examples/assistance-request.json', 'utf8'),
) as Record<string, unknown>;

const configOf = (node: LiveNode) => join(node.state.config.dataDir, 'node.json');

beforeAll(async () => {
  [huzhou, suzhou] = (await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj' },
      { id: '320500', name: '苏州市', province: 'js', algorithm: 'EdDSA' },
    ],
    dir,
  )) as [LiveNode, LiveNode];
  for (let i = 0; i < 2; i++) {
    const res = await huzhou.submit({
      to: '320500',
      domain: 'food-safety',
      type: 'assistance-request',
      body: example,
    });
    expect(res.status).toBe(202);
    sent.push(((await res.json()) as { id: string }).id);
  }
  for (const id of sent) {
    await eventually(
      async () => {
        const view = await huzhou.exchange.deps.store.getOutbound(id);
        return view?.deliveries.every((d) => d.status === 'delivered') ? view : undefined;
      },
      15_000,
      `delivery of ${id}`,
    );
  }
}, patient(40_000));

afterAll(async () => {
  await Promise.all([huzhou?.stop(), suzhou?.stop()]);
});

/** A copy of Huzhou's store (and a config pointing at it) to tamper with. */
let copies = 0;
function copyOfHuzhou(): { config: string; db: string } {
  const target = join(dir, `copy-${++copies}`);
  const config = JSON.parse(readFileSync(configOf(huzhou), 'utf8')) as Record<string, unknown>;
  const source = new Database(join(huzhou.state.config.dataDir, 'yrdx.sqlite'), { readonly: true });
  try {
    mkdirSync(target, { recursive: true });
    source.exec(`VACUUM INTO '${join(target, 'yrdx.sqlite')}'`);
  } finally {
    source.close();
  }
  writeFileSync(join(target, 'node.json'), JSON.stringify({ ...config, dataDir: target }));
  return { config: join(target, 'node.json'), db: join(target, 'yrdx.sqlite') };
}

describe('yrdx audit verify', () => {
  it('accepts the untouched logs of both nodes', async () => {
    const sender = await cli(['audit', 'verify', '--config', configOf(huzhou), '--json']);
    expect(sender.status).toBe(0);
    expect(JSON.parse(sender.stdout)).toMatchObject({ valid: true, entries: 4 });
    const receiver = await cli(['audit', 'verify', '--config', configOf(suzhou)]);
    expect(receiver.stderr).toBe('');
    expect(receiver.stdout).toMatch(
      /^审计日志完好：共 4 条记录，链头 [0-9a-f]{64}\n摘要算法：SHA-256（第 1–4 条）\n各类记录：收到的报文（message-in）2 条，签发的回执（receipt-out）2 条\n$/,
    );
  });
});

/** Tampers with a copy of Huzhou's store, then runs `yrdx audit verify` on it. */
async function tamperAndVerify(tamper: (db: Database.Database) => void, json = false) {
  const copy = copyOfHuzhou();
  const db = new Database(copy.db);
  try {
    tamper(db);
  } finally {
    db.close();
  }
  return cli(['audit', 'verify', '--config', copy.config, ...(json ? ['--json'] : [])], {
    env: { YRDX_LANG: 'en' },
  });
}

describe('tampering with the audit log in the store', () => {
  it('is detected when a field of an entry is changed', async () => {
    const result = await tamperAndVerify((db) =>
      db.prepare("UPDATE audit_log SET partner = '310000' WHERE seq = 2").run(),
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^audit_chain_broken: The audit log is broken at entry 2: its hash does not match/,
    );
  });

  it('is detected when an entry is deleted, also the last one', async () => {
    const middle = await tamperAndVerify(
      (db) => db.prepare('DELETE FROM audit_log WHERE seq = 2').run(),
      true,
    );
    expect(middle.status).toBe(1);
    expect(JSON.parse(middle.stdout)).toMatchObject({
      valid: false,
      code: 'audit_chain_broken',
      broken: { seq: 2, fault: 'missing' },
    });
    const last = await tamperAndVerify((db) => db.prepare('DELETE FROM audit_log WHERE seq = 4').run(), true);
    expect(last.status).toBe(1);
    expect(JSON.parse(last.stdout)).toMatchObject({ broken: { seq: 4, fault: 'missing' } });
  });

  it('is detected when two entries swap places', async () => {
    const result = await tamperAndVerify((db) => {
      db.prepare('UPDATE audit_log SET seq = -2 WHERE seq = 2').run();
      db.prepare('UPDATE audit_log SET seq = 2 WHERE seq = 3').run();
      db.prepare('UPDATE audit_log SET seq = 3 WHERE seq = -2').run();
    }, true);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ broken: { seq: 2, fault: 'out-of-order' } });
  });

  it('is detected when a changed entry gets a recomputed hash', async () => {
    const result = await tamperAndVerify((db) => {
      const row = db.prepare('SELECT * FROM audit_log WHERE seq = 1').get() as Record<string, unknown>;
      const forged = chainEntry(
        {
          at: row.at as number,
          kind: 'message-out',
          messageId: row.message_id as string,
          partner: '310000',
          sha256: row.sha256 as string,
        },
        1,
        row.prev as string,
        nodeSha256,
      );
      db.prepare(
        "UPDATE audit_log SET partner = '310000', domain = NULL, type = NULL, hash = ? WHERE seq = 1",
      ).run(forged.hash);
    }, true);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ broken: { seq: 2, fault: 'out-of-order' } });
  });

  it('reports in 简体中文 by default', async () => {
    const copy = copyOfHuzhou();
    const db = new Database(copy.db);
    db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    db.close();
    const result = await cli(['audit', 'verify', '--config', copy.config]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('audit_chain_broken: 审计日志在第 3 条记录处断裂');
  });
});

describe('evidence bundles', () => {
  it('are exported at the sender and the receiver and verify with nothing but the bundle', async () => {
    for (const node of [huzhou, suzhou]) {
      const out = join(dir, `bundle-${node.id}.json`);
      const exported = await cli([
        'evidence',
        'export',
        '--config',
        configOf(node),
        '--message',
        sent[0]!,
        '--out',
        out,
        '--json',
      ]);
      expect(exported.stderr).not.toContain('_');
      expect(exported.status).toBe(0);
      expect(JSON.parse(exported.stdout)).toMatchObject({ messageId: sent[0], purged: false, receipts: 1 });
      const verified = await cli(['evidence', 'verify', '--json', out]);
      expect(verified.status).toBe(0);
      expect(JSON.parse(verified.stdout)).toMatchObject({
        valid: true,
        node: node.id,
        messageId: sent[0],
        direction: node === huzhou ? 'outbound' : 'inbound',
        purged: false,
        receipts: 1,
      });
      const keys = (JSON.parse(verified.stdout) as { keys: { owner: string }[] }).keys;
      expect(keys.map((k) => k.owner).sort()).toEqual(['320500', '330500']);
    }
  });

  it('fail to verify with any byte changed', async () => {
    const out = join(dir, 'bundle-flip.json');
    expect(
      (await cli(['evidence', 'export', '--config', configOf(huzhou), '--message', sent[0]!, '--out', out]))
        .status,
    ).toBe(0);
    const original = readFileSync(out);
    const human = await cli(['evidence', 'verify', out]);
    expect(human.stdout).toMatch(/^证据包有效：报文 /);
    // Every byte position would take long; a spread of positions covers every part of the bundle.
    const step = Math.max(1, Math.floor(original.length / 60));
    for (let at = 0; at < original.length; at += step) {
      const changed = Buffer.from(original);
      changed[at] = changed[at] === 0x41 ? 0x42 : 0x41;
      writeFileSync(out, changed);
      const result = await cli(['evidence', 'verify', out], { env: { YRDX_LANG: 'en' } });
      expect(result.status, `byte ${at} changed`).toBe(1);
      expect(result.stderr).toMatch(/^evidence_invalid: /);
    }
  });

  it('of a message whose payload was removed after retention say so, and still verify', async () => {
    const copy = copyOfHuzhou();
    const store = sqliteStore(copy.db);
    expect(await store.purgePayloads({ 'food-safety': Date.now() + 1000 }, Date.now())).toEqual({
      outbound: 2,
      inbound: 0,
      blobs: [],
    });
    await store.close();
    const out = join(dir, 'bundle-purged.json');
    const exported = await cli([
      'evidence',
      'export',
      '--config',
      copy.config,
      '--message',
      sent[1]!,
      '--out',
      out,
    ]);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toContain('报文内容已按保留期限删除');
    const verified = await cli(['evidence', 'verify', '--json', out]);
    expect(JSON.parse(verified.stdout)).toMatchObject({ valid: true, purged: true, receipts: 1 });
    expect(JSON.parse(readFileSync(out, 'utf8')).message).not.toHaveProperty('token');
    expect((await cli(['audit', 'verify', '--config', copy.config])).status).toBe(0);
  });

  it('cannot be exported for a message the node does not know', async () => {
    const result = await cli(
      [
        'evidence',
        'export',
        '--config',
        configOf(huzhou),
        '--message',
        'no-such-message',
        '--out',
        join(dir, 'x.json'),
      ],
      { env: { YRDX_LANG: 'en' } },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^evidence_unavailable: /);
  });
});
