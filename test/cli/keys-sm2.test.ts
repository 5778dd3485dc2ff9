import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportSm2PublicJwk, importSm2PublicPem, sm2JwkThumbprint } from '../../src/crypto/gm/index.js';
import { cli } from '../helpers/cli.js';
import { FakeClock } from '../helpers/nodes.js';
import { copyConfig, tempDir, writeJson } from '../helpers/tmp.js';

/**
 * SM2 keys through the real CLI (issue 19): generate, sign and verify with SM2 JWKs; a national-profile
 * node whose keys and rotations are SM2; `keys import --pem` of keys made here by Debian's OpenSSL
 * (`openssl genpkey -algorithm SM2`, `openssl ecparam -genkey -name SM2`), and every file it refuses.
 */
const dir = tempDir('yrdx-keys-sm2-');
const f = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8' });
const en = { env: { YRDX_LANG: 'en' } };

interface ListedKey {
  kid: string;
  alg: string;
  state: string;
  thumbprint: string;
}
const listed = async (config: string, clock: FakeClock): Promise<ListedKey[]> => {
  const run = await cli(['keys', 'list', '--config', config, '--json'], { now: clock.now });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ListedKey);
};

/** A node configuration in its own folder; `gm` leaves keys.algorithm unset, so the profile decides it. */
function nodeConfig(profile: 'gm' | 'international', keys: Record<string, unknown> = { source: 'file' }) {
  const base = JSON.parse(readFileSync(join(copyConfig(), 'node.json'), 'utf8')) as Record<string, unknown>;
  const folder = tempDir('yrdx-keys-sm2-node-');
  return writeJson(join(folder, 'node.json'), {
    ...base,
    $schema: undefined,
    dataDir: join(folder, 'data'),
    cryptoProfile: profile,
    keys: profile === 'gm' ? keys : { ...keys, algorithm: 'ES256' },
  });
}

/** The thumbprint OpenSSL's public key of a PEM has, computed from `openssl pkey -pubout`. */
const opensslThumbprint = (pem: string) =>
  sm2JwkThumbprint(exportSm2PublicJwk(importSm2PublicPem(openssl('pkey', '-in', pem, '-pubout'))), 'SHA-256');

const payload = writeJson(f('payload.json'), {
  iss: '330500',
  aud: '320500',
  jti: '01JTESTSM2CLI0000000000001',
  type: 'notification',
  domain: 'road-transport',
  contract: 'road-transport@1.0.0',
  thread: '01JTESTSM2CLI0000000000001',
  body: { 车牌号码: '浙E12345' },
});

beforeAll(() => {
  openssl('genpkey', '-algorithm', 'SM2', '-out', 'genpkey.pem');
  openssl('ecparam', '-genkey', '-name', 'SM2', '-out', 'ecparam.pem');
});

describe('yrdx keys generate --alg SM2, sign, verify', () => {
  it('makes an EC/SM2 JWK that signs a JWS the CLI verifies, and refuses it altered', async () => {
    const gen = await cli(['keys', 'generate', '--alg', 'SM2', '--kid', 'hz-sm2', '--out', dir, '--json']);
    expect(gen.status, gen.stderr).toBe(0);
    expect(JSON.parse(gen.stdout)).toMatchObject({ kid: 'hz-sm2', alg: 'SM2' });
    const privateFile = f('hz-sm2.private.jwk.json');
    expect(statSync(privateFile).mode & 0o777).toBe(0o600);
    const [published] = JSON.parse(readFileSync(f('hz-sm2.jwks.json'), 'utf8')).keys;
    expect(published).toMatchObject({ kty: 'EC', crv: 'SM2', alg: 'SM2', use: 'sig', kid: 'hz-sm2' });
    expect(published).not.toHaveProperty('d');
    expect(Buffer.from(published.x, 'base64url')).toHaveLength(32);

    const signed = await cli(['sign', '--key', privateFile, payload]);
    expect(signed.status, signed.stderr).toBe(0);
    const header = JSON.parse(Buffer.from(signed.stdout.split('.')[0]!, 'base64url').toString());
    expect(header).toEqual({ alg: 'SM2', kid: 'hz-sm2', typ: 'yrdx+jwt' });
    expect(Buffer.from(signed.stdout.trim().split('.')[2]!, 'base64url')).toHaveLength(64);
    writeFileSync(f('sm2.jws'), signed.stdout);
    const verified = await cli(['verify', '--jwks', f('hz-sm2.jwks.json'), '--iss', '330500', f('sm2.jws')]);
    expect(verified.status, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ body: { 车牌号码: '浙E12345' } });

    // One bit of s flipped: refused for its signature.
    const [h, p, s] = signed.stdout.trim().split('.') as [string, string, string];
    const sig = Buffer.from(s, 'base64url');
    sig[40]! ^= 1;
    const bad = await cli(['verify', '--jwks', f('hz-sm2.jwks.json'), '-'], {
      stdin: `${h}.${p}.${sig.toString('base64url')}`,
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^jws_signature_invalid: /);
  });

  it('does not let an SM2 JWKS entry that claims alg ES256, or carries d, verify anything', async () => {
    const jwks = JSON.parse(readFileSync(f('hz-sm2.jwks.json'), 'utf8'));
    const privateJwk = JSON.parse(readFileSync(f('hz-sm2.private.jwk.json'), 'utf8'));
    const signed = (await cli(['sign', '--key', f('hz-sm2.private.jwk.json'), payload])).stdout;
    for (const [name, key] of [
      ['es256', { ...jwks.keys[0], alg: 'ES256' }],
      ['private', privateJwk],
    ] as const) {
      writeJson(f(`${name}.jwks.json`), { keys: [key] });
      const run = await cli(['verify', '--jwks', f(`${name}.jwks.json`), '-'], { stdin: signed });
      expect(run.status, name).toBe(1);
      expect(run.stderr, name).toMatch(/^jws_unknown_key: /);
    }
  });
});

describe('a node of the national profile (cryptoProfile "gm")', () => {
  it('makes SM2 keys and rotates to SM2 keys, as keys.algorithm defaults to SM2', async () => {
    const config = nodeConfig('gm');
    const clock = new FakeClock();
    expect((await cli(['keys', 'init', '--config', config], { now: clock.now })).status).toBe(0);
    const first = await listed(config, clock);
    expect(first.map((k) => [k.state, k.alg])).toEqual([
      ['active', 'SM2'],
      ['next', 'SM2'],
    ]);
    const early = await cli(['keys', 'rotate', '--config', config], { now: clock.now });
    expect(early.stderr).toMatch(/^key_rotation_refused: /);
    clock.advance(86_400);
    const rotated = await cli(['keys', 'rotate', '--config', config, '--json'], { now: clock.now });
    expect(rotated.status, rotated.stderr).toBe(0);
    const summary = JSON.parse(rotated.stdout);
    expect(summary).toMatchObject({ activated: first[1]!.kid, retired: first[0]!.kid });
    const after = await listed(config, clock);
    expect(after.map((k) => [k.state, k.alg])).toEqual([
      ['retired', 'SM2'],
      ['active', 'SM2'],
      ['next', 'SM2'],
    ]);
    const jwks = JSON.parse(readFileSync(summary.jwks, 'utf8')).keys as Record<string, unknown>[];
    expect(jwks.map((k) => [k.crv, k.alg])).toEqual([
      ['SM2', 'SM2'],
      ['SM2', 'SM2'],
      ['SM2', 'SM2'],
    ]);
  });

  it('is reached from an ES256 node by rotating twice with keys.algorithm SM2 (docs/keys-sm2.md)', async () => {
    const config = nodeConfig('international');
    const clock = new FakeClock();
    expect((await cli(['keys', 'init', '--config', config], { now: clock.now })).status).toBe(0);
    const international = JSON.parse(readFileSync(config, 'utf8'));
    writeJson(config, { ...international, keys: { source: 'file', algorithm: 'SM2' } });
    for (let i = 0; i < 2; i++) {
      clock.advance(86_400);
      const run = await cli(['keys', 'rotate', '--config', config], { now: clock.now });
      expect(run.status, run.stderr).toBe(0);
    }
    writeJson(config, { ...international, cryptoProfile: 'gm', keys: { source: 'file' } });
    const keys = await listed(config, clock);
    expect(keys.filter((k) => k.state !== 'retired').map((k) => [k.state, k.alg])).toEqual([
      ['active', 'SM2'],
      ['next', 'SM2'],
    ]);
    expect(keys.filter((k) => k.state === 'retired').map((k) => k.alg)).toEqual(['ES256', 'ES256']);
  });

  it('refuses an ES256 signing key, and takes an SM2 key made by OpenSSL as its signing key', async () => {
    const config = nodeConfig('international');
    const clock = new FakeClock();
    expect((await cli(['keys', 'init', '--config', config], { now: clock.now })).status).toBe(0);
    // The same node, now configured for the national profile, with its ES256 keys.
    const gm = JSON.parse(readFileSync(config, 'utf8'));
    writeJson(config, { ...gm, cryptoProfile: 'gm', keys: { source: 'file' } });
    const refused = await cli(['keys', 'list', '--config', config], { now: clock.now });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^keys_invalid: .*国密配置.*SM2/);
    const imported = await cli(
      ['keys', 'import', '--pem', f('ecparam.pem'), '--state', 'active', '--config', config, '--json'],
      { now: clock.now },
    );
    expect(imported.status, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ state: 'active', retired: expect.any(String) });
    const keys = await listed(config, clock);
    expect(keys.find((k) => k.state === 'active')).toMatchObject({
      alg: 'SM2',
      thumbprint: opensslThumbprint('ecparam.pem'),
    });
  });
});

describe('yrdx keys import --pem', () => {
  let config: string;
  const clock = new FakeClock();
  beforeAll(async () => {
    config = nodeConfig('gm');
    expect((await cli(['keys', 'init', '--config', config], { now: clock.now })).status).toBe(0);
  });

  it('adds a key of `openssl genpkey -algorithm SM2` as the next key, which a rotation makes sign', async () => {
    const before = await listed(config, clock);
    const run = await cli(['keys', 'import', '--pem', f('genpkey.pem'), '--config', config, '--replace'], {
      now: clock.now,
    });
    expect(run.status, run.stderr).toBe(0);
    const thumbprint = opensslThumbprint('genpkey.pem');
    expect(run.stdout).toContain(`指纹 ${thumbprint}`);
    expect(run.stdout).toContain(`原下一密钥 ${before[1]!.kid} 已删除`);
    const keys = await listed(config, clock);
    const next = keys.find((k) => k.state === 'next')!;
    expect(next).toMatchObject({ alg: 'SM2', thumbprint });
    expect(next.kid).toBe(
      `330500-${new Date(clock.ms).toISOString().slice(0, 10).replaceAll('-', '')}-${thumbprint.slice(0, 8)}`,
    );
    // The public key it publishes is OpenSSL's, byte for byte.
    const exported = await cli(['keys', 'export', '--config', config, '--kid', next.kid, '--pem']);
    expect(exported.stdout).toBe(openssl('pkey', '-in', 'genpkey.pem', '-pubout'));

    clock.advance(86_400);
    expect((await cli(['keys', 'rotate', '--config', config], { now: clock.now })).status).toBe(0);
    const active = await cli(['keys', 'export', '--config', config]);
    expect(JSON.parse(active.stdout)).toMatchObject({ kid: next.kid, crv: 'SM2', alg: 'SM2' });
    expect(JSON.parse(active.stdout)).not.toHaveProperty('d');
  });

  it('adds a key of `openssl ecparam -genkey -name SM2` (SEC 1 after its parameters block), with the kid given', async () => {
    const clash = await cli(['keys', 'import', '--pem', f('ecparam.pem'), '--config', config], {
      now: clock.now,
    });
    expect(clash.status).toBe(1);
    expect(clash.stderr).toMatch(/^keys_invalid: .*已有下一密钥.*--replace/);
    const run = await cli(
      ['keys', 'import', '--pem', f('ecparam.pem'), '--kid', 'ca-2027', '--replace', '--config', config],
      { now: clock.now, ...en },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('imported key ca-2027 (SM2, next)');
    expect((await listed(config, clock)).find((k) => k.kid === 'ca-2027')).toMatchObject({
      state: 'next',
      thumbprint: opensslThumbprint('ecparam.pem'),
    });
    // The same key twice, under another kid, is one key.
    const again = await cli(
      ['keys', 'import', '--pem', f('ecparam.pem'), '--kid', 'ca-copy', '--replace', '--config', config],
      { now: clock.now },
    );
    expect(again.stderr).toMatch(/^keys_invalid: .*已在密钥环中（ca-2027/);
  });

  it('writes the key as JWK files with --out, for keys kept in an environment variable or a secret', async () => {
    const envConfig = nodeConfig('gm', { source: 'env', variable: 'YRDX_NODE_KEYS' });
    const refused = await cli(['keys', 'import', '--pem', f('genpkey.pem'), '--config', envConfig]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^keys_unavailable: .*YRDX_NODE_KEYS.*--out DIR/);
    const out = tempDir('yrdx-keys-sm2-out-');
    const run = await cli([
      'keys',
      'import',
      '--pem',
      f('genpkey.pem'),
      '--kid',
      'ca',
      '--out',
      out,
      '--json',
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      kid: 'ca',
      alg: 'SM2',
      thumbprint: opensslThumbprint('genpkey.pem'),
    });
    expect(statSync(join(out, 'ca.private.jwk.json')).mode & 0o777).toBe(0o600);
    const signed = await cli(['sign', '--key', join(out, 'ca.private.jwk.json'), payload]);
    const verified = await cli(['verify', '--jwks', join(out, 'ca.jwks.json'), '-'], {
      stdin: signed.stdout,
    });
    expect(verified.status, verified.stderr).toBe(0);
    // The keyring document an environment variable holds may be that one private JWK.
    const jwk = readFileSync(join(out, 'ca.private.jwk.json'), 'utf8');
    const listedEnv = await cli(['keys', 'list', '--config', envConfig, '--json'], {
      env: { YRDX_NODE_KEYS: jwk },
    });
    expect(JSON.parse(listedEnv.stdout)).toMatchObject({ kid: 'ca', alg: 'SM2', state: 'active' });
  });

  describe('refuses, in both languages, and leaves the keyring as it was', () => {
    const files: Record<string, { make: () => void; zh: RegExp; en: RegExp }> = {
      'an encrypted PKCS #8 key': {
        make: () =>
          openssl('genpkey', '-algorithm', 'SM2', '-aes-256-cbc', '-pass', 'pass:x', '-out', 'enc.pem'),
        zh: /已加密/,
        en: /is encrypted/,
      },
      'an encrypted SEC 1 key (Proc-Type)': {
        make: () =>
          openssl('ec', '-in', 'ecparam.pem', '-aes-256-cbc', '-passout', 'pass:x', '-out', 'enc-sec1.pem'),
        zh: /已加密/,
        en: /is encrypted/,
      },
      'a P-256 key (SEC 1)': {
        make: () => openssl('ecparam', '-genkey', '-name', 'prime256v1', '-out', 'p256.pem'),
        zh: /曲线 prime256v1 上的密钥，不是 SM2/,
        en: /curve prime256v1, not an SM2/,
      },
      'a P-256 key (PKCS #8)': {
        make: () =>
          openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'p256-8.pem'),
        zh: /曲线 prime256v1 上的密钥/,
        en: /curve prime256v1/,
      },
      'an Ed25519 key': {
        make: () => openssl('genpkey', '-algorithm', 'ED25519', '-out', 'ed.pem'),
        zh: /是 ED25519 密钥，不是 SM2 密钥/,
        en: /is an ED25519 key, not an SM2 key/,
      },
      'a public key': {
        make: () => openssl('pkey', '-in', 'genpkey.pem', '-pubout', '-out', 'pub.pem'),
        zh: /只有公钥或证书/,
        en: /holds a public key or a certificate/,
      },
      'a file of more than 16 KiB': {
        make: () =>
          writeFileSync(f('big.pem'), `${readFileSync(f('genpkey.pem'), 'utf8')}${'#'.repeat(17_000)}\n`),
        zh: /不像一个私钥 PEM 文件/,
        en: /too many for a private key PEM file/,
      },
      'a file that is not PEM': {
        make: () => writeFileSync(f('junk.pem'), 'MIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQg\n'),
        zh: /不是 PEM 格式的私钥/,
        en: /is not a private key in PEM form/,
      },
      'an SM2 key whose private scalar is zero': {
        make: () => {
          // OpenSSL's SEC 1 DER with d = 0, which no SM2 key may have: the 32 bytes after `04 20` at offset 5.
          const zeroed = execFileSync('openssl', ['pkey', '-in', 'genpkey.pem', '-outform', 'DER'], {
            cwd: dir,
          });
          expect([...zeroed.subarray(5, 7)]).toEqual([0x04, 0x20]);
          zeroed.fill(0, 7, 39);
          writeFileSync(
            f('zero.pem'),
            `-----BEGIN EC PRIVATE KEY-----\n${zeroed.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END EC PRIVATE KEY-----\n`,
          );
        },
        zh: /不是可用的 SM2 私钥/,
        en: /is not a usable SM2 private key/,
      },
    };
    const fileOf: Record<string, string> = {
      'an encrypted PKCS #8 key': 'enc.pem',
      'an encrypted SEC 1 key (Proc-Type)': 'enc-sec1.pem',
      'a P-256 key (SEC 1)': 'p256.pem',
      'a P-256 key (PKCS #8)': 'p256-8.pem',
      'an Ed25519 key': 'ed.pem',
      'a public key': 'pub.pem',
      'a file of more than 16 KiB': 'big.pem',
      'a file that is not PEM': 'junk.pem',
      'an SM2 key whose private scalar is zero': 'zero.pem',
    };
    for (const [name, { make, zh, en: english }] of Object.entries(files)) {
      it(name, async () => {
        make();
        const before = await listed(config, clock);
        const args = ['keys', 'import', '--pem', f(fileOf[name]!), '--replace', '--config', config];
        const zhRun = await cli(args, { now: clock.now });
        expect(zhRun.status, zhRun.stderr).toBe(1);
        expect(zhRun.stderr).toMatch(/^keys_invalid: 密钥材料无效：/);
        expect(zhRun.stderr).toMatch(zh);
        const enRun = await cli(args, { now: clock.now, ...en });
        expect(enRun.stderr).toMatch(/^keys_invalid: The key material is invalid: /);
        expect(enRun.stderr).toMatch(english);
        expect(await listed(config, clock)).toEqual(before);
      });
    }
  });

  it('reports a missing file and wrong options as usage errors (status 2)', async () => {
    expect((await cli(['keys', 'import', '--config', config])).status).toBe(2);
    expect((await cli(['keys', 'import', '--pem', f('none.pem'), '--config', config])).stderr).toMatch(
      /无法读取 .*none\.pem（ENOENT）/,
    );
    expect((await cli(['keys', 'import', '--pem', f('genpkey.pem'), '--state', 'retired'])).status).toBe(2);
    expect((await cli(['keys', 'import', '--pem', f('genpkey.pem'), '--kid', 'a b'])).status).toBe(2);
  });
});

describe('the installed command (bin/yrdx.js, from dist/)', () => {
  const yrdx = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/yrdx.js', ...args], { encoding: 'utf8' });

  it('imports an OpenSSL key, signs with it and verifies, as a separate process', () => {
    const out = tempDir('yrdx-keys-sm2-bin-');
    const imported = yrdx(
      'keys',
      'import',
      '--pem',
      f('genpkey.pem'),
      '--kid',
      'bin',
      '--out',
      out,
      '--json',
    );
    expect(imported.status, imported.stderr).toBe(0);
    const signed = yrdx('sign', '--key', join(out, 'bin.private.jwk.json'), payload);
    expect(signed.status, signed.stderr).toBe(0);
    writeFileSync(join(out, 'bin.jws'), signed.stdout);
    const verified = yrdx('verify', '--jwks', join(out, 'bin.jwks.json'), join(out, 'bin.jws'));
    expect(verified.status, verified.stderr).toBe(0);
    const refused = spawnSync(
      process.execPath,
      ['bin/yrdx.js', 'keys', 'import', '--pem', payload, '--out', out],
      {
        encoding: 'utf8',
        env: { ...process.env, YRDX_LANG: 'en' },
      },
    );
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /^keys_invalid: The key material is invalid: .*is not a private key in PEM form/,
    );
  });
});
