import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { storeAuditSink } from '../../src/audit/sink.js';
import { DEFAULT_POLICY } from '../../src/envelope/policy.js';
import { sealMessage } from '../../src/envelope/seal.js';
import type { Store } from '../../src/store/port.js';
import { postgresStore } from '../../src/store/postgres/store.js';
import { sqliteStore } from '../../src/store/sqlite/store.js';
import { adminCredentials } from '../admin/helpers.js';
import { FakeClock, type TestNode, testNode } from '../helpers/nodes.js';
import { patient } from '../helpers/patience.js';
import { postgresUrl } from '../helpers/pg-suite.js';
import { createDatabase } from '../helpers/postgres.js';
import { SUZHOU_API_KEY, suzhouExchange, suzhouNode } from '../helpers/suzhou.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * NUL and lone surrogates are refused where they enter, with one code and a 4xx (so that a partner's
 * delivery worker does not retry them), the same whichever store the node runs on: SQLite keeps such
 * text, PostgreSQL refuses it — before, the same request was stored on one and a 500 on the other.
 */
const example = JSON.parse(
  readFileSync('contracts/food-safety/1.0.0/dialects/js/examples/assistance-request.json', 'utf8'),
) as Record<string, unknown>;
/** What a text field holds, spelled as JSON escapes (as a client sends them). */
const SPOILERS = {
  nul: '湖州\\u0000苏州',
  high: '案件\\ud800',
  low: '\\udc00案件',
  reversed: '\\udc00\\ud800',
};

const stores: [string, () => Promise<Store>][] = [
  ['SQLite', async () => sqliteStore(join(tempDir('yrdx-unsafe-'), 'yrdx.sqlite'))],
  [
    'PostgreSQL',
    async () => postgresStore(await createDatabase(postgresUrl(), `yrdx_unsafe_text_${process.pid}`)),
  ],
];

describe.each(stores)('on %s', (_name, open) => {
  const clock = new FakeClock();
  let app: ReturnType<typeof buildApp>;
  let store: Store;
  let huzhou: TestNode;
  let adminToken: string;

  beforeAll(async () => {
    huzhou = await testNode('330500');
    const creds = await adminCredentials(clock.now());
    adminToken = creds.tokens.admin;
    const suzhou = await suzhouNode({ clock, huzhou, admin: creds.admin });
    store = await open();
    const deps = await suzhouExchange(suzhou, store, clock);
    app = buildApp({
      ...suzhou,
      exchange: deps,
      now: clock.now,
      audit: storeAuditSink(store),
    });
  }, patient(60_000));
  afterAll(() => store.close());

  async function expectRefused(res: Response) {
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { code: string }).code).toBe('text_invalid');
  }
  const submit = (body: string) =>
    app.request('/v1/messages', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SUZHOU_API_KEY}` },
    });

  it('refuses a submission with NUL or a lone surrogate in any string, member name or not', async () => {
    const good = JSON.stringify({
      to: '330500',
      domain: 'food-safety',
      type: 'assistance-request',
      body: example,
    });
    for (const spoiled of Object.values(SPOILERS)) {
      await expectRefused(await submit(good.replace('即食海蜇铝残留量超标案', spoiled)));
      await expectRefused(await submit(good.replace('"case_name"', `"${spoiled}"`)));
      await expectRefused(await submit(good.replace('"to":"330500"', `"to":"${spoiled}"`)));
    }
    // Raw bytes that are not UTF-8 are refused too, never replaced by U+FFFD.
    const bytes = new TextEncoder().encode(good.replace('即食海蜇', 'XX'));
    const at = bytes.indexOf(0x58);
    bytes[at] = 0xff;
    await expectRefused(
      await app.request('/v1/messages', {
        method: 'POST',
        body: bytes,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${SUZHOU_API_KEY}` },
      }),
    );
    // A surrogate pair is one character: accepted.
    const pair = await submit(good.replace('即食海蜇铝残留量超标案', '\\ud840\\udc00'));
    expect(pair.status).toBe(202);
  });

  it('refuses a message signed by a real partner key whose payload holds such text', async () => {
    for (const [name, spoiled] of Object.entries(SPOILERS)) {
      const body = { caseNumber: JSON.parse(`"${spoiled}"`) as string, note: name };
      const sealed = await sealMessage(
        {
          to: '320500',
          type: 'assistance-request',
          domain: 'food-safety',
          contract: 'food-safety@1.0.0',
          body,
        },
        { self: '330500', signer: huzhou.signer, policy: DEFAULT_POLICY, now: clock.now },
      );
      await expectRefused(
        await app.request('/v1/inbox', {
          method: 'POST',
          body: sealed.token,
          headers: { 'content-type': 'application/jose' },
        }),
      );
    }
  });

  it('refuses such text in URL paths and queries, signed in or not', async () => {
    const admin = { authorization: `Bearer ${adminToken}` };
    const local = { authorization: `Bearer ${SUZHOU_API_KEY}` };
    for (const [path, headers] of [
      ['/admin/v1/%00', {}],
      ['/admin/v1/%00', admin],
      ['/admin/v1/messages/%00', admin],
      ['/admin/v1/messages?caseNumber=%00', admin],
      ['/admin/v1/messages?caseNumber=a%ED%A0%80b', admin],
      ['/admin/v1/threads/%E6%B9%96%FF', admin],
      ['/v1/messages/%00', local],
      ['/v1/inbox/messages?after=%00', local],
      ['/console/messages?q=%C0%80', {}],
    ] as const) {
      await expectRefused(await app.request(path, { headers }));
    }
    // Percent-encoded Chinese is fine.
    const fine = await app.request('/admin/v1/messages?caseNumber=%E6%B9%96%E5%B7%9E', {
      headers: admin,
    });
    expect(fine.status).toBe(200);
  });

  it('refuses such text in admin bodies', async () => {
    const res = await app.request('/admin/v1/partners', {
      method: 'POST',
      body: '{"id":"330400","name":"嘉兴\\u0000市"}',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    });
    await expectRefused(res);
  });
});
