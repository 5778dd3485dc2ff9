import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ContractRegistry } from '../../src/contracts/registry.js';
import { nodeApp } from '../../src/runtime/node/app.js';
import { createLogger, logFn } from '../../src/runtime/node/logger.js';
import type { Store } from '../../src/store/port.js';
import { parseTraceparent } from '../../src/trace/traceparent.js';
import { adminCredentials } from '../admin/helpers.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Huzhou and Suzhou as real nodes on 127.0.0.1, each logging through the Node logger into memory:
 * health, readiness, metrics, the trace of a message across both nodes, and what their logs hold.
 */
const logs = new Map<string, string[]>();
function sink(id: string) {
  const lines: string[] = [];
  logs.set(id, lines);
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return logFn(createLogger('debug', stream));
}
const logOf = (id: string) => (logs.get(id) ?? []).map((l) => JSON.parse(l) as Record<string, unknown>);

// Real-format 公民身份号码 (valid MOD 11-2 check characters) and phone numbers put into payloads.
const ID_NUMBERS = ['33050219880101123X', '320508197512120044'];
const PHONES = ['13812345678', '0572-6022517'];

let huzhou: LiveNode;
let suzhou: LiveNode;
const example = (dialect: string, type: string) =>
  JSON.parse(
    readFileSync(`contracts/food-safety/2.0.0/dialects/${dialect}/examples/${type}.json`, 'utf8'),
  ) as Record<string, unknown>;
const TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

beforeAll(async () => {
  [huzhou, suzhou] = (await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj', log: sink('330500') },
      { id: '320500', name: '苏州市', province: 'js', log: sink('320500') },
    ],
    tempDir('yrdx-ops-'),
  )) as [LiveNode, LiveNode];
}, patient(30_000));

afterAll(async () => {
  await Promise.all([huzhou?.stop(), suzhou?.stop()]);
});

async function scrape(node: LiveNode) {
  const response = await fetch(`${node.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheusText(await response.text());
}

describe('health and readiness', () => {
  it('answers /healthz and reports /readyz with every check ok', async () => {
    const health = await fetch(`${huzhou.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${huzhou.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { store: 'ok', keys: 'ok', contracts: 'ok' },
    });
  });

  it('answers 503 problem+json naming the store and the contracts when they are not usable', async () => {
    const broken: Store = {
      ...huzhou.exchange.deps.store,
      getOutbound: async () => {
        throw new Error('SQLITE_CANTOPEN');
      },
    };
    const app = buildApp({
      config: huzhou.state.config,
      keyring: () => huzhou.state.keyring,
      partners: huzhou.state.partners,
      exchange: { ...huzhou.exchange.deps, store: broken, contracts: new ContractRegistry() },
    });
    const response = await app.request('/readyz', { headers: { 'accept-language': 'en' } });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as {
      code: string;
      detail: string;
      errors: { pointer: string; detail: string }[];
    };
    expect(problem.code).toBe('not_ready');
    expect(problem.detail).toBe('This node is not ready: store, contracts.');
    expect(problem.errors.map((e) => e.pointer)).toEqual(['/store', '/contracts']);
    expect(problem.errors[0]?.detail).toContain('SQLITE_CANTOPEN');
    expect(problem.errors[1]?.detail).toContain('no contract is loaded');
  });
});

describe('a traced message', () => {
  let accepted: { id: string; thread: string };

  beforeAll(async () => {
    const body = {
      ...example('zj', 'assistance-request'),
      case_name: `蒋立群（身份证 ${ID_NUMBERS[0]}，手机 ${PHONES[0]}）`,
    };
    const submitted = await huzhou.submit(
      { to: '320500', domain: 'food-safety', type: 'assistance-request', body },
      { traceparent: TRACE, 'x-request-id': 'req-ops-1' },
    );
    expect(submitted.status).toBe(202);
    accepted = (await submitted.json()) as typeof accepted;
  });

  it('carries the trace id to the partner and its local system, with a new parent id on each hop', async () => {
    const pushed = await eventually(
      () => suzhou.pushed.find((p) => p.headers['x-yrdx-message-id'] === accepted.id),
      15_000,
      'the push to Suzhou',
    );
    const received = parseTraceparent(pushed.headers.traceparent);
    expect(received?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(received?.flags).toBe('01');
    expect(received?.parentId).not.toBe('00f067aa0ba902b7');
    const sent = await huzhou.exchange.deps.store.getOutbound(accepted.id);
    const stored = await suzhou.exchange.deps.store.getInbound('330500', accepted.id);
    const hops = [TRACE, sent?.traceparent, stored?.traceparent, pushed.headers.traceparent].map(
      (t) => parseTraceparent(t)?.parentId,
    );
    expect(new Set(hops).size).toBe(4);
  });

  it('logs request, message, thread and trace ids on both nodes, never the payload', async () => {
    await eventually(() => logOf('320500').find((l) => l.msg === 'local push delivered'), 15_000, 'the log');
    await eventually(() => logOf('330500').find((l) => l.msg === 'delivery delivered'), 15_000, 'the log');
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(logOf('330500').find((l) => l.msg === 'message submitted')).toMatchObject({
      service: 'yrdx',
      requestId: 'req-ops-1',
      messageId: accepted.id,
      thread: accepted.thread,
      traceId,
    });
    expect(logOf('330500').find((l) => l.msg === 'delivery delivered')).toMatchObject({
      messageId: accepted.id,
      partner: '320500',
      traceId,
    });
    expect(logOf('320500').find((l) => l.msg === 'message received')).toMatchObject({
      messageId: accepted.id,
      partner: '330500',
      thread: accepted.thread,
      traceId,
    });
    expect(logOf('320500').find((l) => l.msg === 'local push delivered')).toMatchObject({
      messageId: accepted.id,
      thread: accepted.thread,
      traceId,
    });
    const all = [...(logs.get('330500') ?? []), ...(logs.get('320500') ?? [])].join('\n');
    for (const secret of [...ID_NUMBERS, ...PHONES, '蒋立群', '021-57620918'])
      expect(all).not.toContain(secret);
  });

  it('redacts ID and phone numbers from the problems of a refused submission in its log', async () => {
    const body = {
      ...example('zj', 'assistance-request'),
      [`联系人${PHONES[1]}`]: ID_NUMBERS[1],
      [`身份证${ID_NUMBERS[1]}`]: PHONES[0],
    };
    const refused = await huzhou.submit({
      to: '320500',
      domain: 'food-safety',
      type: 'assistance-request',
      body,
    });
    expect(refused.status).toBe(422);
    const problem = JSON.stringify(await refused.json());
    expect(problem).toContain(ID_NUMBERS[1]); // the caller sees its own input…
    const line = await eventually(() => logOf('330500').find((l) => l.msg === 'submission refused'));
    expect(line).toMatchObject({
      code: expect.any(String),
      domain: 'food-safety',
      errors: expect.any(Array),
    });
    const text = JSON.stringify(line);
    for (const secret of [...ID_NUMBERS, ...PHONES]) expect(text).not.toContain(secret); // …the log never does
    expect(text).toContain('[id-number]');
  });
});

describe('/metrics', () => {
  it('parses with a strict Prometheus text parser and counts the exchange by partner, domain, type and outcome', async () => {
    const ok = await huzhou.submit({
      to: '320500',
      domain: 'food-safety',
      type: 'assistance-request',
      body: example('zj', 'assistance-request'),
    });
    const { id } = (await ok.json()) as { id: string };
    await eventually(() => suzhou.pushed.find((p) => p.headers['x-yrdx-message-id'] === id), 15_000);
    await eventually(async () => {
      const view = await huzhou.exchange.deps.store.getOutbound(id);
      return view?.deliveries.every((d) => d.status === 'delivered') ? true : undefined;
    });
    const sender = await scrape(huzhou);
    const fs = { domain: 'food-safety', type: 'assistance-request' };
    expect(
      sampleValue(sender, 'yrdx_submissions_total', {
        ...fs,
        local_system: huzhou.localSystem,
        outcome: 'queued',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      sampleValue(sender, 'yrdx_submissions_total', { ...fs, outcome: 'document_invalid' }) ??
        sampleValue(sender, 'yrdx_submissions_total', { ...fs, outcome: 'request_invalid' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(sender, 'yrdx_messages_total', {
        direction: 'outbound',
        partner: '320500',
        ...fs,
        outcome: 'delivered',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      sampleValue(sender, 'yrdx_delivery_attempts_total', { partner: '320500', outcome: 'delivered' }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      sampleValue(sender, 'yrdx_delivery_latency_seconds_count', {
        partner: '320500',
        domain: 'food-safety',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(sampleValue(sender, 'yrdx_circuit_open', { partner: '320500' })).toBe(0);
    expect(sender.get('yrdx_threads_overdue')?.type).toBe('gauge');
    // The request waits in its workflow's first state, one track per recipient.
    expect(
      sampleValue(sender, 'yrdx_thread_tracks_open', {
        domain: 'food-safety',
        workflow: 'assistance',
        state: 'requested',
      }),
    ).toBeGreaterThanOrEqual(1);

    const recipient = await scrape(suzhou);
    expect(
      sampleValue(recipient, 'yrdx_messages_total', {
        direction: 'inbound',
        partner: '330500',
        ...fs,
        outcome: 'accepted',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      sampleValue(recipient, 'yrdx_local_push_total', {
        local_system: suzhou.localSystem,
        outcome: 'delivered',
      }),
    ).toBeGreaterThanOrEqual(2);
  });

  it('counts an inbox refusal without labels taken from an unverified message', async () => {
    const response = await fetch(`${suzhou.url}/v1/inbox`, {
      method: 'POST',
      headers: { 'content-type': 'application/jose' },
      body: 'eyJhbGciOiJub25lIn0.eyJpc3MiOiJldmlsIn0.',
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    const { code } = (await response.json()) as { code: string };
    const families = await scrape(suzhou);
    expect(
      sampleValue(families, 'yrdx_messages_total', {
        direction: 'inbound',
        partner: 'unknown',
        outcome: code,
      }),
    ).toBe(1);
    expect(sampleValue(families, 'yrdx_messages_total', { partner: 'evil' })).toBeUndefined();
  });
});

/** The routes an app serves and the operations a document describes, as sorted `method path` lists. */
function routesOf(app: ReturnType<typeof nodeApp>, doc: { paths: Record<string, object> }) {
  const served = app.routes
    .filter((r) => r.method !== 'ALL')
    .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
  const described = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item).map((m) => `${m} ${path}`),
  );
  // Hono answers HEAD through a GET route: one described as HEAD only (tus's HEAD /v1/uploads/{id}) is
  // served as GET.
  const headOnly = (route: string) =>
    route.startsWith('get ') &&
    described.includes(route.replace(/^get /, 'head ')) &&
    !described.includes(route);
  const servedAs = served.map((r) => (headOnly(r) ? r.replace(/^get /, 'head ') : r));
  return { served: [...new Set(servedAs)].sort(), described: described.sort() };
}

describe('the API description', () => {
  it('describes every route the node serves, with the dialect schemas as request bodies', async () => {
    const response = await fetch(`${huzhou.url}/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown; examples?: object }> } }>
      >;
      components: {
        schemas: Record<string, Record<string, unknown>>;
        securitySchemes: Record<string, unknown>;
      };
    };
    expect(doc.openapi).toBe('3.1.0');
    const { served, described } = routesOf(nodeApp(huzhou.state, huzhou.exchange), doc);
    expect(served).toEqual(described);
    expect(described.some((r) => r.includes('/admin/'))).toBe(false);

    const dialect = doc.components.schemas['food-safety_2.1.0_zj']!;
    expect(dialect).toMatchObject({
      type: 'object',
      'x-yrdx-contract': 'food-safety@2.1.0',
      'x-yrdx-dialect': 'zj',
    });
    expect(Object.keys(dialect.properties as object)).toContain('punish_case_code');
    expect(doc.components.schemas.DialectBody?.oneOf).toContainEqual({
      $ref: '#/components/schemas/food-safety_2.1.0_zj',
    });
    const submit = doc.paths['/v1/messages']?.post?.requestBody?.content['application/json'];
    expect(submit?.schema).toEqual({ $ref: '#/components/schemas/SubmitRequest' });
    expect(Object.keys(submit?.examples ?? {})).toContain('food-safety.zj.assistance-request');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['adminBearer', 'localSystem']);

    // Every reference resolves inside the document.
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]*"/g) ?? [];
    for (const ref of new Set(refs)) {
      const name = /#\/components\/schemas\/([^"]+)/.exec(ref)?.[1];
      expect(name && doc.components.schemas[name], ref).toBeTruthy();
    }
  });

  it('describes every admin route, with its roles, parameters and problems, when the admin API is on', async () => {
    const { admin } = await adminCredentials(Date.now());
    const app = nodeApp({ ...huzhou.state, config: { ...huzhou.state.config, admin } }, huzhou.exchange);
    const response = await app.request('/openapi.json');
    expect(response.status).toBe(200);
    type Op = {
      security?: Record<string, unknown>[];
      'x-yrdx-roles'?: string[];
      description?: string;
      parameters?: { name: string; in: string }[];
      requestBody?: { content: Record<string, { schema: unknown }> };
      responses: Record<string, { content?: Record<string, unknown> }>;
    };
    const doc = (await response.json()) as {
      paths: Record<string, Record<string, Op>>;
      components: { schemas: Record<string, unknown> };
    };
    // Every admin route served is described, and nothing is described that is not served.
    const { served, described } = routesOf(app, doc);
    expect(served).toEqual(described);
    expect(described.filter((r) => r.includes(' /admin/v1/')).length).toBeGreaterThanOrEqual(24);

    // The roles of each operation are those the role table grants.
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!path.startsWith('/admin/v1/')) continue;
      for (const [method, op] of Object.entries(item)) {
        const where = `${method} ${path}`;
        expect(op.security, where).toEqual([{ adminBearer: [] }]);
        expect(op.description, where).toContain('Roles:');
        for (const status of ['401', '429'])
          expect(Object.keys(op.responses[status]?.content ?? {}), where).toEqual([
            'application/problem+json',
          ]);
        for (const param of path.match(/\{\w+\}/g) ?? [])
          expect(
            op.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === param),
            `${where} ${param}`,
          ).toBe(true);
      }
    }
    const roles = (method: string, path: string) => doc.paths[`/admin/v1${path}`]?.[method]?.['x-yrdx-roles'];
    expect(roles('get', '/me')).toEqual(['admin', 'operator', 'auditor']);
    expect(roles('get', '/messages')).toEqual(['admin', 'operator', 'auditor']);
    expect(roles('get', '/keys')).toEqual(['admin', 'operator']);
    expect(roles('post', '/partners/{id}/suspend')).toEqual(['admin', 'operator']);
    expect(roles('post', '/partners/{id}/resume')).toEqual(['admin']);
    expect(roles('post', '/keys/rotate')).toEqual(['admin']);
    expect(doc.paths['/admin/v1/me']?.get?.responses['403']).toBeUndefined();
    expect(doc.paths['/admin/v1/keys/rotate']?.post?.responses['403']).toBeDefined();

    // The message search filters, and the request bodies.
    expect(
      doc.paths['/admin/v1/messages']?.get?.parameters?.filter((p) => p.in === 'query').map((p) => p.name),
    ).toEqual([
      'id',
      'direction',
      'partner',
      'domain',
      'type',
      'thread',
      'caseNumber',
      'from',
      'to',
      'limit',
    ]);
    const body = (method: string, path: string) =>
      doc.paths[`/admin/v1${path}`]?.[method]?.requestBody?.content['application/json']?.schema;
    expect(body('post', '/contracts')).toEqual({ $ref: '#/components/schemas/ContractUpload' });
    expect(body('post', '/contracts/{domain}/{version}/translate')).toEqual({
      $ref: '#/components/schemas/TranslationRequest',
    });
    expect(body('post', '/partners')).toEqual({ $ref: '#/components/schemas/PartnerRegistration' });
    expect(body('put', '/partners/{id}')).toEqual({ $ref: '#/components/schemas/PartnerRegistration' });
    expect(Object.keys(doc.paths['/admin/v1/contracts']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '401', '403', '409', '422', '429']),
    );

    // Every reference resolves inside the document.
    for (const ref of new Set(JSON.stringify(doc).match(/"\$ref":"[^"]*"/g) ?? [])) {
      const name = /#\/components\/schemas\/([^"]+)/.exec(ref)?.[1];
      expect(name && doc.components.schemas[name], ref).toBeTruthy();
    }
    const html = await (await app.request('/docs')).text();
    expect(html).toContain('/admin/v1/keys/rotate');
  });

  it('renders a self-contained docs page that loads nothing from elsewhere', async () => {
    const response = await fetch(`${huzhou.url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    for (const text of [
      '/v1/messages',
      '/v1/inbox',
      '/readyz',
      '/metrics',
      'food-safety_2.1.0_zj',
      'adminBearer',
    ])
      expect(html).toContain(text);
    expect(html).not.toMatch(/<script|<link|<img|src=|https?:\/\/(?!json-schema\.org)/);
  });
});
