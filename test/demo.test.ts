import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOPS } from '../src/runtime/node/demo/follow.js';
import { type DemoSummary, runDemo } from '../src/runtime/node/demo.js';
import { cli } from './helpers/cli.js';
import { patient } from './helpers/patience.js';
import { tempDir } from './helpers/tmp.js';

/**
 * `yrdx demo`: four real nodes on 127.0.0.1 run every workflow of every domain's contract end to end
 * (issue 17: acceptance, a three-city joint investigation, a handover to a public-security organ, an
 * alert acknowledged and disposed) and send every other type once; the demo reports each hop from
 * the running system.
 */
const DOMAINS = ['food-safety', 'road-transport', 'ip-protection', 'pollution'];
/** The message types of a domain's newest contract, read from its contract.json. */
function contractTypes(domain: string): string[] {
  const newest = readdirSync(`contracts/${domain}`)
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .at(-1)!;
  const meta = JSON.parse(readFileSync(`contracts/${domain}/${newest}/contract.json`, 'utf8')) as {
    messageTypes: Record<string, unknown>;
  };
  return Object.keys(meta.messageTypes);
}
let summary: DemoSummary;
let lines: string[];
// Created here, not in beforeAll, so that tempDir's afterAll removes it.
const dataDir = join(tempDir('yrdx-demo-test-'), 'data');

beforeAll(async () => {
  lines = [];
  summary = await runDemo({ out: (line) => lines.push(line), dataDir });
}, patient(60_000));

describe('yrdx demo', () => {
  it('sends every message type of every domain, and every message passes every hop', () => {
    const types = DOMAINS.flatMap((d) => contractTypes(d).map((t) => `${d} ${t}`));
    expect([...new Set(summary.results.map((r) => `${r.domain} ${r.type}`))].sort()).toEqual(types.sort());
    for (const r of summary.results) {
      expect(r.failure, `${r.domain} ${r.type}`).toBeUndefined();
      expect(r.passed).toEqual([...HOPS]);
    }
    expect(summary.ok).toBe(true);
    expect(summary.failed).toBe(0);
  });

  it('runs each workflow to a final state at both ends', () => {
    const food = summary.results.filter((r) => r.domain === 'food-safety');
    const states = (type: string) =>
      food.filter((r) => r.type === type).flatMap((r) => r.threadState?.states ?? []);
    // Case and clue transfers, each accepted by the receiving bureau.
    expect(states('case-acceptance')).toEqual(['accepted', 'accepted']);
    // A three-city joint investigation: two participants report progress, then complete; the lead
    // withdraws the third one's task.
    const joint = food.find((r) => r.type === 'joint-investigation')!;
    expect(joint.to).toHaveLength(3);
    expect(states('investigation-progress')).toEqual(['in-progress', 'done', 'in-progress', 'done']);
    expect(states('task-withdrawal')).toEqual(['withdrawn']);
    // The handover reaches Suzhou's public-security organ, which receipts it and files the case.
    const handover = food.find((r) => r.type === 'crime-handover')!;
    expect(handover.to).toEqual(['320500']);
    expect(states('handover-decision')).toEqual(['received', 'filed']);
    // The alert is acknowledged and its disposal reported by each of the three recipients.
    expect(states('alert-acknowledgement')).toEqual(['disposing', 'disposing', 'disposing']);
    expect(states('alert-disposal')).toEqual(['disposed', 'disposed', 'disposed']);
    expect(states('recognition-decision')).toEqual(['recognised']);
  });

  it('counts deliveries, receipts and threads', () => {
    const alerts = summary.results.filter((r) => r.type === 'risk-alert');
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) expect(a.to).toHaveLength(3);
    expect(summary.messages).toBe(summary.results.length);
    // Risk alerts, joint investigations and inspection plans go to three cities each.
    expect(summary.deliveries).toBe(summary.results.reduce((n, r) => n + r.to.length, 0));
    expect(summary.deliveries).toBeGreaterThan(summary.messages + 2 * alerts.length);
    expect(summary.delivered).toBe(summary.deliveries);
    expect(summary.receiptsVerified).toBe(summary.deliveries);
    expect(summary.deliveredLocally.push + summary.deliveredLocally.pull).toBe(summary.deliveries);
    const replies = summary.results.filter((r) => r.threadState?.status === 'closed');
    expect(summary.threadsOpened).toBe(
      summary.results.filter((r) => r.threadState?.status === 'open').length,
    );
    expect(summary.threadsClosed).toBe(replies.length);
    expect(summary.threadsClosed).toBeGreaterThanOrEqual(1);
    for (const reply of replies)
      expect(reply.inReplyTo).toBe(
        summary.results.find((r) => r.thread === reply.thread && r.id !== reply.id)?.id,
      );
  });

  it('has all four cities send and receive, by push and by pull', () => {
    expect(summary.cities.map((c) => c.dialect).sort()).toEqual(['ah', 'js', 'sh', 'zj']);
    for (const c of summary.cities) {
      expect(c.sent, c.name).toBeGreaterThan(0);
      expect(c.received, c.name).toBeGreaterThan(0);
    }
    expect(summary.deliveredLocally.push).toBeGreaterThan(0);
    expect(summary.deliveredLocally.pull).toBeGreaterThan(0);
    expect(summary.cities.find((c) => c.mode === 'pull')?.received).toBe(summary.deliveredLocally.pull);
  });

  it('prints one line per message with every hop, then the summary', () => {
    const messageLines = lines.filter((l) => /^[✓✗] \[/.test(l));
    expect(messageLines).toHaveLength(summary.messages);
    expect(messageLines.every((l) => l.startsWith('✓'))).toBe(true);
    for (const l of messageLines) {
      expect(l).toMatch(/已提交（(sh|js|zj|ah)） → 已签名（(ES256|EdDSA)） → 已投递/);
      expect(l).toMatch(/回执已验证（sha256 [0-9a-f]{8}…） → 已译为 .* → 已投递到本地系统（/);
    }
    const text = lines.join('\n');
    for (const words of [
      '已投递到本地系统（推送）',
      '已投递到本地系统（拉取）',
      'case-transfer submitted，期限 20',
      'joint-investigation → in-progress',
      'crime-handover → received',
      '事项已办结',
    ])
      expect(text).toContain(words);
    expect(text).toContain('每条报文通过了每一跳');
  });

  it('keeps keys and stores inside the data folder it was given, private keys with mode 0600', () => {
    expect(summary.dataDir).toBe(dataDir);
    const cities = readdirSync(dataDir).sort();
    expect(cities).toEqual(['310000', '320500', '330500', '340100']);
    for (const id of cities)
      expect(statSync(join(dataDir, id, 'keys', 'keyring.json')).mode & 0o777).toBe(0o600);
  });

  it(
    'runs as `yrdx demo --json`: one JSON object per message, then the summary',
    async () => {
      const { status, stdout } = await cli(['demo', '--json']);
      expect(status).toBe(0);
      const objects = stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(objects.at(-1)).toMatchObject({ summary: { ok: true, messages: summary.messages, failed: 0 } });
      const messages = objects.slice(0, -1);
      expect(messages).toHaveLength(summary.messages);
      for (const m of messages) expect(m).toMatchObject({ ok: true, hops: [...HOPS] });
    },
    patient(60_000),
  );
});
