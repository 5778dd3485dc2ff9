import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvidence } from '../../src/audit/evidence.js';
import { createKeyring, type KeyringDocument } from '../../src/keys/keyring.js';
import { nodeApp } from '../../src/runtime/node/app.js';
import { bootNode } from '../../src/runtime/node/boot.js';
import { startExchange } from '../../src/runtime/node/exchange.js';
import { nodeSha256 } from '../../src/runtime/node/sha256.js';
import { type AuditEntry, canonicalEntry, DIGEST_CHANGED } from '../../src/store/audit-chain.js';
import { sqliteStore } from '../../src/store/sqlite/store.js';
import { cli } from '../helpers/cli.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Huzhou (international: ES256, SHA-256) sends a request to Shanghai (national profile: SM2, SM3),
 * whose receipt is SM2-signed and names the message by SM3. Then Huzhou is restarted under the
 * national profile (its active key now SM2, the ES256 one retired) and sends another request: its
 * audit log changes algorithm at a marked entry. The logs and evidence bundles are checked with the
 * CLI, untouched and after tampering with copies of the stores.
 */
let huzhou: LiveNode;
let shanghai: LiveNode;
let before: string;
let after: string;
/** The seq of the mark in Huzhou's log. */
let markSeq: number;
const dir = tempDir('yrdx-digest-change-');
const example = JSON.parse(
  readFileSync('contracts/food-safety/2.0.0/dialects/zj/examples/assistance-request.json', 'utf8'),
) as Record<string, unknown>;
const request = { to: '310000', domain: 'food-safety', type: 'assistance-request', body: example };
const configOf = (node: LiveNode) => join(node.state.config.dataDir, 'node.json');

beforeAll(async () => {
  [huzhou, shanghai] = (await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj' },
      { id: '310000', name: '上海市', province: 'sh', algorithm: 'SM2', cryptoProfile: 'gm' },
    ],
    dir,
  )) as [LiveNode, LiveNode];
  const res = await huzhou.submit(request);
  expect(res.status).toBe(202);
  before = ((await res.json()) as { id: string }).id;
  await eventually(
    async () => {
      const view = await huzhou.exchange.deps.store.getOutbound(before);
      return view?.deliveries.every((d) => d.status === 'delivered') ? view : undefined;
    },
    15_000,
    `delivery of ${before}`,
  );
  await huzhou.stop();

  // The restart under the national profile: SM2 becomes the active key, the ES256 key is retired.
  const dataDir = huzhou.state.config.dataDir;
  const ring = join(dataDir, 'keys', 'keyring.json');
  const doc = JSON.parse(readFileSync(ring, 'utf8')) as KeyringDocument;
  const retiredAt = new Date().toISOString();
  const sm2 = await createKeyring('330500', 'SM2', Date.now());
  const keys = [
    ...doc.keys
      .filter((k) => k.state === 'active')
      .map((k) => ({ ...k, state: 'retired' as const, retiredAt })),
    ...sm2.keys,
  ];
  // The data keys stay: what was sealed at rest under them must stay readable.
  writeFileSync(ring, JSON.stringify({ ...doc, keys }), { mode: 0o600 });
  const config = JSON.parse(readFileSync(configOf(huzhou), 'utf8')) as Record<string, unknown>;
  writeFileSync(
    configOf(huzhou),
    JSON.stringify({ ...config, cryptoProfile: 'gm', keys: { source: 'file', algorithm: 'SM2' } }),
  );
  const state = await bootNode(configOf(huzhou), { env: {}, now: Date.now });
  const exchange = await startExchange(state, { idleMs: 20 });
  try {
    const app = nodeApp(state, exchange);
    const sent = await app.fetch(
      new Request(`${huzhou.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${huzhou.apiKey}` },
        body: JSON.stringify(request),
      }),
    );
    expect(sent.status).toBe(202);
    after = ((await sent.json()) as { id: string }).id;
  } finally {
    // Shanghai has not pinned the new key: the delivery is not what this test is about.
    await exchange.stop();
  }
  const log = await readLog(join(dataDir, 'yrdx.sqlite'));
  markSeq = log.find((e) => e.action === DIGEST_CHANGED)!.seq;
}, patient(60_000));

afterAll(async () => {
  await shanghai?.stop();
});

async function readLog(file: string): Promise<AuditEntry[]> {
  const store = sqliteStore(file, { readOnly: true });
  try {
    return await store.readAudit();
  } finally {
    await store.close();
  }
}

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

describe('yrdx audit verify across a change of digest algorithm', () => {
  it('verifies the whole log and says which algorithms it holds and where the change is marked', async () => {
    const log = await readLog(join(huzhou.state.config.dataDir, 'yrdx.sqlite'));
    const last = log.at(-1)!;
    expect(log.slice(0, markSeq - 1).every((e) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
    expect(log.slice(markSeq - 1).every((e) => e.hash.startsWith('sm3:'))).toBe(true);
    expect(log[markSeq - 1]).toMatchObject({ kind: 'admin', detail: 'SHA-256 -> SM3' });
    expect(log.find((e) => e.kind === 'message-out' && e.messageId === after)?.sha256).toMatch(/^sm3:/);
    expect(log.find((e) => e.kind === 'message-out' && e.messageId === before)?.sha256).toMatch(
      /^[0-9a-f]{64}$/,
    );

    const json = await cli(['audit', 'verify', '--config', configOf(huzhou), '--json']);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      valid: true,
      entries: last.seq,
      head: { seq: last.seq, hash: last.hash },
      digests: [
        { algorithm: 'SHA-256', first: 1, last: markSeq - 1 },
        { algorithm: 'SM3', first: markSeq, last: last.seq },
      ],
      // Every entry counted once by kind, the mark among the admin entries.
      kinds: expect.arrayContaining([expect.objectContaining({ kind: 'admin' })]),
    });
    const kinds = JSON.parse(json.stdout).kinds as { count: number }[];
    expect(kinds.reduce((n, k) => n + k.count, 0)).toBe(last.seq);
    const zh = await cli(['audit', 'verify', '--config', configOf(huzhou)]);
    expect(zh.stdout).toContain(
      `摘要算法：SHA-256（第 1–${markSeq - 1} 条），SM3（第 ${markSeq}–${last.seq} 条）`,
    );
    expect(zh.stdout).toContain(`第 ${markSeq} 条起由 SHA-256 改用 SM3（该条为算法变更标记）`);
    const en = await cli(['audit', 'verify', '--config', configOf(huzhou)], { env: { YRDX_LANG: 'en' } });
    expect(en.stdout).toContain(
      `from entry ${markSeq} on SM3 instead of SHA-256 (that entry marks the change)`,
    );

    const national = await cli(['audit', 'verify', '--config', configOf(shanghai), '--json']);
    expect(JSON.parse(national.stdout)).toMatchObject({
      valid: true,
      digests: [{ algorithm: 'SM3', first: 1 }],
    });
  });

  const cases: [string, (db: Database.Database) => void, () => { seq: number; fault: string }][] = [
    [
      'a field changed before the change',
      (db) => db.prepare("UPDATE audit_log SET partner = '320500' WHERE seq = 1").run(),
      () => ({ seq: 1, fault: 'changed' }),
    ],
    [
      'a field changed after the change',
      (db) =>
        db
          .prepare("UPDATE audit_log SET partner = '320500' WHERE kind = 'message-out' AND message_id = ?")
          .run(after),
      () => ({ seq: markSeq + 1, fault: 'changed' }),
    ],
    [
      'the mark deleted',
      (db) => db.prepare('DELETE FROM audit_log WHERE seq = ?').run(markSeq),
      () => ({ seq: markSeq, fault: 'missing' }),
    ],
    [
      'the last SM3 entry rewritten in SHA-256 form',
      (db) => {
        const row = db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1').get() as Record<
          string,
          unknown
        >;
        const entry = { seq: row.seq, at: row.at, kind: row.kind, prev: row.prev } as AuditEntry;
        const rest = Object.fromEntries(
          Object.entries({
            messageId: row.message_id,
            partner: row.partner,
            domain: row.domain,
            type: row.type,
            sha256: row.sha256,
            actor: row.actor,
            role: row.role,
            action: row.action,
            outcome: row.outcome,
            status: row.status,
            detail: row.detail,
          }).filter(([, v]) => v !== null),
        );
        const hash = nodeSha256(canonicalEntry({ ...entry, ...rest }, 'SHA-256'));
        db.prepare('UPDATE audit_log SET hash = ? WHERE seq = ?').run(hash, row.seq);
      },
      () => ({ seq: 0, fault: 'algorithm' }),
    ],
  ];
  for (const [what, tamper, expected] of cases) {
    it(`finds ${what}`, async () => {
      const copy = copyOfHuzhou();
      const db = new Database(copy.db);
      try {
        tamper(db);
      } finally {
        db.close();
      }
      const result = await cli(['audit', 'verify', '--config', copy.config, '--json']);
      expect(result.status).toBe(1);
      const broken = (JSON.parse(result.stdout) as { broken: { seq: number; fault: string } }).broken;
      const want = expected();
      expect(broken.fault).toBe(want.fault);
      if (want.seq > 0) expect(broken.seq).toBe(want.seq);
      else expect(broken.seq).toBeGreaterThan(markSeq);
    });
  }
});

describe('evidence bundles of the national profile', () => {
  /** Exports a bundle with the CLI and returns its text. */
  async function exported(config: string, id: string, name: string): Promise<string> {
    const out = join(dir, name);
    const result = await cli(['evidence', 'export', '--config', config, '--message', id, '--out', out]);
    expect(result.stderr).not.toContain('_');
    expect(result.status).toBe(0);
    return readFileSync(out, 'utf8');
  }

  /** Every byte of the bundle changed in turn: each is refused (in process: thousands of bundles). */
  async function everyByteRefused(text: string): Promise<void> {
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; at++) {
      const changed = Buffer.from(bytes);
      changed[at] = changed[at] === 0x41 ? 0x42 : 0x41;
      await expect(
        verifyEvidence(changed.toString('utf8'), nodeSha256),
        `byte ${at} changed`,
      ).rejects.toMatchObject({
        code: 'evidence_invalid',
      });
    }
  }

  it('from a node of the national profile: SM3 digests, SM2 signatures, every byte guarded', async () => {
    const text = await exported(configOf(shanghai), before, 'shanghai.json');
    const bundle = JSON.parse(text) as {
      digest: string;
      message: { sha256: string };
      receipts: { sha256: string }[];
    };
    expect(bundle.digest).toMatch(/^sm3:[0-9a-f]{64}$/);
    expect(bundle.message.sha256).toMatch(/^sm3:/);
    expect(bundle.receipts[0]?.sha256).toMatch(/^sm3:/);
    const verified = await cli(['evidence', 'verify', '--json', join(dir, 'shanghai.json')]);
    expect(verified.status).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      valid: true,
      node: '310000',
      direction: 'inbound',
      receipts: 1,
      unmatchedReceipts: 0,
      digests: [{ algorithm: 'SM3' }],
    });
    await everyByteRefused(text);
  });

  it('spanning the change: the SHA-256 part and the SM3 part verify, and every byte is guarded', async () => {
    const text = await exported(configOf(huzhou), before, 'huzhou-before.json');
    const bundle = JSON.parse(text) as {
      digest: string;
      message: { sha256: string };
      receipts: { token: string }[];
    };
    // Exported after the restart: the bundle's own digest is SM3, the message's the SHA-256 it was sent with.
    expect(bundle.digest).toMatch(/^sm3:/);
    expect(bundle.message.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Shanghai's receipt is SM2-signed and names the message by SM3.
    const [header, payload] = bundle.receipts[0]!.token.split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header.alg).toBe('SM2');
    expect(payload.sm3).toMatch(/^[0-9a-f]{64}$/);
    expect(payload).not.toHaveProperty('sha256');
    const report = await verifyEvidence(text, nodeSha256);
    expect(report).toMatchObject({ direction: 'outbound', receipts: 1, unmatchedReceipts: 0 });
    expect(report.digests.map((d) => d.algorithm)).toEqual(['SHA-256', 'SM3']);
    expect(report.digests[1]?.first).toBe(markSeq);
    const human = await cli(['evidence', 'verify', join(dir, 'huzhou-before.json')]);
    expect(human.stdout).toMatch(/^证据包有效：报文 /);
    expect(human.stdout).toContain(`第 ${markSeq} 条起由 SHA-256 改用 SM3`);
    await everyByteRefused(text);
  });

  it('of a message signed with SM2 after the change verify', async () => {
    const text = await exported(configOf(huzhou), after, 'huzhou-after.json');
    const bundle = JSON.parse(text) as { message: { sha256: string; token: string } };
    expect(bundle.message.sha256).toMatch(/^sm3:/);
    expect(JSON.parse(Buffer.from(bundle.message.token.split('.')[0]!, 'base64url').toString()).alg).toBe(
      'SM2',
    );
    expect(await verifyEvidence(text)).toMatchObject({
      direction: 'outbound',
      receipts: 0,
      unmatchedReceipts: 0,
    });
  });

  it('say when a receipt names the message by another algorithm and its payload is gone', async () => {
    const copy = copyOfHuzhou();
    const store = sqliteStore(copy.db);
    await store.purgePayloads({ 'food-safety': Date.now() + 1000 }, Date.now());
    await store.close();
    await exported(copy.config, before, 'huzhou-purged.json');
    const verified = await cli(['evidence', 'verify', '--json', join(dir, 'huzhou-purged.json')]);
    expect(JSON.parse(verified.stdout)).toMatchObject({ valid: true, purged: true, unmatchedReceipts: 1 });
    const human = await cli(['evidence', 'verify', join(dir, 'huzhou-purged.json')]);
    expect(human.stdout).toContain('注意：1 份回执以另一摘要算法确认该报文');
  });
});
