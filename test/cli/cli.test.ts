import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { FakeClock } from '../helpers/nodes.js';
import { copyConfig, tempDir, writeJson } from '../helpers/tmp.js';

const dir = tempDir('yrdx-cli-');
const payload = (extra: Record<string, unknown> = {}) =>
  writeJson(join(dir, `payload-${Math.random()}.json`), {
    iss: '330500',
    aud: '320500',
    jti: '01JTESTCLI0000000000000001',
    type: 'notification',
    domain: 'road-transport',
    contract: 'road-transport@1.0.0',
    thread: '01JTESTCLI0000000000000001',
    body: { 车牌号码: '浙E12345', 车牌颜色: '2' },
    ...extra,
  });

describe('yrdx keys generate / sign / verify', () => {
  it('writes the key’s planned end as exp (default 730 days; --lifetime-days 0 for none)', async () => {
    const now = Date.parse('2026-05-16T00:00:00Z');
    const gen = await cli(['keys', 'generate', '--kid', 'life', '--out', dir, '--json'], { now: () => now });
    expect(gen.status, gen.stderr).toBe(0);
    expect(JSON.parse(gen.stdout).notAfter).toBe('2028-05-15T00:00:00.000Z');
    const exp = now / 1000 + 730 * 86_400;
    expect(JSON.parse(readFileSync(join(dir, 'life.private.jwk.json'), 'utf8')).exp).toBe(exp);
    expect(JSON.parse(readFileSync(join(dir, 'life.jwks.json'), 'utf8')).keys[0].exp).toBe(exp);
    const none = await cli(['keys', 'generate', '--kid', 'forever', '--out', dir, '--lifetime-days', '0']);
    expect(none.status, none.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'forever.private.jwk.json'), 'utf8'))).not.toHaveProperty('exp');
    expect(
      (await cli(['keys', 'generate', '--kid', 'x', '--out', dir, '--lifetime-days', '-1'])).status,
    ).toBe(2);
  });

  for (const alg of ['ES256', 'EdDSA'] as const) {
    it(`signs and verifies with ${alg}`, async () => {
      const gen = await cli(['keys', 'generate', '--alg', alg, '--kid', `hz-${alg}`, '--out', dir]);
      expect(gen.status, gen.stderr).toBe(0);
      const privateFile = join(dir, `hz-${alg}.private.jwk.json`);
      const jwksFile = join(dir, `hz-${alg}.jwks.json`);
      expect(statSync(privateFile).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(jwksFile, 'utf8')).keys[0]).not.toHaveProperty('d');

      const signed = await cli(['sign', '--key', privateFile, payload()]);
      expect(signed.status, signed.stderr).toBe(0);
      const jwsFile = join(dir, `msg-${alg}.jws`);
      writeFileSync(jwsFile, signed.stdout);

      const verified = await cli([
        'verify',
        '--jwks',
        jwksFile,
        '--iss',
        '330500',
        '--aud',
        '320500',
        jwsFile,
      ]);
      expect(verified.status, verified.stderr).toBe(0);
      expect(JSON.parse(verified.stdout)).toMatchObject({ iss: '330500', body: { 车牌号码: '浙E12345' } });

      const wrongAud = await cli(['verify', '--jwks', jwksFile, '--aud', '310000', jwsFile]);
      expect(wrongAud.status).toBe(1);
      expect(wrongAud.stderr).toMatch(/^jws_audience_mismatch: /);

      const tampered = signed.stdout.replace(
        /.(\.[^.]+\n?)$/,
        (_m, rest: string) => `${signed.stdout.at(-(rest.length + 1)) === 'A' ? 'B' : 'A'}${rest}`,
      );
      const tamperedFile = join(dir, `tampered-${alg}.jws`);
      writeFileSync(tamperedFile, tampered);
      const bad = await cli(['verify', '--jwks', jwksFile, tamperedFile]);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/^jws_(signature_invalid|payload_invalid|base64url_noncanonical): /);
    });
  }

  it('refuses to overwrite keys, and reports usage errors with status 2', async () => {
    await cli(['keys', 'generate', '--alg', 'ES256', '--kid', 'once', '--out', dir]);
    const again = await cli(['keys', 'generate', '--alg', 'ES256', '--kid', 'once', '--out', dir]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('--force');
    expect((await cli(['keys', 'generate', '--alg', 'HS256', '--kid', 'x', '--out', dir])).status).toBe(2);
    expect((await cli(['verify', 'x.jws'])).status).toBe(2);
    expect((await cli(['nonsense'])).status).toBe(2);
    expect((await cli(['sign', '--bogus'])).status).toBe(2);
  });

  it('prints errors in English when asked, and as JSON with --json', async () => {
    await cli(['keys', 'generate', '--alg', 'ES256', '--kid', 'lang', '--out', dir]);
    const expired = join(dir, 'expired.jws');
    const signed = await cli([
      'sign',
      '--key',
      join(dir, 'lang.private.jwk.json'),
      payload({ iat: 1_000_000, exp: 1_000_100 }),
    ]);
    writeFileSync(expired, signed.stdout);
    const zh = await cli(['verify', '--jwks', join(dir, 'lang.jwks.json'), expired]);
    expect(zh.stderr).toBe('jws_expired: 报文已过期（exp），超出允许的时钟偏差。\n');
    const en = await cli(['verify', '--jwks', join(dir, 'lang.jwks.json'), expired], {
      env: { YRDX_LANG: 'en' },
    });
    expect(en.stderr).toBe('jws_expired: The token has expired (exp), beyond the allowed clock skew.\n');
    const json = await cli(['config', 'check', '--config', join(dir, 'missing.json'), '--json']);
    expect(JSON.parse(json.stderr)).toMatchObject({
      code: 'config_invalid',
      errors: [{ detail: expect.stringContaining('无法读取') }],
    });
  });

  it('verifies receipts by their typ', async () => {
    await cli(['keys', 'generate', '--alg', 'EdDSA', '--kid', 'sz', '--out', dir]);
    const receipt = writeJson(join(dir, 'receipt.json'), {
      iss: '320500',
      aud: '330500',
      jti: '01JTESTRECEIPT000000000001',
      messageId: '01JTESTCLI0000000000000001',
      sha256: 'ab'.repeat(32),
      status: 'accepted',
    });
    const signed = await cli([
      'sign',
      '--key',
      join(dir, 'sz.private.jwk.json'),
      '--typ',
      'yrdx-receipt+jwt',
      receipt,
    ]);
    const verified = await cli(['verify', '--jwks', join(dir, 'sz.jwks.json'), '-'], {
      stdin: signed.stdout,
    });
    expect(verified.status, verified.stderr).toBe(0);
    const asMessage = await cli(['verify', '--jwks', join(dir, 'sz.jwks.json'), '--typ', 'yrdx+jwt', '-'], {
      stdin: signed.stdout,
    });
    expect(asMessage.stderr).toMatch(/^jws_typ_mismatch/);
  });
});

describe('yrdx keys init / list / rotate / config check on a configured node', () => {
  it('generates first keys, lists them, and rotates with the overlap rule', async () => {
    const config = join(copyConfig(), 'node.json');
    const clock = new FakeClock();
    const init = await cli(['keys', 'init', '--config', config, '--json'], { now: clock.now });
    expect(init.status, init.stderr).toBe(0);
    const listed = await cli(['keys', 'list', '--config', config, '--json'], { now: clock.now });
    const keys = listed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kid: string; state: string });
    expect(keys.map((k) => k.state)).toEqual(['active', 'next']);

    const early = await cli(['keys', 'rotate', '--config', config], { now: clock.now });
    expect(early.status).toBe(1);
    expect(early.stderr).toMatch(/^key_rotation_refused: /);

    clock.advance(86400);
    const rotated = await cli(['keys', 'rotate', '--config', config, '--json'], { now: clock.now });
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ activated: keys[1]?.kid, retired: keys[0]?.kid });
    const jwks = JSON.parse(readFileSync(JSON.parse(rotated.stdout).jwks, 'utf8')) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys).toHaveLength(3);

    const check = await cli(['config', 'check', '--config', config]);
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toContain('有效');
  });

  it('refuses to rotate keys it cannot write', async () => {
    const dir2 = tempDir();
    const keyring = await cli(['keys', 'init', '--config', join(copyConfig(), 'node.json'), '--json']);
    expect(keyring.status).toBe(0);
    const config = writeJson(join(dir2, 'env.json'), {
      id: '330500',
      name: '湖州市',
      province: 'zj',
      publicUrl: 'http://127.0.0.1:8787',
      keys: { source: 'env', variable: 'YRDX_NODE_KEYS' },
      partners: [],
    });
    const missing = await cli(['keys', 'rotate', '--config', config]);
    expect(missing.stderr).toMatch(/^keys_unavailable: .*YRDX_NODE_KEYS/);
  });
});

describe('the installed command', () => {
  it('runs as bin/yrdx.js', () => {
    const out = execFileSync(process.execPath, ['bin/yrdx.js', 'help'], { encoding: 'utf8' });
    expect(out).toContain('yrdx verify --jwks JWKS_FILE');
    const bad = spawnSync(process.execPath, ['bin/yrdx.js', 'verify', '--jwks', 'nope.json', 'nope.jws'], {
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
  });
});
