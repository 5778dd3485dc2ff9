import { execFileSync, spawnSync } from 'node:child_process';
import {
  createPrivateKey,
  createPublicKey,
  sign as nodeSign,
  verify as nodeVerify,
  randomBytes,
} from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sm2 as smV2, sm3 as smV2sm3, sm4 as smV2sm4 } from 'sm-crypto-v2';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  exportSm2PrivateJwk,
  exportSm2PrivatePem,
  exportSm2PublicPem,
  importSm2PrivatePem,
  importSm2PublicPem,
  Sm2PrivateKey,
  type Sm2PublicKey,
  sm2Sign,
  sm2SignatureFromDer,
  sm2SignatureToDer,
  sm2Verify,
  sm3,
  sm4Gcm,
} from '../../src/crypto/gm/index.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';
import { fromHex, toHex } from './gm-vectors.js';

/**
 * Interoperability both ways with independent implementations: Debian's OpenSSL command line (keys
 * made by `openssl genpkey -algorithm SM2` at test time), Bouncy Castle in Java (Debian's
 * libbcprov-java, which .ci/run installs) and the npm package sm-crypto-v2.
 */
const DIST_ID = 'distid:1234567812345678';
const dir = tempDir('yrdx-gm-');
const messages = [
  new Uint8Array(0),
  new TextEncoder().encode('abc'),
  randomBytes(1000),
  randomBytes(1 << 20),
];

const openssl = (args: string[]) => spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });

function opensslVerifies(pubPem: string, message: Uint8Array, der: Uint8Array, distid?: string): boolean {
  writeFileSync(join(dir, 'pub.pem'), pubPem);
  writeFileSync(join(dir, 'msg.bin'), message);
  writeFileSync(join(dir, 'sig.der'), der);
  const options = distid === undefined ? [] : ['-sigopt', distid];
  const run = openssl(['dgst', '-sm3', '-verify', 'pub.pem', ...options, '-signature', 'sig.der', 'msg.bin']);
  if (run.status !== 0 && !run.stdout.includes('Verification failure')) throw new Error(run.stderr);
  return run.status === 0 && run.stdout.includes('Verified OK');
}

function opensslSigns(keyPem: string, message: Uint8Array): Uint8Array {
  writeFileSync(join(dir, 'key.pem'), keyPem);
  writeFileSync(join(dir, 'msg.bin'), message);
  const run = openssl(['dgst', '-sm3', '-sign', 'key.pem', '-sigopt', DIST_ID, '-out', 'sig.der', 'msg.bin']);
  if (run.status !== 0) throw new Error(run.stderr);
  return sm2SignatureFromDer(readFileSync(join(dir, 'sig.der')));
}

describe('SM2/SM3 interoperability with the OpenSSL command line', () => {
  let keyPem: string;
  let pubPem: string;
  let key: Sm2PrivateKey;
  let publicKey: Sm2PublicKey;

  beforeAll(() => {
    execFileSync('openssl', ['genpkey', '-algorithm', 'SM2', '-out', 'gen.pem'], { cwd: dir });
    keyPem = readFileSync(join(dir, 'gen.pem'), 'utf8');
    pubPem = execFileSync('openssl', ['pkey', '-in', 'gen.pem', '-pubout'], { cwd: dir, encoding: 'utf8' });
    key = importSm2PrivatePem(keyPem);
    publicKey = importSm2PublicPem(pubPem);
  });

  it('imports the keys OpenSSL generates and exports them byte for byte as OpenSSL writes them', () => {
    expect(publicKey.equals(key.publicKey)).toBe(true);
    expect(exportSm2PrivatePem(key)).toBe(keyPem);
    expect(exportSm2PublicPem(publicKey)).toBe(pubPem);
  });

  it('verifies what OpenSSL signs with the default identity', () => {
    for (const message of messages)
      expect(sm2Verify(publicKey, message, opensslSigns(keyPem, message))).toBe(true);
  });

  it('makes signatures OpenSSL verifies with distid 1234567812345678 — and only with that identity', () => {
    for (const message of messages) {
      const der = sm2SignatureToDer(sm2Sign(key, message));
      expect(opensslVerifies(pubPem, message, der, DIST_ID)).toBe(true);
      expect(opensslVerifies(pubPem, message, der)).toBe(false); // OpenSSL 3 defaults to an empty identity
      expect(opensslVerifies(pubPem, message, der, 'distid:ALICE123@YAHOO.COM')).toBe(false);
    }
  });

  it('signs with a key it generated and exported, which OpenSSL then uses', () => {
    const own = Sm2PrivateKey.generate();
    const message = messages[2]!;
    expect(sm2Verify(own.publicKey, message, opensslSigns(exportSm2PrivatePem(own), message))).toBe(true);
  });

  it('digests as OpenSSL does', () => {
    for (const message of messages) {
      writeFileSync(join(dir, 'msg.bin'), message);
      const run = openssl(['dgst', '-sm3', '-r', 'msg.bin']);
      expect(run.stdout.split(' ')[0]).toBe(toHex(sm3(message)));
    }
  });

  it('refuses what node:crypto signs with `crypto.sign("sm3", …)` (Z over an empty identity), as OpenSSL does', () => {
    const message = messages[1]!;
    const nodeDer = nodeSign('sm3', message, createPrivateKey(keyPem));
    expect(sm2Verify(publicKey, message, sm2SignatureFromDer(nodeDer))).toBe(false);
    expect(opensslVerifies(pubPem, message, nodeDer, DIST_ID)).toBe(false);
    // It is an SM2 signature under the empty identity, which the default-identity profile does not accept.
    expect(sm2Verify(publicKey, message, sm2SignatureFromDer(nodeDer), { id: new Uint8Array(0) })).toBe(true);
    // and node:crypto refuses ours.
    const ours = sm2SignatureToDer(sm2Sign(key, message));
    expect(nodeVerify('sm3', message, createPublicKey(pubPem), ours)).toBe(false);
  });
});

const BC_JAR = '/usr/share/java/bcprov.jar';
const haveBouncyCastle = existsSync(BC_JAR) && spawnSync('javac', ['-version']).status === 0;

// On a developer machine without Debian's libbcprov-java this suite is skipped; CI installs it and
// must not skip (the beforeAll then fails loudly).
describe.skipIf(!haveBouncyCastle && process.env.CI === undefined)(
  'interoperability with Bouncy Castle (Java)',
  () => {
    let classes: string;
    const java = (lines: string[]): string[] => {
      const run = spawnSync('java', ['-cp', `${classes}:${BC_JAR}`, 'Sm2Peer'], {
        input: `${lines.join('\n')}\n`,
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      });
      if (run.status !== 0) throw new Error(run.stderr);
      return run.stdout.trim().split('\n');
    };
    const h = (b: Uint8Array) => (b.length === 0 ? '-' : toHex(b));
    const ID = h(new TextEncoder().encode('1234567812345678'));

    beforeAll(() => {
      if (!haveBouncyCastle)
        throw new Error(`Bouncy Castle is missing: apt-get install libbcprov-java (${BC_JAR})`);
      classes = tempDir('yrdx-bc-');
      const source = new URL('./interop/Sm2Peer.java', import.meta.url).pathname;
      execFileSync('javac', ['-d', classes, '-cp', BC_JAR, source]);
    }, patient(60_000));

    it('SM2 both ways, SM3 and SM4-GCM agree', async () => {
      const key = Sm2PrivateKey.generate();
      const [x, y] = [key.publicKey.x.toString(16), key.publicKey.y.toString(16)];
      const scalar = exportHexD(key);
      const small = messages.slice(0, 3);
      const ours = small.map((m) => sm2Sign(key, m));
      const nonce = randomBytes(12);
      const aad = randomBytes(20);
      const gcmKey = randomBytes(16);
      const plain = randomBytes(1000);
      const answers = java([
        ...small.map((m) => `sign ${scalar} ${ID} ${h(m)}`),
        ...small.map((m, i) => `verify ${x} ${y} ${ID} ${h(m)} ${toHex(ours[i]!)}`),
        ...small.map(
          (m, i) => `verify ${x} ${y} ${h(new TextEncoder().encode('other'))} ${h(m)} ${toHex(ours[i]!)}`,
        ),
        `sm3 ${h(messages[2]!)}`,
        `sm4gcm ${toHex(gcmKey)} ${toHex(nonce)} ${toHex(aad)} ${toHex(plain)}`,
      ]);
      small.forEach((m, i) => {
        expect(sm2Verify(key.publicKey, m, fromHex(answers[i]!))).toBe(true);
        expect(answers[small.length + i]).toBe('true');
        expect(answers[2 * small.length + i]).toBe('false');
      });
      expect(answers[3 * small.length]).toBe(toHex(sm3(messages[2]!)));
      expect(answers[3 * small.length + 1]).toBe(toHex(await sm4Gcm.seal(gcmKey, nonce, plain, aad)));
    });
  },
);

describe('interoperability with sm-crypto-v2 (npm)', () => {
  it('SM2 both ways, SM3 and SM4-GCM agree', async () => {
    const key = Sm2PrivateKey.generate();
    const publicHex = toHex(key.publicKey.toUncompressed());
    for (const message of messages.slice(0, 3)) {
      const theirs = smV2.doSignature(message, exportHexD(key), {
        hash: true,
        der: false,
        publicKey: publicHex,
      });
      expect(sm2Verify(key.publicKey, message, fromHex(theirs))).toBe(true);
      expect(
        smV2.doVerifySignature(message, toHex(sm2Sign(key, message)), publicHex, { hash: true, der: false }),
      ).toBe(true);
      expect(smV2sm3(message)).toBe(toHex(sm3(message)));
    }
    const [gcmKey, nonce, aad, plain] = [randomBytes(16), randomBytes(12), randomBytes(9), randomBytes(77)];
    const theirs = smV2sm4.encrypt(plain, gcmKey, {
      mode: 'gcm',
      iv: nonce,
      associatedData: aad,
      output: 'array',
      outputTag: true,
    });
    const sealed = await sm4Gcm.seal(gcmKey, nonce, plain, aad);
    expect(toHex(sealed)).toBe(toHex(theirs.output) + toHex(theirs.tag ?? new Uint8Array()));
  });
});

/** The private scalar in hex, through the JWK export. */
function exportHexD(key: Sm2PrivateKey): string {
  return Buffer.from(exportSm2PrivateJwk(key).d, 'base64url').toString('hex');
}
