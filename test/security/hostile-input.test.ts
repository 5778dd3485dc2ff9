import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/contracts/translate.js';
import { encodeBase64Url, encodeBase64UrlText } from '../../src/envelope/base64url.js';
import { sha256Hex } from '../../src/envelope/digest.js';
import { type Signer, sealMessage } from '../../src/envelope/seal.js';
import { signWith } from '../../src/envelope/signature-engine.js';
import { problemCatalogue } from '../../src/errors/errors.js';
import { NodeKeyring, parseKeyringDocument } from '../../src/keys/keyring.js';
import { loadNodeContracts } from '../../src/runtime/node/boot.js';
import { loadConfigFile } from '../../src/runtime/node/config-file.js';
import {
  deepJson,
  HOSTILE_VALUES,
  headerValue,
  hostileBytes,
  hostileJsonTexts,
  mutateJson,
  mutateText,
  percentEncode,
  random,
  taintString,
} from '../helpers/hostile.js';
import {
  killAllNodes,
  type NodeProcess,
  prepareNodes,
  ROOT,
  startRecorder,
} from '../helpers/node-process.js';
import { patient } from '../helpers/patience.js';
import { postgresUrl } from '../helpers/pg-suite.js';
import { createDatabase } from '../helpers/postgres.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The node stays up under hostile input. A real node process (SQLite, then PostgreSQL) is sent
 * seeded mutations of valid requests — byte flips, truncation, random JSON, tokens re-signed by a
 * real partner key with mutated claims and bodies, NUL and lone surrogates, huge arrays, deep
 * nesting, chunked oversize bodies — on `/v1/inbox`, `/v1/messages`, `/admin/v1/*` and every
 * console POST including sign-in. Every answer must be below 500; every refusal must be
 * `application/problem+json` with a code of the catalogue; the process's resident memory must stay
 * bounded; and the audit chain must still verify afterwards.
 */

const SEED = Number(process.env.YRDX_HOSTILE_SEED ?? 20261207);
/** Mutated requests per target and store; YRDX_HOSTILE_ROUNDS raises it for a longer hunt. */
const ROUNDS = Number(process.env.YRDX_HOSTILE_ROUNDS ?? 250);
/** Resident memory the node may grow by during the run (the bodies are bounded at 1 MiB). */
const RSS_GROWTH_LIMIT = 384 * 1024 * 1024;

const run = promisify(execFile);
const CODES = new Set(Object.keys(problemCatalogue));
const ADMIN_TOKEN = 'hostile-suite-admin-token-0000000000000001';
const OPERATOR_TOKEN = 'hostile-suite-operator-token-000000000002';
const AUDITOR_TOKEN = 'hostile-suite-auditor-token-0000000000003';

interface Outcome {
  readonly what: string;
  readonly status: number | 'transport';
  readonly type: string;
  readonly code?: string;
  readonly detail?: string;
}

/** The answers that broke a rule, each with the case that produced it (seed and label). */
class Findings {
  readonly broken: Outcome[] = [];
  readonly statuses = new Map<string, number>();
  total = 0;

  /** Fails with the first broken answers since `mark` (the count of broken answers when a test began). */
  expectNone(mark: number): void {
    const broken = this.broken.slice(mark);
    expect(broken.length, JSON.stringify(broken.slice(0, 12), null, 1)).toBe(0);
  }

  note(o: Outcome, allowTransport = false): void {
    this.total++;
    const key = String(o.status);
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
    if (o.status === 'transport') {
      if (!allowTransport) this.broken.push(o);
      return;
    }
    if (o.status >= 500) this.broken.push(o);
    else if (o.status >= 400) {
      if (!o.type.startsWith('application/problem+json') || o.code === undefined || !CODES.has(o.code))
        this.broken.push(o);
    }
  }
}

async function send(
  node: NodeProcess,
  path: string,
  init: RequestInit & { duplex?: 'half' },
  what: string,
): Promise<Outcome> {
  try {
    const res = await fetch(`${node.url}${path}`, { ...init, signal: AbortSignal.timeout(patient(20_000)) });
    const type = res.headers.get('content-type') ?? '';
    const text = await res.text();
    let code: string | undefined;
    let detail: string | undefined;
    if (type.includes('json')) {
      try {
        const doc = JSON.parse(text) as { code?: unknown; detail?: unknown };
        if (typeof doc.code === 'string') code = doc.code;
        if (typeof doc.detail === 'string') detail = doc.detail.slice(0, 200);
      } catch {
        // not JSON: the content-type check reports it
      }
    }
    return { what, status: res.status, type, ...(code ? { code } : {}), ...(detail ? { detail } : {}) };
  } catch (error) {
    return { what, status: 'transport', type: '', detail: (error as Error).message };
  }
}

/** A body that streams `total` bytes in chunks, with no Content-Length (chunked). */
function chunked(total: number, fill = 'a'): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode(fill.repeat(64 * 1024));
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) {
        controller.close();
        return;
      }
      controller.enqueue(chunk);
      sent += chunk.byteLength;
    },
  });
}

/** Resident set size of a process, in bytes (Linux). */
function rss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb ?? 0) * 1024;
}

/** Samples a process's RSS every 100 ms until stopped; returns the peak. */
function watchRss(pid: number): { stop(): number } {
  let peak = rss(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rss(pid));
    } catch {
      // the process ended; the suite reports that elsewhere
    }
  }, patient(100));
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** Signs a raw payload text as Suzhou: lets the suite send payloads JSON.stringify cannot make. */
async function signRaw(
  signer: Signer,
  payloadText: string,
  header?: Record<string, unknown>,
): Promise<string> {
  const h = encodeBase64UrlText(
    JSON.stringify(header ?? { alg: signer.alg, kid: signer.kid, typ: 'yrdx+jwt' }),
  );
  const input = `${h}.${encodeBase64UrlText(payloadText)}`;
  const signature = await signWith(signer.alg, signer.key, new TextEncoder().encode(input));
  return `${input}.${encodeBase64Url(signature)}`;
}

describe.each([
  ['SQLite', false],
  ['PostgreSQL', true],
] as const)('hostile input against a node on %s', (_name, postgres) => {
  let huzhou: NodeProcess;
  let signer: Signer;
  let claims: Record<string, unknown>;
  let submission: Record<string, unknown>;
  const findings = new Findings();
  let baseline = 0;
  let peak = 0;
  let watcher: { stop(): number };
  let databaseUrl: string | undefined;

  beforeAll(async () => {
    const dir = tempDir('yrdx-hostile-');
    const recorder = await startRecorder();
    const [hz, sz] = await prepareNodes(
      [
        { id: '330500', name: '湖州市', province: 'zj', pushUrl: recorder.url },
        { id: '320500', name: '苏州市', province: 'js', pushUrl: recorder.url },
      ],
      dir,
    );
    huzhou = hz!;
    // Admin credentials of every role, with a rate limit that lets the whole run through (the
    // limits themselves are tested elsewhere; here every request must reach the code behind them).
    const config = JSON.parse(readFileSync(huzhou.configFile, 'utf8')) as Record<string, unknown>;
    config.admin = {
      credentials: [
        { id: 'hostile-admin', role: 'admin', tokenHash: `sha256:${await sha256Hex(ADMIN_TOKEN)}` },
        { id: 'hostile-operator', role: 'operator', tokenHash: `sha256:${await sha256Hex(OPERATOR_TOKEN)}` },
        { id: 'hostile-auditor', role: 'auditor', tokenHash: `sha256:${await sha256Hex(AUDITOR_TOKEN)}` },
      ],
      rateLimit: { perMinute: 100_000, burst: 10_000 },
    };
    writeFileSync(huzhou.configFile, JSON.stringify(config, null, 2));
    if (postgres) {
      databaseUrl = await createDatabase(postgresUrl(), `yrdx_hostile_${process.pid}`);
      huzhou = huzhou.instance(huzhou.port, { DATABASE_URL: databaseUrl });
    }
    // Suzhou never runs: the suite holds its private key and speaks for it.
    const doc = parseKeyringDocument(
      readFileSync(join(sz!.dataDir, 'keys', 'keyring.json'), 'utf8'),
      Date.now(),
    );
    const keyring = await NodeKeyring.load(doc, '320500', { retainRetiredSeconds: 3600 });
    signer = keyring.signer;
    const nodeConfig = loadConfigFile(huzhou.configFile);
    const contracts = loadNodeContracts(nodeConfig);
    const contract = contracts.accepting('food-safety', '1.0.0')!;
    const js = JSON.parse(
      readFileSync('contracts/food-safety/1.0.0/dialects/js/examples/assistance-request.json', 'utf8'),
    ) as Record<string, unknown>;
    const body = translate(contract, 'js', 'canonical', 'assistance-request', js);
    const sealed = await sealMessage(
      {
        to: '330500',
        type: 'assistance-request',
        domain: 'food-safety',
        contract: 'food-safety@1.0.0',
        body,
      },
      {
        self: '320500',
        signer,
        policy: nodeConfig.envelope,
        now: Date.now,
      },
    );
    claims = sealed.claims as unknown as Record<string, unknown>;
    submission = {
      to: '320500',
      domain: 'food-safety',
      type: 'assistance-request',
      body: JSON.parse(
        readFileSync('contracts/food-safety/2.0.0/dialects/zj/examples/assistance-request.json', 'utf8'),
      ),
    };
    await huzhou.start();
    baseline = rss(huzhou.pid!);
    watcher = watchRss(huzhou.pid!);
    // The valid requests the mutations start from are accepted as they are.
    const accepted = await send(
      huzhou,
      '/v1/inbox',
      { method: 'POST', body: sealed.token, headers: { 'content-type': 'application/jose' } },
      'valid token',
    );
    expect(accepted.status).toBe(200);
    const submitted = await huzhou.submit(submission);
    expect(submitted.status).toBe(202);
  }, patient(60_000));

  afterAll(async () => {
    await killAllNodes();
  });

  it(
    '/v1/inbox: mutated, re-signed and oversized tokens never answer 5xx',
    async () => {
      const mark = findings.broken.length;
      const r = random(SEED);
      const inbox = (body: BodyInit, what: string, extra: RequestInit & { duplex?: 'half' } = {}) =>
        send(
          huzhou,
          '/v1/inbox',
          { method: 'POST', body, headers: { 'content-type': 'application/jose' }, ...extra },
          what,
        );
      for (let i = 0; i < ROUNDS; i++) {
        const fresh: Record<string, unknown> = { ...claims, jti: `01JHOSTILE${String(i).padStart(16, '0')}` };
        const kind = i % 6;
        let token: string;
        let what: string;
        if (kind === 0) {
          // Claims mutated (the body's members included), then signed by the real partner key.
          const mutated = mutateJson(fresh, r) as Record<string, unknown>;
          token = await signRaw(signer, JSON.stringify(mutated) ?? 'null');
          what = `re-signed mutated claims #${i}`;
        } else if (kind === 1) {
          const body = r.chance(0.5) ? taintString(fresh.body, r) : mutateJson(fresh.body, r);
          token = await signRaw(signer, JSON.stringify({ ...fresh, body }));
          what = `re-signed mutated body #${i}`;
        } else if (kind === 2) {
          const texts = hostileJsonTexts(JSON.stringify(fresh));
          token = await signRaw(signer, r.pick(texts));
          what = `re-signed hostile payload text #${i}`;
        } else if (kind === 3) {
          const good = await signRaw(signer, JSON.stringify(fresh));
          token = mutateText(good, r);
          what = `byte-mutated token #${i}`;
        } else if (kind === 4) {
          const header = mutateJson({ alg: signer.alg, kid: signer.kid, typ: 'yrdx+jwt' }, r) as Record<
            string,
            unknown
          >;
          token = await signRaw(signer, JSON.stringify(fresh), header);
          what = `mutated header #${i}`;
        } else {
          token = JSON.stringify(mutateJson(fresh, r)) ?? '';
          what = `random JSON as a token #${i}`;
        }
        findings.note(await inbox(token, what));
      }
      for (const bytes of hostileBytes(await signRaw(signer, JSON.stringify(claims))))
        findings.note(await inbox(bytes as Uint8Array<ArrayBuffer>, 'non-UTF-8 token'));
      findings.note(await inbox(`${'a'.repeat(2 * 1024 * 1024)}.b.c`, 'token over the size limit'));
      findings.note(await inbox(chunked(64 * 1024 * 1024), 'chunked 64 MiB token', { duplex: 'half' }), true);
      findings.expectNone(mark);
    },
    patient(180_000),
  );

  it(
    '/v1/messages: mutated submissions never answer 5xx',
    async () => {
      const mark = findings.broken.length;
      const r = random(SEED + 1);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        authorization: `Bearer ${huzhou.apiKey}`,
      };
      const post = (
        body: BodyInit,
        what: string,
        extra: RequestInit & { duplex?: 'half' } = {},
        h = headers,
      ) => send(huzhou, '/v1/messages', { method: 'POST', body, headers: h, ...extra }, what);
      const valid = JSON.stringify(submission);
      for (let i = 0; i < ROUNDS; i++) {
        const kind = i % 4;
        if (kind === 0)
          findings.note(
            await post(
              JSON.stringify(r.chance(0.5) ? taintString(submission, r) : mutateJson(submission, r)) ?? '',
              `mutated submission #${i}`,
            ),
          );
        else if (kind === 1) findings.note(await post(mutateText(valid, r), `byte-mutated submission #${i}`));
        else if (kind === 2)
          findings.note(await post(r.pick(hostileJsonTexts(valid)), `hostile JSON text #${i}`));
        else
          findings.note(
            await post(
              valid,
              `hostile headers #${i}`,
              {},
              {
                ...headers,
                'idempotency-key': headerValue(String(r.pick(HOSTILE_VALUES)).slice(0, 200)),
                traceparent: headerValue(
                  mutateText('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', r),
                ),
              },
            ),
          );
      }
      for (const bytes of hostileBytes(valid))
        findings.note(await post(bytes as Uint8Array<ArrayBuffer>, 'non-UTF-8 submission'));
      findings.note(
        await post(chunked(64 * 1024 * 1024), 'chunked 64 MiB submission', { duplex: 'half' }),
        true,
      );
      findings.note(
        await post(valid, 'bad API key', {}, { ...headers, authorization: 'Bearer \u00ff\u00fe' }),
      );
      findings.expectNone(mark);
    },
    patient(180_000),
  );

  it(
    '/admin/v1: hostile paths, queries and bodies never answer 5xx, for every role and for nobody',
    async () => {
      const mark = findings.broken.length;
      const r = random(SEED + 2);
      const tokens = [ADMIN_TOKEN, OPERATOR_TOKEN, AUDITOR_TOKEN, undefined, 'not-a-token'];
      const segments = [
        '%00',
        '%ff',
        '%ed%a0%80',
        '..',
        '%2e%2e%2f%2e%2e',
        'x'.repeat(15_000),
        '%u0000',
        '330500',
        '320500',
        'food-safety',
        '1.0.0',
      ];
      const partner = {
        name: '苏州市',
        baseUrl: 'http://127.0.0.1:9',
        keys: { jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }] } },
        maySend: { domains: ['food-safety'], types: ['notification'] },
      };
      const translateBody = {
        from: 'zj',
        to: 'canonical',
        type: 'assistance-request',
        document: submission.body,
      };
      const routes: { method: string; path: (s: string) => string; body?: unknown }[] = [
        { method: 'GET', path: (s) => `/admin/v1/messages?q=${s}&after=${s}&limit=${s}` },
        { method: 'GET', path: (s) => `/admin/v1/messages/${s}` },
        { method: 'GET', path: (s) => `/admin/v1/threads/${s}` },
        { method: 'GET', path: (s) => `/admin/v1/threads?state=${s}` },
        { method: 'GET', path: (s) => `/admin/v1/partners/${s}` },
        { method: 'GET', path: (s) => `/admin/v1/partners/${s}/health` },
        { method: 'GET', path: (s) => `/admin/v1/contracts/${s}/${s}` },
        { method: 'GET', path: (s) => `/admin/v1/${s}` },
        { method: 'POST', path: (s) => `/admin/v1/dead-letters/${s}/${s}/requeue` },
        { method: 'POST', path: (s) => `/admin/v1/partners/${s}/suspend` },
        { method: 'PUT', path: (s) => `/admin/v1/partners/${s === '330500' ? '320500' : s}`, body: partner },
        { method: 'POST', path: () => '/admin/v1/partners', body: { id: '310000', ...partner } },
        {
          method: 'POST',
          path: (s) => `/admin/v1/contracts/food-safety/${s}/translate`,
          body: translateBody,
        },
        {
          method: 'POST',
          path: () => '/admin/v1/contracts/food-safety/1.0.0/translate',
          body: translateBody,
        },
      ];
      for (let i = 0; i < ROUNDS * 2; i++) {
        const route = r.pick(routes);
        const token = r.pick(tokens);
        const segment = r.chance(0.7) ? r.pick(segments) : percentEncode(mutateText(r.pick(segments), r));
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (token !== undefined) headers.authorization = `Bearer ${token}`;
        let body: string | undefined;
        if (route.body !== undefined) {
          const choice = r.int(3);
          body =
            choice === 0
              ? (JSON.stringify(mutateJson(route.body, r)) ?? '')
              : choice === 1
                ? mutateText(JSON.stringify(route.body), r)
                : r.pick(hostileJsonTexts(JSON.stringify(route.body)));
        }
        const what = `${route.method} ${route.path(segment).slice(0, 120)} as ${token?.slice(0, 20) ?? 'nobody'} #${i}`;
        findings.note(
          await send(
            huzhou,
            route.path(segment),
            { method: route.method, headers, ...(body === undefined ? {} : { body }) },
            what,
          ),
        );
      }
      findings.note(
        await send(
          huzhou,
          '/admin/v1/contracts',
          {
            method: 'POST',
            body: chunked(64 * 1024 * 1024, '{'),
            duplex: 'half',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
          },
          'chunked 64 MiB contract upload',
        ),
        true,
      );
      findings.note(
        await send(
          huzhou,
          '/admin/v1/contracts',
          {
            method: 'POST',
            body: `{"contract":${deepJson(100_000, '{"a":', '}')}}`,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
          },
          '100,000-deep contract upload',
        ),
      );
      findings.expectNone(mark);
    },
    patient(180_000),
  );

  it(
    'console: sign-in and every signed-in POST never answer 5xx, whatever the form',
    async () => {
      const mark = findings.broken.length;
      const r = random(SEED + 3);
      const origin = huzhou.url;
      // A form client that asks for problem+json answers, as scripts and attackers do.
      const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
      const consolePost = (
        path: string,
        body: BodyInit,
        headers: Record<string, string>,
        what: string,
        extra: RequestInit & { duplex?: 'half' } = {},
      ) =>
        send(
          huzhou,
          path,
          {
            method: 'POST',
            body,
            redirect: 'manual',
            headers: { origin, accept: 'application/problem+json', ...headers },
            ...extra,
          },
          what,
        );
      const formType = { 'content-type': 'application/x-www-form-urlencoded' };
      for (let i = 0; i < ROUNDS; i++) {
        const token = r.pick([ADMIN_TOKEN, 'wrong', String(r.pick(HOSTILE_VALUES)).slice(0, 5000)]);
        const body = r.chance(0.5)
          ? mutateText(form({ token }), r)
          : form({ token, [String(r.pick(HOSTILE_VALUES)).slice(0, 100)]: 'x' });
        findings.note(await consolePost('/console/sign-in', body, formType, `sign-in #${i}`));
      }
      findings.note(
        await consolePost('/console/sign-in', chunked(64 * 1024 * 1024), formType, 'chunked 64 MiB sign-in', {
          duplex: 'half',
        }),
        true,
      );
      findings.note(
        await consolePost(
          '/console/sign-in',
          `--x\r\ncontent-disposition: form-data; name="token"\r\n\r\n${'a'.repeat(100)}`,
          { 'content-type': 'multipart/form-data; boundary=x' },
          'broken multipart sign-in',
        ),
      );
      // Signed in as the admin: every console form, mutated.
      const signIn = await fetch(`${origin}/console/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { origin, ...formType },
        body: form({ token: ADMIN_TOKEN }),
      });
      expect(signIn.status).toBe(303);
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
      const page = await (await fetch(`${origin}/console/overview`, { headers: { cookie } })).text();
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
      expect(csrf).not.toBe('');
      const actions: { path: string; fields: Record<string, string> }[] = [
        { path: '/console/audit/verify', fields: {} },
        { path: '/console/contracts', fields: { bundle: '{"contract":{}}' } },
        {
          path: '/console/playground',
          fields: {
            contract: 'food-safety@1.0.0',
            from: 'zj',
            to: 'canonical',
            type: 'assistance-request',
            document: JSON.stringify(submission.body),
          },
        },
        { path: '/console/dead-letters/delivery/01JXXXXXXXXXXXXXXXXXXXXXXX/requeue', fields: {} },
        {
          path: '/console/partners',
          fields: { id: '310000', name: '上海市', baseUrl: 'http://127.0.0.1:9', jwks: '{"keys":[]}' },
        },
        { path: '/console/partners/320500/suspend', fields: {} },
        { path: '/console/partners/%00/resume', fields: {} },
        { path: '/console/sign-out', fields: {} },
      ];
      for (let i = 0; i < ROUNDS; i++) {
        const action = r.pick(actions.filter((a) => a.path !== '/console/sign-out'));
        const fields = { _csrf: r.chance(0.9) ? csrf : mutateText(csrf, r), ...action.fields };
        const name = r.pick(Object.keys(fields));
        fields[name as keyof typeof fields] = r.chance(0.5)
          ? mutateText(String(fields[name as keyof typeof fields]), r)
          : String(JSON.stringify(r.pick(HOSTILE_VALUES))).slice(0, 200_000);
        findings.note(
          await consolePost(
            action.path,
            form(fields),
            { ...formType, cookie },
            `console ${action.path} #${i}`,
          ),
        );
      }
      findings.note(
        await consolePost(
          '/console/contracts',
          chunked(64 * 1024 * 1024),
          { ...formType, cookie },
          'chunked 64 MiB console form',
          { duplex: 'half' },
        ),
        true,
      );
      findings.expectNone(mark);
    },
    patient(180_000),
  );

  it(
    'kept its memory bounded, and its audit chain verifies',
    async () => {
      peak = watcher.stop();
      const growth = peak - baseline;
      process.stdout.write(
        `[hostile ${_name}] ${findings.total} requests, statuses ${JSON.stringify(Object.fromEntries(findings.statuses))}; RSS ${Math.round(baseline / 2 ** 20)} → peak ${Math.round(peak / 2 ** 20)} MiB\n`,
      );
      expect(huzhou.running).toBe(true);
      expect(growth).toBeLessThan(RSS_GROWTH_LIMIT);
      await huzhou.stop();
      const { DATABASE_URL: _, ...inherited } = process.env;
      const env = { ...inherited, ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }) };
      const { stdout } = await run(
        process.execPath,
        [join(ROOT, 'bin', 'yrdx.js'), 'audit', 'verify', '--config', huzhou.configFile, '--json'],
        { env, cwd: ROOT },
      );
      expect(JSON.parse(stdout)).toMatchObject({ valid: true });
    },
    patient(60_000),
  );
});
