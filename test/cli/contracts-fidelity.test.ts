import { describe, expect, it } from 'vitest';
import type { Fidelity } from '../../src/contracts/fidelity.js';
import { cli } from '../helpers/cli.js';

describe('yrdx contracts fidelity', () => {
  it('names, per dialect and message type, what can be lost: declared and found by delivering the other dialects’ examples', async () => {
    const result = await cli(['contracts', 'fidelity', '--domain', 'food-safety', '--json']);
    expect(result.status, result.stderr).toBe(0);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Fidelity)
      .filter((r) => r.contract === 'food-safety@1.0.0');
    expect(rows.every((r) => r.contract.startsWith('food-safety@'))).toBe(true);
    const zj = rows.find((r) => r.dialect === 'zj' && r.type === 'case-transfer');
    // zj 1.0.0 keeps the first party only: declared, and found with the js example's second party.
    expect(zj?.declared).toContain('/parties/1-');
    expect(zj?.found).toContainEqual({ pointer: '/parties/1', from: expect.arrayContaining(['js']) });
    const js = rows.find((r) => r.dialect === 'js' && r.type === 'case-transfer');
    expect(js?.found).toEqual([]);
  });

  it('prints 简体中文 first, English with YRDX_LANG=en', async () => {
    const zh = await cli(['contracts', 'fidelity', '--domain', 'pollution']);
    expect(zh.status, zh.stderr).toBe(0);
    expect(zh.stdout).toMatch(
      /^pollution@1\.0\.0 zj case-transfer：映射声明不携带 .*\/parties\/1-.*实测丢失 \/parties\/1（来自 js 的示例）/m,
    );
    expect(zh.stdout).toMatch(/个（方言 × 报文类型）中 \d+ 个可能丢失内容\n$/);
    const en = await cli(['contracts', 'fidelity', '--domain', 'pollution'], { env: { YRDX_LANG: 'en' } });
    expect(en.stdout).toMatch(
      /^pollution@1\.0\.0 zj case-transfer: declared not carried: .*\/parties\/1-.*lost when tried: \/parties\/1 \(from the examples of js\)/m,
    );
    expect(en.stdout).toMatch(/ of \d+ \(dialect × message type\) may lose content\n$/);
    expect(en.stdout).toMatch(/ loses nothing$/m);
  });
});
