import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prose } from '../../src/openapi/docs-page.js';
import { nodeApp } from '../../src/runtime/node/app.js';
import { adminCredentials } from '../admin/helpers.js';
import { FORBIDDEN } from '../docs/glossary.js';
import { type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The API description in both languages: /openapi.json keeps English in `summary`/`description` and
 * carries 简体中文 beside them in `x-zh`; /docs renders it in 简体中文 by default, in English with
 * `?lang=en` or an English `Accept-Language`, with `code` spans and no script.
 */
let huzhou: LiveNode;
let app: ReturnType<typeof nodeApp>;

beforeAll(async () => {
  [huzhou] = (await startNodes(
    [{ id: '330500', name: '湖州市', province: 'zj' }],
    tempDir('yrdx-docs-page-'),
  )) as [LiveNode];
  const { admin } = await adminCredentials(Date.now());
  // Every route group described: the exchange, the admin API and the console.
  app = nodeApp({ ...huzhou.state, config: { ...huzhou.state.config, admin } }, huzhou.exchange);
}, patient(30_000));

afterAll(async () => {
  await huzhou?.stop();
});

const HAN = /\p{Script=Han}/u;

interface Text {
  readonly at: string;
  readonly key: 'summary' | 'description';
  readonly en: string;
  readonly zh: string | undefined;
}

/** Every `summary`/`description` of the document outside schemas, where it is, and its `x-zh`. */
function texts(value: unknown, at = ''): Text[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => texts(v, `${at}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  const object = value as Record<string, unknown>;
  const zh = object['x-zh'] as Record<string, string> | undefined;
  const own = (['summary', 'description'] as const)
    .filter((key) => typeof object[key] === 'string')
    .map((key) => ({ at, key, en: object[key] as string, zh: zh?.[key] }));
  return [
    ...own,
    ...Object.entries(object)
      .filter(([key]) => !['schema', 'schemas', 'value', 'example', 'x-zh'].includes(key))
      .flatMap(([key, v]) => texts(v, `${at}/${key.replace(/\//g, '~1')}`)),
  ];
}

/** Where OpenAPI 3.1 allows a specification extension that carries texts (JSON pointers). */
const EXTENSIBLE = [
  /^\/info$/,
  /^\/servers\/\d+$/,
  /^\/tags\/\d+$/,
  /^\/components\/securitySchemes\/[^/]+$/,
  /^\/paths\/[^/]+\/(get|put|post|delete|patch|head|options)$/,
  /^\/paths\/[^/]+\/[a-z]+\/parameters\/\d+$/,
  /^\/paths\/[^/]+\/[a-z]+\/responses\/\d{3}$/,
  /^\/paths\/[^/]+\/[a-z]+\/responses\/\d{3}\/headers\/[^/]+$/,
  /^\/paths\/[^/]+\/[a-z]+\/requestBody\/content\/[^/]+\/examples\/[^/]+$/,
];

/** Data, the same in both languages: the node's name and the contracts' titles in example names. */
const isData = (t: Text) => t.at === '/servers/0' || /\/examples\/[^/]+$/.test(t.at);

describe('/openapi.json in two languages', () => {
  it('gives every text its 简体中文 in x-zh, where OpenAPI allows an extension', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as Record<string, unknown>;
    const all = texts(doc);
    expect(all.length).toBeGreaterThan(300);
    expect(all.filter((t) => t.zh === undefined).map((t) => `${t.at} ${t.key}: ${t.en}`)).toEqual([]);
    for (const t of all)
      expect(
        EXTENSIBLE.some((re) => re.test(t.at)),
        t.at,
      ).toBe(true);
    // The English texts stay where every OpenAPI tool reads them.
    const submit = (doc.paths as Record<string, Record<string, Record<string, unknown>>>)['/v1/messages']
      ?.post;
    expect(submit?.summary).toBe('Send a message to partner nodes, written in the local system’s dialect');
    expect(submit?.['x-zh']).toEqual({
      summary: '向伙伴节点发送报文，用本地系统的方言书写',
      description: expect.stringContaining('规范模型'),
    });
  });

  it('writes each language alone: no English prose in 简体中文, no Chinese in English, the glossary’s terms', async () => {
    const doc = await (await app.request('/openapi.json')).json();
    for (const t of texts(doc)) {
      if (isData(t)) continue;
      const where = `${t.at} ${t.key}`;
      expect(t.en, where).not.toMatch(HAN);
      expect(t.zh, where).toMatch(HAN);
      // Codes, names and identifiers are fine in Chinese text; three English words in a row are prose.
      const bare = (t.zh ?? '').replace(/`[^`]*`/g, '');
      expect(bare, where).not.toMatch(/[A-Za-z]+ [A-Za-z]+ [A-Za-z]+/);
      for (const { word } of FORBIDDEN) expect(t.zh, `${where}: ${word}`).not.toContain(word);
    }
    const rotate = texts(doc).find(
      (t) => t.at === '/paths/~1admin~1v1~1keys~1rotate/post' && t.key === 'description',
    );
    expect(rotate?.zh).toContain('角色：管理员（权限 `keys:rotate`）。');
  });
});

/** The page's visible text outside preformatted schemas, the title and the language switch. */
function prosePart(html: string): string {
  return html
    .replace(/<pre>[\s\S]*?<\/pre>/g, '')
    .replace(/<title>[\s\S]*?<\/title>|<h1>[\s\S]*?<\/h1>|<nav class="lang">[\s\S]*?<\/nav>/g, '')
    .replace(/<style>[\s\S]*?<\/style>/g, '');
}

describe('/docs', () => {
  it('is 简体中文 by default, with code spans, a switch to English and nothing run or fetched', async () => {
    const response = await app.request('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-language')).toBe('zh-CN');
    expect(response.headers.get('vary')).toContain('Accept-Language');
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'",
    );
    const html = await response.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('向伙伴节点发送报文，用本地系统的方言书写');
    expect(html).toContain('<h2>认证方式</h2>');
    expect(html).toContain('角色：管理员、运维员（权限 <code>ops:read</code>）。');
    expect(html).toContain('<code>text_invalid</code>');
    expect(html).toContain('<a href="?lang=en" hreflang="en" lang="en">English</a>');
    expect(prosePart(html)).not.toContain('`');
    expect(html).not.toMatch(/<script|<link|<img|src=|https?:\/\/(?!json-schema\.org)/);
  });

  it('is English with ?lang=en, with no Chinese outside data', async () => {
    const response = await app.request('/docs?lang=en');
    expect(response.headers.get('content-language')).toBe('en');
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Send a message to partner nodes, written in the local system’s dialect');
    expect(html).toContain('Roles: admin, operator (permission <code>ops:read</code>).');
    expect(html).toContain('<a href="?lang=zh-CN" hreflang="zh-CN" lang="zh-CN">简体中文</a>');
    expect(prosePart(html)).not.toMatch(HAN);
    expect(prosePart(html)).not.toContain('`');
  });

  it('follows Accept-Language when no lang is given, and lang over Accept-Language', async () => {
    const lang = async (path: string, accept?: string) =>
      (
        await app.request(path, accept === undefined ? {} : { headers: { 'accept-language': accept } })
      ).headers.get('content-language');
    expect(await lang('/docs', 'en-US,en;q=0.9')).toBe('en');
    expect(await lang('/docs', 'zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(await lang('/docs', 'fr-FR')).toBe('zh-CN');
    expect(await lang('/docs?lang=zh-CN', 'en')).toBe('zh-CN');
    expect(await lang('/docs?lang=en', 'zh-CN')).toBe('en');
  });
});

describe('prose', () => {
  it('escapes HTML before it writes code spans and paragraphs', () => {
    expect(prose('a <b> & `x<y>` `"q"`\n\nnext')).toBe(
      'a &lt;b&gt; &amp; <code>x&lt;y&gt;</code> <code>&quot;q&quot;</code></p><p>next',
    );
    expect(prose('`<script>alert(1)</script>`')).toBe('<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>');
  });
});
