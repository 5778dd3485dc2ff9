import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateNodeConfig } from '../../src/config/validate.js';
import { YrdxError } from '../../src/errors/errors.js';
import { requireClientCertificate } from '../../src/exchange/client-certificate.js';
import {
  type ClientCertificateSource,
  type ClientIdentity,
  clientIdentityReader,
  identityRefusal,
  MAX_CERTIFICATE_HEADER,
} from '../../src/http/client-identity.js';
import { addressMatcher } from '../../src/http/proxy-addresses.js';
import { workerConfig } from '../../src/runtime/worker/config.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * How the node learns the client certificate a TLS/TLCP proxy verified (docs/tlcp.md): the header is
 * believed only from a trusted proxy address, read strictly, and matched against the pins of the
 * partner or local system. Certificates are made at run time by Debian's `openssl`, and the
 * fingerprints the node computes are checked against `openssl dgst -sha256` / `-sm3` of their DER.
 */
const PROXY = '10.8.0.5';
let pem = '';
let otherPem = '';
let sha256 = '';
let sm3 = '';

function certificate(dir: string, name: string): string {
  const key = join(dir, `${name}.key`);
  const crt = join(dir, `${name}.crt`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      `/CN=${name}/O=yrdx test`,
      '-days',
      '2',
      '-keyout',
      key,
      '-out',
      crt,
    ],
    { stdio: 'pipe' },
  );
  return readFileSync(crt, 'utf8');
}

function digestOfDer(dir: string, name: string, alg: 'sha256' | 'sm3'): string {
  const der = execFileSync('openssl', ['x509', '-in', join(dir, `${name}.crt`), '-outform', 'DER']);
  const out = execFileSync('openssl', ['dgst', `-${alg}`, '-r'], { input: der }).toString();
  return `${alg}:${out.split(' ')[0]}`;
}

beforeAll(() => {
  const dir = tempDir('yrdx-client-identity-');
  pem = certificate(dir, 'huzhou');
  otherPem = certificate(dir, 'intruder');
  sha256 = digestOfDer(dir, 'huzhou', 'sha256');
  sm3 = digestOfDer(dir, 'huzhou', 'sm3');
});

const certSource: ClientCertificateSource = {
  header: 'x-client-cert',
  carries: 'certificate',
  trustedProxies: [PROXY, 'fd00:8::/64'],
};
const subjectSource: ClientCertificateSource = { ...certSource, carries: 'subject' };
const read = clientIdentityReader(certSource);
const readSubject = clientIdentityReader(subjectSource);
/** What nginx's $ssl_client_escaped_cert holds: the PEM, URL-encoded. */
const escaped = (text: string) => encodeURIComponent(text);
const derBase64 = (text: string) => text.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
const reason = (identity: ClientIdentity) => (identity.kind === 'none' ? identity.reason : identity.kind);

describe('trusted proxy addresses', () => {
  const trusted = addressMatcher(['127.0.0.2', '10.8.0.0/24', '2001:db8:1::/48', '::1']);
  it.each([
    ['127.0.0.2', true],
    ['::ffff:127.0.0.2', true],
    ['10.8.0.77', true],
    ['2001:db8:1:ff::9', true],
    ['::1', true],
    ['127.0.0.1', false],
    ['10.8.1.1', false],
    ['2001:db8:2::1', false],
    ['::ffff:10.9.0.1', false],
    ['not-an-address', false],
    ['', false],
  ])('%s is trusted: %s', (address, expected) => {
    expect(trusted(address)).toBe(expected);
  });
  it('no peer address (a runtime that cannot tell) is never trusted', () => {
    expect(trusted(undefined)).toBe(false);
  });
  it('refuses a range that is not one', () => {
    for (const bad of ['10.8.0.0/33', '10.8.0', '::1/129', 'abcd', '[::1]', '10.0.0.1/8/2'])
      expect(() => addressMatcher([bad]), bad).toThrow();
  });
});

describe('the certificate header', () => {
  it('gives the SHA-256 and SM3 fingerprints openssl computes, from a trusted proxy', async () => {
    const identity = await read(escaped(pem), PROXY);
    expect(identity).toEqual({ kind: 'certificate', sha256, sm3 });
    // base64 DER (HAProxy's ssl_c_der,base64) is the same certificate.
    expect(await read(derBase64(pem), PROXY)).toEqual(identity);
    expect(await read(escaped(pem), '::ffff:10.8.0.5')).toEqual(identity);
  });

  it('is ignored from any other address, however genuine it looks', async () => {
    for (const peer of ['10.8.0.6', '127.0.0.1', '::1', undefined])
      expect(reason(await read(escaped(pem), peer))).toBe('untrustedPeer');
  });

  it('is absent when the proxy passed none (an empty header is none)', async () => {
    expect(reason(await read(undefined, PROXY))).toBe('absent');
    expect(reason(await read(null, PROXY))).toBe('absent');
    expect(reason(await read('  ', PROXY))).toBe('absent');
  });

  it('refuses several values: a header sent twice, or a chain', async () => {
    // A Fetch Headers object joins a header sent twice with ", ".
    expect(reason(await read(`${escaped(pem)}, ${escaped(otherPem)}`, PROXY))).toBe('several');
    expect(reason(await read(`${escaped(otherPem)},${escaped(pem)}`, PROXY))).toBe('several');
    expect(reason(await read(escaped(pem + otherPem), PROXY))).toBe('several');
  });

  it('refuses an overlong value before decoding it', async () => {
    const long = escaped(pem) + '%20'.repeat(MAX_CERTIFICATE_HEADER);
    expect(reason(await read(long, PROXY))).toBe('tooLong');
  });

  // Thunks: the certificates are made in beforeAll, after the table is read.
  it.each([
    ['a broken escape', () => '%E0%A4%A'],
    ['not base64', () => 'this is not a certificate'],
    ['base64 of something else', () => btoa('hello world')],
    ['a certificate with bytes appended', () => `${derBase64(pem)}AAAA`],
    ['a truncated certificate', () => derBase64(pem).slice(0, 200)],
    ['PEM of another kind', () => escaped('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')],
  ])('refuses %s as malformed', async (_name, value) => {
    expect(reason(await read(value(), PROXY))).toBe('malformed');
  });
});

describe('the subject header', () => {
  const dn = 'CN=huzhou-node,O=Huzhou AMR,C=CN';
  it('gives the subject as the proxy printed it, from a trusted proxy only', async () => {
    expect(await readSubject(dn, PROXY)).toEqual({ kind: 'subject', subject: dn });
    expect(await readSubject('CN=Smith\\, John,O=x', PROXY)).toEqual({
      kind: 'subject',
      subject: 'CN=Smith\\, John,O=x',
    });
    expect(reason(await readSubject(dn, '10.9.9.9'))).toBe('untrustedPeer');
  });
  it('refuses a header sent twice, control characters, overlong values and non-DNs', async () => {
    expect(reason(await readSubject(`${dn}, CN=intruder`, PROXY))).toBe('several');
    expect(reason(await readSubject(`${dn}\u0000`, PROXY))).toBe('malformed');
    expect(reason(await readSubject('no equals sign', PROXY))).toBe('malformed');
    expect(reason(await readSubject(`CN=${'x'.repeat(1100)}`, PROXY))).toBe('tooLong');
  });
});

describe('the pins of a partner or local system', () => {
  it('accept the pinned certificate by its SHA-256 or its SM3 fingerprint', async () => {
    const identity = await read(escaped(pem), PROXY);
    expect(identityRefusal(identity, { fingerprints: [sha256], subjects: [] })).toBeUndefined();
    expect(identityRefusal(identity, { fingerprints: [sm3], subjects: [] })).toBeUndefined();
  });
  it('refuse another certificate, even one from the same trusted proxy', async () => {
    const intruder = await read(escaped(otherPem), PROXY);
    expect(identityRefusal(intruder, { fingerprints: [sha256, sm3], subjects: [] })).toBe('notPinned');
    // A SHA-256 value written as SM3 (or the reverse) is another pin.
    const swapped = `sm3:${sha256.slice('sha256:'.length)}`;
    expect(identityRefusal(await read(escaped(pem), PROXY), { fingerprints: [swapped], subjects: [] })).toBe(
      'notPinned',
    );
  });
  it('match a subject exactly', async () => {
    const pins = { fingerprints: [], subjects: ['CN=huzhou-node,O=Huzhou AMR,C=CN'] };
    expect(
      identityRefusal(await readSubject('CN=huzhou-node,O=Huzhou AMR,C=CN', PROXY), pins),
    ).toBeUndefined();
    expect(identityRefusal(await readSubject('CN=huzhou-node,O=Huzhou AMR', PROXY), pins)).toBe('notPinned');
    expect(identityRefusal(await readSubject('cn=huzhou-node,o=Huzhou AMR,c=CN', PROXY), pins)).toBe(
      'notPinned',
    );
  });
  it('refuse with client_certificate_refused (403) and a reason in both languages; no pins, no check', async () => {
    const untrusted = await read(escaped(pem), '192.0.2.1');
    let thrown: unknown;
    try {
      requireClientCertificate('330500', { fingerprints: [sha256], subjects: [] }, untrusted);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(YrdxError);
    const error = thrown as YrdxError;
    expect(error.code).toBe('client_certificate_refused');
    expect(error.status).toBe(403);
    expect(error.params.reason).toEqual({
      zh: expect.stringContaining('受信任的代理地址'),
      en: expect.stringContaining('trusted proxy address'),
    });
    expect(() => requireClientCertificate('330500', undefined, untrusted)).not.toThrow();
    const none: ClientIdentity = { kind: 'none', reason: 'notConfigured' };
    expect(() => requireClientCertificate('330500', { fingerprints: [sha256], subjects: [] }, none)).toThrow(
      YrdxError,
    );
  });
});

describe('the configuration', () => {
  const base = {
    id: '320500',
    name: '苏州市',
    province: 'js',
    publicUrl: 'https://yrdx.suzhou.example',
    keys: { source: 'file' },
    partners: [
      {
        id: '330500',
        name: '湖州市',
        baseUrl: 'https://yrdx.huzhou.example',
        keys: { jwks: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'x', kid: 'k' }] } },
        maySend: { domains: ['*'], types: ['*'] },
        tlsClient: { fingerprints: [`sha256:${'a'.repeat(64)}`, `sm3:${'b'.repeat(64)}`] },
      },
    ],
  };
  const proxy = {
    header: 'X-Client-Cert',
    carries: 'certificate',
    trustedProxies: ['127.0.0.2', '10.8.0.0/24', '::1'],
  };
  const faults = (config: Record<string, unknown>): string[] => {
    try {
      validateNodeConfig(config, { file: 'node.json' });
      return [];
    } catch (error) {
      return ((error as YrdxError).errors ?? []).map((e) => e.pointer ?? '');
    }
  };

  it('accepts pins with a proxy section, the header lower-cased', () => {
    const config = validateNodeConfig({ ...base, clientCertificates: proxy }, { file: 'node.json' });
    expect(config.clientCertificates).toEqual({ ...proxy, header: 'x-client-cert' });
    expect(config.partners[0]!.tlsClient?.fingerprints).toHaveLength(2);
    expect(config.partners[0]!.tlsClient?.subjects).toEqual([]);
  });

  it('refuses pins without a proxy section: they could never be checked', () => {
    expect(faults(base)).toContain('/partners/0/tlsClient');
  });

  it('refuses bad ranges, a header the node uses otherwise, empty or unmatchable pins', () => {
    const bad = (
      cc: Record<string, unknown>,
      tlsClient: Record<string, unknown> = base.partners[0]!.tlsClient,
    ) =>
      faults({
        ...base,
        clientCertificates: { ...proxy, ...cc },
        partners: [{ ...base.partners[0], tlsClient }],
      });
    expect(bad({ trustedProxies: ['10.8.0.0/33'] })).toContain('/clientCertificates/trustedProxies/0');
    expect(bad({ trustedProxies: ['abcd'] })).toContain('/clientCertificates/trustedProxies/0');
    expect(bad({ trustedProxies: ['10.1'] })).toContain('/clientCertificates/trustedProxies/0');
    expect(bad({ trustedProxies: ['1:2:3'] })).toContain('/clientCertificates/trustedProxies/0');
    expect(bad({ header: 'Authorization' })).toContain('/clientCertificates/header');
    expect(bad({ header: 'X-Forwarded-For' })).toContain('/clientCertificates/header');
    expect(bad({ header: 'X Client' })).toContain('/clientCertificates/header');
    expect(bad({}, {})).toContain('/partners/0/tlsClient');
    expect(bad({}, { subjects: ['CN=x'] })).toContain('/partners/0/tlsClient/subjects');
    expect(bad({ carries: 'subject' })).toContain('/partners/0/tlsClient/fingerprints');
    expect(bad({}, { fingerprints: [`SHA256:${'A'.repeat(64)}`] })).toContain(
      '/partners/0/tlsClient/fingerprints/0',
    );
  });
});

describe('on Workers', () => {
  it('refuses clientCertificates: a Worker does not see the TCP peer, so no proxy could be trusted', () => {
    const bundled = JSON.parse(readFileSync('config/worker.json', 'utf8')) as Record<string, unknown>;
    const env = {
      YRDX_CONFIG: JSON.stringify({
        clientCertificates: { header: 'X-Client-Cert', carries: 'certificate', trustedProxies: ['10.8.0.5'] },
      }),
    };
    let thrown: unknown;
    try {
      workerConfig(bundled, env as never);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as YrdxError).code).toBe('config_invalid');
    expect((thrown as YrdxError).errors.map((e) => e.pointer)).toContain('/clientCertificates');
  });
});
