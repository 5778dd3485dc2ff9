import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/envelope/policy.js';
import { sealMessage } from '../../src/envelope/seal.js';
import { NodeKeyring } from '../../src/keys/keyring.js';
import { freePort } from '../helpers/free-port.js';
import {
  killAllNodes,
  type NodeProcess,
  prepareNodes,
  type Recorder,
  startRecorder,
} from '../helpers/node-process.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A real reverse proxy doing mutual TLS in front of a real node (docs/tlcp.md). Debian's nginx stands
 * for a TLCP proxy (Tongsuo's nginx speaks TLCP with the same directives for the header): the
 * mechanism is the same — the proxy verifies the client certificate and passes it in a header, and the
 * node believes that header only from the proxy's address. Certificates are made now by `openssl`.
 *
 *   Huzhou node ─http→ nginx egress (presents Huzhou's certificate) ─TLS→ nginx ingress (verifies it,
 *   sets X-Client-Cert, connects from 127.0.0.2) ─http→ Suzhou node (trusts 127.0.0.2 only)
 *
 * Suzhou pins Huzhou's certificate by SM3 and its own case system's by SHA-256. Anything that reaches
 * Suzhou otherwise (directly from 127.0.0.1 with a forged header, through nginx without a certificate
 * or with another one) is refused with `client_certificate_refused`.
 */
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const SKIP = NGINX === undefined ? ' (skipped: no nginx binary here; .ci/run installs Debian nginx)' : '';

const dir = tempDir('yrdx-tls-proxy-');
const file = (name: string) => join(dir, name);
let nginx: ChildProcess | undefined;
let nginxOutput = '';
let huzhou: NodeProcess;
let suzhou: NodeProcess;
const recorders: Recorder[] = [];
const ports = { ingress: 0, egress: 0, bare: 0 };

function openssl(...args: string[]): Buffer {
  return execFileSync('openssl', args, { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A P-256 key and a certificate for it signed by the test CA (extensions from `ext`). */
function issue(name: string, subject: string, ext: string): void {
  openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    subject,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
  );
  writeFileSync(file(`${name}.ext`), ext);
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.crt`,
  );
}

/** The pin of a certificate as the configuration writes it: `<alg>:` and the hex digest of its DER. */
function pin(name: string, alg: 'sha256' | 'sm3'): string {
  const der = openssl('x509', '-in', `${name}.crt`, '-outform', 'DER');
  const out = execFileSync('openssl', ['dgst', `-${alg}`, '-r'], { input: der }).toString();
  return `${alg}:${out.split(' ')[0]}`;
}

function makeCertificates(): void {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    '/CN=yrdx test CA',
    '-days',
    '2',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  );
  issue(
    'server',
    '/CN=yrdx-suzhou',
    'subjectAltName=DNS:yrdx-suzhou,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  const client = 'extendedKeyUsage=clientAuth\n';
  issue('huzhou', '/CN=yrdx-huzhou/O=Huzhou', client);
  issue('suzhou-case', '/CN=suzhou-case/O=Suzhou', client);
  issue('intruder', '/CN=intruder/O=Elsewhere', client);
}

function nginxConfig(suzhouPort: number): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `  ${t}_temp_path ${file(`tmp-${t}`)};`)
    .join('\n');
  const toIngress = `
      proxy_pass https://127.0.0.1:${ports.ingress};
      proxy_ssl_trusted_certificate ${file('ca.crt')};
      proxy_ssl_verify on;
      proxy_ssl_name yrdx-suzhou;
      # Both ways out share one upstream: a session resumed from the bare one would carry no certificate.
      proxy_ssl_session_reuse off;`;
  return `daemon off;
master_process off;
pid ${file('nginx.pid')};
error_log stderr warn;
events { worker_connections 64; }
http {
  access_log off;
${temp}
  # Ingress: TLS with client certificates in front of Suzhou (for TLCP: Tongsuo's nginx, see docs/tlcp.md).
  server {
    listen 127.0.0.1:${ports.ingress} ssl;
    ssl_certificate ${file('server.crt')};
    ssl_certificate_key ${file('server.key')};
    ssl_client_certificate ${file('ca.crt')};
    ssl_verify_client optional;
    location / {
      proxy_pass http://127.0.0.1:${suzhouPort};
      proxy_bind 127.0.0.2;
      proxy_set_header X-Client-Cert $ssl_client_escaped_cert;
      proxy_set_header X-Forwarded-Proto https;
    }
  }
  # Egress: Huzhou's way out to Suzhou, presenting Huzhou's certificate.
  server {
    listen 127.0.0.1:${ports.egress};
    location / {${toIngress}
      proxy_ssl_certificate ${file('huzhou.crt')};
      proxy_ssl_certificate_key ${file('huzhou.key')};
    }
  }
  # The same way out without a certificate.
  server {
    listen 127.0.0.1:${ports.bare};
    location / {${toIngress}
    }
  }
}
`;
}

async function startNginx(config: string): Promise<void> {
  writeFileSync(file('nginx.conf'), config);
  const proc = spawn(NGINX!, ['-p', dir, '-c', file('nginx.conf'), '-e', 'stderr'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  nginx = proc;
  proc.stderr?.on('data', (c: Buffer) => {
    nginxOutput = (nginxOutput + c.toString()).slice(-4000);
  });
  const until = Date.now() + patient(15_000);
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nginx exited (${proc.exitCode}):\n${nginxOutput}`);
    try {
      await fetch(`http://127.0.0.1:${ports.bare}/healthz`);
      return;
    } catch {
      if (Date.now() > until) throw new Error(`nginx did not listen:\n${nginxOutput}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A TLS client of the ingress, with a client certificate or none. */
function tlsClient(name?: string): Agent {
  return new Agent({
    connect: {
      ca: readFileSync(file('ca.crt')),
      servername: 'yrdx-suzhou',
      ...(name === undefined
        ? {}
        : { cert: readFileSync(file(`${name}.crt`)), key: readFileSync(file(`${name}.key`)) }),
    },
  });
}

const ingress = (path: string) => `https://127.0.0.1:${ports.ingress}${path}`;
const escapedCert = (name: string) => encodeURIComponent(readFileSync(file(`${name}.crt`), 'utf8'));

async function problem(res: { status: number; json(): Promise<unknown> }) {
  const body = (await res.json()) as { code?: string; reason?: string; params?: unknown };
  return { status: res.status, code: body.code };
}

/** A message sealed with Huzhou's own key for Suzhou: genuine, whichever way it travels. */
async function huzhouMessage(): Promise<string> {
  const doc = JSON.parse(readFileSync(join(huzhou.dataDir, 'keys', 'keyring.json'), 'utf8'));
  const keyring = await NodeKeyring.load(doc, '330500', { retainRetiredSeconds: 3600 });
  const sealed = await sealMessage(
    {
      to: '320500',
      type: 'assistance-request',
      domain: 'food-safety',
      contract: 'food-safety@2.0.0',
      body: {},
    },
    { self: '330500', signer: keyring.signer, policy: DEFAULT_POLICY, now: Date.now },
  );
  return sealed.token;
}

describe.skipIf(NGINX === undefined)(`a node behind a mutual-TLS reverse proxy (nginx)${SKIP}`, () => {
  beforeAll(async () => {
    makeCertificates();
    for (const t of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(file(`tmp-${t}`));
    ports.ingress = await freePort();
    ports.egress = await freePort();
    ports.bare = await freePort();
    recorders.push(await startRecorder(), await startRecorder());
    [huzhou, suzhou] = (await prepareNodes(
      [
        {
          id: '330500',
          name: '湖州市',
          province: 'zj',
          pushUrl: recorders[0]!.url,
          partnerUrls: { '320500': `http://127.0.0.1:${ports.egress}` },
        },
        { id: '320500', name: '苏州市', province: 'js', pushUrl: recorders[1]!.url },
      ],
      dir,
    )) as [NodeProcess, NodeProcess];
    // Suzhou: the proxy's header, believed from 127.0.0.2 only; Huzhou pinned by SM3, its case system by SHA-256.
    const config = JSON.parse(readFileSync(suzhou.configFile, 'utf8'));
    config.clientCertificates = {
      header: 'X-Client-Cert',
      carries: 'certificate',
      trustedProxies: ['127.0.0.2'],
    };
    for (const p of config.partners)
      if (p.id === '330500') p.tlsClient = { fingerprints: [pin('huzhou', 'sm3')] };
    config.localSystems[0].tlsClient = { fingerprints: [pin('suzhou-case', 'sha256')] };
    writeFileSync(suzhou.configFile, JSON.stringify(config, null, 2));
    await Promise.all([huzhou.start(), suzhou.start()]);
    await startNginx(nginxConfig(suzhou.port));
  }, patient(90_000));

  afterAll(async () => {
    if (nginx?.pid !== undefined && nginx.exitCode === null) nginx.kill('SIGTERM');
    await killAllNodes();
    await Promise.all(recorders.map((r) => r.close()));
  });

  it('delivers a partner message through both proxies: Suzhou learns Huzhou’s certificate from nginx', async () => {
    const body = JSON.parse(
      readFileSync('contracts/food-safety/2.0.0/dialects/zj/examples/assistance-request.json', 'utf8'),
    );
    const res = await huzhou.submit({
      to: '320500',
      domain: 'food-safety',
      type: 'assistance-request',
      body,
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const until = Date.now() + patient(20_000);
    let status = '';
    while (Date.now() < until) {
      const view = (await (await huzhou.status(id)).json()) as { status: string };
      status = view.status;
      if (status === 'delivered') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status, `${huzhou.output()}\n${suzhou.output()}\n${nginxOutput}`).toBe('delivered');
    expect(recorders[1]!.arrivals).toContain(id);
  });

  it('refuses the same partner without its certificate, whichever way it comes', async () => {
    const token = await huzhouMessage();
    const post = (url: string, headers: Record<string, string> = {}, dispatcher?: Agent) =>
      undiciFetch(url, {
        method: 'POST',
        body: token,
        headers: { 'content-type': 'application/jose', ...headers },
        ...(dispatcher ? { dispatcher } : {}),
      });
    // Through nginx with no client certificate; a header the client forges is replaced by nginx's (empty).
    expect(await problem(await post(`http://127.0.0.1:${ports.bare}/v1/inbox`))).toEqual({
      status: 403,
      code: 'client_certificate_refused',
    });
    expect(
      await problem(
        await post(ingress('/v1/inbox'), { 'x-client-cert': escapedCert('huzhou') }, tlsClient()),
      ),
    ).toEqual({ status: 403, code: 'client_certificate_refused' });
    // Through nginx with another certificate from the same CA, forging Huzhou's in the header.
    expect(
      await problem(
        await post(ingress('/v1/inbox'), { 'x-client-cert': escapedCert('huzhou') }, tlsClient('intruder')),
      ),
    ).toEqual({ status: 403, code: 'client_certificate_refused' });
    // Around nginx, straight to the node from 127.0.0.1 with Huzhou's genuine certificate in the header.
    expect(
      await problem(await post(`${suzhou.url}/v1/inbox`, { 'x-client-cert': escapedCert('huzhou') })),
    ).toEqual({ status: 403, code: 'client_certificate_refused' });
    // With Huzhou's certificate the same bytes pass the certificate check (and go on to the contract check).
    const passed = await post(ingress('/v1/inbox'), {}, tlsClient('huzhou'));
    const viaEgress = await post(`http://127.0.0.1:${ports.egress}/v1/inbox`);
    expect((await problem(viaEgress)).code).not.toBe('client_certificate_refused');
    expect((await problem(passed)).code).not.toBe('client_certificate_refused');
  });

  it('lets Suzhou’s case system in with its own certificate only', async () => {
    const get = (url: string, headers: Record<string, string> = {}, dispatcher?: Agent) =>
      undiciFetch(url, {
        headers: { authorization: `Bearer ${suzhou.apiKey}`, ...headers },
        ...(dispatcher ? { dispatcher } : {}),
      });
    const path = '/v1/messages/01NOSUCHMESSAGE0000000000';
    // Its certificate and its API key: the node looks the message up (there is none).
    expect(await problem(await get(ingress(path), {}, tlsClient('suzhou-case')))).toEqual({
      status: 404,
      code: 'message_not_found',
    });
    const refused = { status: 403, code: 'client_certificate_refused' };
    expect(await problem(await get(ingress(path), {}, tlsClient('huzhou')))).toEqual(refused);
    expect(await problem(await get(ingress(path), {}, tlsClient()))).toEqual(refused);
    expect(
      await problem(await get(`${suzhou.url}${path}`, { 'x-client-cert': escapedCert('suzhou-case') })),
    ).toEqual(refused);
    // In Chinese by default, with the reason: the header did not come from the trusted proxy address.
    const direct = await get(`${suzhou.url}${path}`, { 'x-client-cert': escapedCert('suzhou-case') });
    expect(JSON.stringify(await direct.json())).toContain('受信任的代理地址');
  });
});
