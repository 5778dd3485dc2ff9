import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sm2 as smV2 } from 'sm-crypto-v2';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Sm2PublicJwk,
  sm2JwkThumbprint,
  sm2SignatureFromDer,
  sm2SignatureToDer,
} from '../../src/crypto/gm/index.js';
import type { SigningAlgorithm } from '../../src/envelope/algorithms.js';
import { encodeBase64UrlText } from '../../src/envelope/base64url.js';
import { openJws, openMessage } from '../../src/envelope/open.js';
import { DEFAULT_POLICY, MESSAGE_TYP } from '../../src/envelope/policy.js';
import { signCompact } from '../../src/envelope/seal.js';
import { YrdxError } from '../../src/errors/errors.js';
import { importSigner, importVerificationKey, publicPart, thumbprint } from '../../src/keys/jwk.js';
import { PartnerRegistry } from '../../src/trust/partner-registry.js';
import { cli } from '../helpers/cli.js';
import {
  FakeClock,
  messageClaims,
  partnerConfig,
  signRaw,
  type TestNode,
  testNode,
} from '../helpers/nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir, writeJson } from '../helpers/tmp.js';
import { fromHex, toHex } from './gm-vectors.js';

/**
 * JWS `alg: "SM2"` between yrdx and independent implementations (issue 19): a token yrdx made with a
 * fixed test key (test/vectors/jws-sm2.json) and fresh ones, checked by Bouncy Castle (Java) and by
 * sm-crypto-v2 (npm), and theirs opened by yrdx with the key pinned; keys made here by Debian's OpenSSL,
 * imported with `yrdx keys import`, signing tokens `openssl dgst -sm3 -verify` accepts, and OpenSSL's
 * signatures over a JWS signing input accepted by yrdx. Then what must be refused at the envelope.
 */
const vector = JSON.parse(readFileSync(new URL('../vectors/jws-sm2.json', import.meta.url), 'utf8')) as {
  jwk: Record<string, string>;
  thumbprint: string;
  claims: Record<string, unknown> & { iat: number; iss: string; aud: string };
  token: string;
};
const ID = '1234567812345678';
const DIST_ID = `distid:${ID}`;
const dir = tempDir('yrdx-jws-sm2-');
const ascii = new TextEncoder();

const parts = (token: string) => token.split('.') as [string, string, string];
const signingInput = (token: string) => ascii.encode(parts(token).slice(0, 2).join('.'));
const signatureOf = (token: string) => new Uint8Array(Buffer.from(parts(token)[2], 'base64url'));
const withSignature = (input: Uint8Array | string, rs: Uint8Array) =>
  `${typeof input === 'string' ? input : new TextDecoder().decode(input)}.${Buffer.from(rs).toString('base64url')}`;
const publicHex = (jwk: Record<string, unknown>) =>
  `04${Buffer.from(String(jwk.x), 'base64url').toString('hex')}${Buffer.from(String(jwk.y), 'base64url').toString('hex')}`;
const hexOf = (b64url: unknown) => Buffer.from(String(b64url), 'base64url').toString('hex');

/** Huzhou (330500) pins the fixed key for Suzhou... the vector's issuer, 330500, sending to 320500. */
const clock = new FakeClock(vector.claims.iat * 1000);
const publicJwk = { ...publicPart(vector.jwk), kid: vector.jwk.kid!, alg: 'SM2' };
async function pinnedRegistry(self: string, issuer: string, jwk: Record<string, unknown> & { kid: string }) {
  const config = partnerConfig({ id: issuer, publicJwk: jwk } as unknown as TestNode, {
    keys: { jwks: { keys: [jwk] }, pins: [{ thumbprint: await thumbprint(jwk) }] },
  });
  return PartnerRegistry.create([config], { file: 'test', ownId: self, ownThumbprints: [] });
}
const openAt320500 = async (token: string, extra: Record<string, unknown> = {}) =>
  openMessage(token, {
    self: '320500',
    keys: await pinnedRegistry('320500', '330500', publicJwk),
    policy: DEFAULT_POLICY,
    now: clock.now,
    ...extra,
  });
/** A message from 330500 with the fixed key's kid, as header and payload text. */
const header = () => JSON.stringify({ alg: 'SM2', kid: vector.jwk.kid, typ: MESSAGE_TYP });
const claims = () =>
  JSON.stringify({ ...vector.claims, jti: `01JTESTSM2INTEROP${Math.floor(Math.random() * 1e9)}` });
const freshInput = () => `${encodeBase64UrlText(header())}.${encodeBase64UrlText(claims())}`;

describe('the fixed test key (test/vectors/jws-sm2.json)', () => {
  it('has the stated RFC 7638 thumbprint, and its stored token opens with the key pinned', async () => {
    expect(await thumbprint(vector.jwk)).toBe(vector.thumbprint);
    expect(sm2JwkThumbprint(publicPart(vector.jwk) as unknown as Sm2PublicJwk, 'SHA-256')).toBe(
      vector.thumbprint,
    );
    const opened = await openAt320500(vector.token);
    expect(opened).toMatchObject({ alg: 'SM2', claims: vector.claims });
  });
});

describe('with sm-crypto-v2 (npm), an independent SM2 in JavaScript', () => {
  it('verifies the stored token and fresh ones yrdx signs with the fixed key', async () => {
    const signer = await importSigner(vector.jwk, vector.jwk.kid!);
    const fresh = await signCompact(JSON.parse(claims()), MESSAGE_TYP, signer);
    for (const token of [vector.token, fresh]) {
      const ok = smV2.doVerifySignature(
        signingInput(token),
        toHex(signatureOf(token)),
        publicHex(vector.jwk),
        {
          hash: true,
          der: false,
        },
      );
      expect(ok).toBe(true);
    }
  });

  it('signs a JWS signing input that yrdx opens with the key pinned', async () => {
    const input = freshInput();
    const theirs = smV2.doSignature(ascii.encode(input), hexOf(vector.jwk.d), {
      hash: true,
      der: false,
      publicKey: publicHex(vector.jwk),
    });
    await expect(openAt320500(withSignature(input, fromHex(theirs)))).resolves.toMatchObject({ alg: 'SM2' });
  });
});

const BC_JAR = '/usr/share/java/bcprov.jar';
const haveBouncyCastle = existsSync(BC_JAR) && spawnSync('javac', ['-version']).status === 0;

// As in sm2-interop.test.ts: skipped on a machine without Debian's libbcprov-java, never on CI.
describe.skipIf(!haveBouncyCastle && process.env.CI === undefined)('with Bouncy Castle (Java)', () => {
  let classes: string;
  /** test/crypto/interop/Sm2Peer.java: `sign <d> <id> <message>` and `verify <x> <y> <id> <message> <rs>`, in hex. */
  const java = (lines: string[]): string[] => {
    const run = spawnSync('java', ['-cp', `${classes}:${BC_JAR}`, 'Sm2Peer'], {
      input: `${lines.join('\n')}\n`,
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(run.stderr);
    return run.stdout.trim().split('\n');
  };
  const id = Buffer.from(ID).toString('hex');
  const [x, y, d] = [hexOf(vector.jwk.x), hexOf(vector.jwk.y), hexOf(vector.jwk.d)];

  beforeAll(() => {
    if (!haveBouncyCastle)
      throw new Error(`Bouncy Castle is missing: apt-get install libbcprov-java (${BC_JAR})`);
    classes = tempDir('yrdx-bc-jws-');
    execFileSync('javac', [
      '-d',
      classes,
      '-cp',
      BC_JAR,
      new URL('./interop/Sm2Peer.java', import.meta.url).pathname,
    ]);
  }, patient(60_000));

  it('SM2Signer verifies yrdx’s tokens under the default identity only, and signs one yrdx opens', async () => {
    const signer = await importSigner(vector.jwk, vector.jwk.kid!);
    const fresh = await signCompact(JSON.parse(claims()), MESSAGE_TYP, signer);
    const input = freshInput();
    const other = Buffer.from('ALICE123@YAHOO.COM').toString('hex');
    const answers = java([
      ...[vector.token, fresh].map(
        (t) => `verify ${x} ${y} ${id} ${toHex(signingInput(t))} ${toHex(signatureOf(t))}`,
      ),
      `verify ${x} ${y} ${other} ${toHex(signingInput(fresh))} ${toHex(signatureOf(fresh))}`,
      `sign ${d} ${id} ${toHex(ascii.encode(input))}`,
    ]);
    expect(answers.slice(0, 3)).toEqual(['true', 'true', 'false']);
    const token = withSignature(input, fromHex(answers[3]!));
    await expect(openAt320500(token)).resolves.toMatchObject({ alg: 'SM2', claims: { iss: '330500' } });
    // The same signature under another kid's pinned key is not accepted.
    const stranger = await testNode('330500', 'SM2', vector.jwk.kid);
    await expect(
      openMessage(token, {
        self: '320500',
        keys: await pinnedRegistry('320500', '330500', stranger.publicJwk),
        policy: DEFAULT_POLICY,
        now: clock.now,
      }),
    ).rejects.toMatchObject({ code: 'jws_signature_invalid' });
  });
});

const openssl = (args: string[]) => spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });

/** `openssl dgst -sm3 -verify` over a token's signing input, its r ‖ s given to OpenSSL as DER. */
function opensslVerifies(spki: string, token: string, distid?: string): boolean {
  writeFileSync(join(dir, 'input.bin'), signingInput(token));
  writeFileSync(join(dir, 'sig.der'), sm2SignatureToDer(signatureOf(token)));
  const options = distid === undefined ? [] : ['-sigopt', distid];
  const run = openssl(['dgst', '-sm3', '-verify', spki, ...options, '-signature', 'sig.der', 'input.bin']);
  return run.status === 0 && run.stdout.includes('Verified OK');
}

/** OpenSSL's signature over a JWS signing input, as r ‖ s. */
function opensslSigns(keyPem: string, input: string, distid = DIST_ID): Uint8Array {
  writeFileSync(join(dir, 'input.bin'), input);
  const run = openssl(['dgst', '-sm3', '-sign', keyPem, '-sigopt', distid, '-out', 'sig.der', 'input.bin']);
  if (run.status !== 0) throw new Error(run.stderr);
  return sm2SignatureFromDer(readFileSync(join(dir, 'sig.der')));
}

describe('with Debian’s OpenSSL command line, keys made by OpenSSL and imported by `yrdx keys import`', () => {
  const made = {
    'openssl genpkey -algorithm SM2': ['genpkey', '-algorithm', 'SM2', '-out', 'genpkey.pem'],
    'openssl ecparam -genkey -name SM2': ['ecparam', '-genkey', '-name', 'SM2', '-out', 'ecparam.pem'],
  };
  const payload = writeJson(join(dir, 'payload.json'), {
    ...messageClaims('330500', '320500', clock),
    iat: undefined,
    exp: undefined,
  });

  for (const [name, args] of Object.entries(made)) {
    describe(name, () => {
      const pem = args.at(-1)!;
      const kid = pem.replace('.pem', '');
      const out = join(dir, kid);
      let jwks: string;
      beforeAll(async () => {
        execFileSync('openssl', args, { cwd: dir });
        execFileSync('openssl', ['pkey', '-in', pem, '-pubout', '-out', `${kid}.spki.pem`], { cwd: dir });
        const imported = await cli(['keys', 'import', '--pem', join(dir, pem), '--kid', kid, '--out', out]);
        expect(imported.status, imported.stderr).toBe(0);
        jwks = join(out, `${kid}.jwks.json`);
      });

      it('the imported key signs (yrdx sign) a JWS that OpenSSL verifies with distid 1234567812345678 only', async () => {
        const signed = await cli(['sign', '--key', join(out, `${kid}.private.jwk.json`), payload], {
          now: clock.now,
        });
        expect(signed.status, signed.stderr).toBe(0);
        const token = signed.stdout.trim();
        expect(opensslVerifies(`${kid}.spki.pem`, token, DIST_ID)).toBe(true);
        expect(opensslVerifies(`${kid}.spki.pem`, token)).toBe(false);
        expect(opensslVerifies(`${kid}.spki.pem`, token, 'distid:ALICE123@YAHOO.COM')).toBe(false);
      });

      it('OpenSSL signs a JWS signing input that yrdx verify and openJws accept', async () => {
        const jwk = JSON.parse(readFileSync(jwks, 'utf8')).keys[0] as Record<string, unknown> & {
          kid: string;
        };
        const input = `${encodeBase64UrlText(JSON.stringify({ alg: 'SM2', kid, typ: MESSAGE_TYP }))}.${encodeBase64UrlText(
          JSON.stringify(messageClaims('330500', '320500', clock)),
        )}`;
        const token = withSignature(input, opensslSigns(pem, input));
        const verified = await cli(['verify', '--jwks', jwks, '--iss', '330500', '--aud', '320500', '-'], {
          stdin: token,
          now: clock.now,
        });
        expect(verified.status, verified.stderr).toBe(0);
        const opened = await openJws(token, MESSAGE_TYP, {
          self: '320500',
          keys: await pinnedRegistry('320500', '330500', jwk),
          policy: DEFAULT_POLICY,
          now: clock.now,
        });
        expect(opened.alg).toBe('SM2');
      });

      it('a token OpenSSL signed under another identity is refused jws_signature_invalid', async () => {
        const input = `${encodeBase64UrlText(JSON.stringify({ alg: 'SM2', kid, typ: MESSAGE_TYP }))}.${encodeBase64UrlText(
          JSON.stringify(messageClaims('330500', '320500', clock)),
        )}`;
        const token = withSignature(input, opensslSigns(pem, input, 'distid:ALICE123@YAHOO.COM'));
        const run = await cli(['verify', '--jwks', jwks, '-'], { stdin: token, now: clock.now });
        expect(run.status).toBe(1);
        expect(run.stderr).toMatch(/^jws_signature_invalid: /);
      });
    });
  }
});

describe('what the envelope refuses under SM2', () => {
  let sm2: TestNode;
  let es256: TestNode;
  const ctx = async (...nodes: TestNode[]) => ({
    self: '320500',
    keys: await PartnerRegistry.create(
      nodes.map((n) => partnerConfig(n)),
      { file: 'test', ownId: '320500', ownThumbprints: [] },
    ),
    policy: DEFAULT_POLICY,
    now: clock.now,
  });
  const body = (from: string) => JSON.stringify(messageClaims(from, '320500', clock));
  beforeAll(async () => {
    [sm2, es256] = await Promise.all([testNode('330500', 'SM2'), testNode('310000', 'ES256')]);
  });

  it('a signature node:crypto makes with crypto.sign("sm3", …) (ECDSA-style, Z of an empty identity)', async () => {
    const pem = join(dir, 'node-sm2.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'SM2', '-out', pem]);
    const imported = await cli([
      'keys',
      'import',
      '--pem',
      pem,
      '--kid',
      'node-sm2',
      '--out',
      join(dir, 'node'),
    ]);
    expect(imported.status, imported.stderr).toBe(0);
    const jwk = JSON.parse(readFileSync(join(dir, 'node', 'node-sm2.jwks.json'), 'utf8')).keys[0];
    const input = `${encodeBase64UrlText(JSON.stringify({ alg: 'SM2', kid: 'node-sm2', typ: MESSAGE_TYP }))}.${encodeBase64UrlText(body('330500'))}`;
    const der = nodeSign('sm3', ascii.encode(input), createPrivateKey(readFileSync(pem)));
    const token = withSignature(input, sm2SignatureFromDer(der));
    const keys = await pinnedRegistry('320500', '330500', jwk);
    await expect(
      openMessage(token, { self: '320500', keys, policy: DEFAULT_POLICY, now: clock.now }),
    ).rejects.toMatchObject({ code: 'jws_signature_invalid' });
    // The same key's GM/T signature over the same input opens: the key is right, the signature form is not.
    const good = withSignature(input, opensslSigns(pem, input));
    await expect(
      openMessage(good, { self: '320500', keys, policy: DEFAULT_POLICY, now: clock.now }),
    ).resolves.toMatchObject({ alg: 'SM2' });
  });

  it('an SM2 key presented with alg ES256, and an ES256 key with alg SM2: jws_alg_key_mismatch', async () => {
    const context = await ctx(sm2, es256);
    for (const [node, alg] of [
      [sm2, 'ES256'],
      [es256, 'SM2'],
    ] as [TestNode, SigningAlgorithm][]) {
      const token = await signRaw(
        JSON.stringify({ alg, kid: node.kid, typ: MESSAGE_TYP }),
        body(node.id),
        node.signer,
      );
      await expect(openMessage(token, context), `${node.alg} as ${alg}`).rejects.toMatchObject({
        code: 'jws_alg_key_mismatch',
      });
    }
  });

  it('SM2 where the policy does not allow it: jws_alg_not_allowed', async () => {
    const token = await signRaw(
      JSON.stringify({ alg: 'SM2', kid: sm2.kid, typ: MESSAGE_TYP }),
      body('330500'),
      sm2.signer,
    );
    const context = await ctx(sm2);
    await expect(openMessage(token, context)).resolves.toMatchObject({ alg: 'SM2' });
    await expect(
      openMessage(token, { ...context, policy: { ...DEFAULT_POLICY, algorithms: ['ES256', 'EdDSA'] } }),
    ).rejects.toMatchObject({ code: 'jws_alg_not_allowed' });
  });

  /** A partner configured with the given JWK: the registry's refusal, with each fault's rule. */
  const registryRefusal = async (jwk: Record<string, unknown>) => {
    const error = await PartnerRegistry.create(
      [partnerConfig(sm2, { keys: { jwks: { keys: [jwk] }, pins: [] } })],
      { file: 'node.json', ownId: '320500', ownThumbprints: [] },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(YrdxError);
    return error as YrdxError;
  };

  it('a JWK that claims crv SM2 with a point off the curve: key_import_refused', async () => {
    const y = Buffer.from(String(sm2.publicJwk.y), 'base64url');
    y[31]! ^= 1;
    const offCurve = { ...sm2.publicJwk, y: y.toString('base64url') };
    await expect(importVerificationKey(offCurve, '330500')).rejects.toMatchObject({
      code: 'key_import_refused',
      params: { kid: sm2.kid, alg: 'SM2' },
    });
    const refused = await registryRefusal(offCurve);
    expect(refused.code).toBe('config_invalid');
    expect(refused.errors).toEqual([expect.objectContaining({ rule: 'key_import_refused' })]);
  });

  it('a private member in a partner’s public key, and an SM2 JWK that names alg ES256: config_invalid', async () => {
    const withD = await registryRefusal({ ...sm2.publicJwk, d: (sm2.privateJwk as { d: string }).d });
    expect(withD.code).toBe('config_invalid');
    expect(withD.errors[0]!.detail.en).toMatch(/private/);
    const es = await registryRefusal({ ...sm2.publicJwk, alg: 'ES256' });
    expect(es.code).toBe('config_invalid');
    expect(es.errors[0]!.detail.en).toMatch(/alg "ES256" does not fit a EC key/);
  });
});
