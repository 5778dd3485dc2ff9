import { LANGUAGE_TAGS, type Language } from '../vocabulary/language.js';
import type { OpenApiDocument } from './document.js';
import { PAGE_TEXT, pageWord } from './page-text.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

function esc(text: unknown): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A text of the document as HTML: escaped first, then `code` spans and paragraphs. */
export function prose(text: string): string {
  return esc(text)
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .split('\n\n')
    .join('</p><p>');
}

function json(value: unknown): string {
  return `<pre>${esc(JSON.stringify(value, null, 2))}</pre>`;
}

/** Anything with an English `summary`/`description` and, from `withChinese`, its 简体中文 in `x-zh`. */
interface Described {
  summary?: string;
  description?: string;
  'x-zh'?: { summary?: string; description?: string };
}

interface Operation extends Described {
  operationId?: string;
  tags?: string[];
  security?: Record<string, unknown>[];
  parameters?: (Described & { name: string; in: string; required?: boolean; schema?: unknown })[];
  requestBody?: { content?: Record<string, { schema?: unknown; examples?: Record<string, unknown> }> };
  responses?: Record<string, Described & { content?: Record<string, { schema?: unknown }> }>;
}

/** The page in one language: every word of it, and the document's texts in that language. */
class Page {
  constructor(readonly lang: Language) {}

  /** A page word with its `{name}` placeholders filled by (already HTML) values. */
  word(key: keyof (typeof PAGE_TEXT)['zh'], params: Record<string, string> = {}): string {
    return prose(PAGE_TEXT[this.lang][key]).replace(
      /\{(\w+)\}/g,
      (_, name: string) => params[name] ?? `{${name}}`,
    );
  }

  /** The document's text of `item` in this language (English when it has no 简体中文), as HTML. */
  text(item: Described | undefined, key: 'summary' | 'description'): string {
    const english = item?.[key] ?? '';
    return prose(this.lang === 'zh' ? (item?.['x-zh']?.[key] ?? english) : english);
  }

  operation(path: string, method: string, op: Operation): string {
    const security =
      op.security === undefined
        ? ''
        : op.security.length === 0
          ? `<p class="sec">${this.word('noCredentials')}</p>`
          : `<p class="sec">${this.word('credentials', {
              schemes: op.security
                .map((s) => `<code>${esc(Object.keys(s).join(' + '))}</code>`)
                .join(this.word('or')),
            })}</p>`;
    const params = (op.parameters ?? [])
      .map(
        (p) =>
          `<tr><td><code>${esc(p.name)}</code></td><td class="nw">${esc(pageWord(this.lang, `in.${p.in}`) ?? p.in)}</td><td class="nw">${p.required ? this.word('yes') : ''}</td><td>${this.text(p, 'description')}</td><td><code>${esc(JSON.stringify(p.schema ?? {}))}</code></td></tr>`,
      )
      .join('');
    const body = Object.entries(op.requestBody?.content ?? {})
      .map(
        ([type, media]) =>
          `<details><summary>${this.word('requestBody')} <code>${esc(type)}</code></summary>${json(media.schema ?? {})}${
            media.examples === undefined
              ? ''
              : `<p>${this.word('examples', { count: String(Object.keys(media.examples).length) })}</p>`
          }</details>`,
      )
      .join('');
    const responses = Object.entries(op.responses ?? {})
      .map(([status, r]) => {
        const types = Object.keys(r.content ?? {});
        return `<tr><td>${esc(status)}</td><td>${this.text(r, 'description')}</td><td>${types.map((t) => `<code>${esc(t)}</code>`).join(' ')}</td></tr>`;
      })
      .join('');
    const w = (key: Parameters<Page['word']>[0]) => this.word(key);
    return `<section class="op" id="${esc(op.operationId ?? `${method}-${path}`)}">
<h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code> ${this.text(op, 'summary')}</h3>
${op.description ? `<p>${this.text(op, 'description')}</p>` : ''}${security}
${params ? `<table><tr><th>${w('parameter')}</th><th>${w('in')}</th><th>${w('required')}</th><th>${w('description')}</th><th>${w('schema')}</th></tr>${params}</table>` : ''}
${body}
${responses ? `<table><tr><th>${w('status')}</th><th>${w('description')}</th><th>${w('mediaTypes')}</th></tr>${responses}</table>` : ''}
</section>`;
  }
}

/**
 * A self-contained HTML rendering of the OpenAPI document in one language (简体中文 by default):
 * paths and methods by tag, parameters, request bodies, responses, schemas and security schemes,
 * with a link to the other language. No script and nothing fetched, so it works on a network
 * without access to any CDN.
 */
export function renderDocsPage(doc: OpenApiDocument, lang: Language = 'zh'): string {
  const page = new Page(lang);
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as Operation | undefined;
      if (op === undefined) continue;
      const tag = op.tags?.[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), page.operation(path, method, op)]);
    }
  }
  const sections = [...byTag]
    .map(([tag, ops]) => {
      const title = pageWord(lang, `tag.${tag}`);
      const described = doc.tags.find((t) => t.name === tag) as Described | undefined;
      return `<h2 id="tag-${esc(tag)}">${title === undefined ? '' : `${esc(title)} `}<code>${esc(tag)}</code></h2><p>${page.text(described, 'description')}</p>${ops.join('\n')}`;
    })
    .join('\n');
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([name, schema]) =>
        `<details id="schema-${esc(name)}"><summary><code>${esc(name)}</code></summary>${json(schema)}</details>`,
    )
    .join('\n');
  const security = Object.entries(doc.components.securitySchemes)
    .map(
      ([name, s]) => `<dt><code>${esc(name)}</code></dt><dd>${page.text(s as Described, 'description')}</dd>`,
    )
    .join('');
  const info = doc.info as Described & { title?: string; version?: string };
  const other: Language = lang === 'zh' ? 'en' : 'zh';
  return `<!doctype html>
<html lang="${LANGUAGE_TAGS[lang]}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.word('title', { title: esc(info.title) })}</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:1100px;margin:0 auto;padding:1em 2em;color:#222}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
p code,td code,dd code,h3 code{background:#f0f2f4;padding:0 .2em;border-radius:3px}
pre{background:#f6f8fa;padding:.8em;overflow:auto;max-height:40em}
table{border-collapse:collapse;margin:.5em 0;width:100%}td,th{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
.op{border-top:1px solid #ccc;padding:.5em 0}.m{display:inline-block;min-width:4.5em;text-align:center;color:#fff;border-radius:3px;padding:0 .3em}
.get{background:#2f7d32}.post{background:#1565c0}.put,.patch{background:#ef6c00}.delete{background:#c62828}.sec{color:#555}
nav.lang{float:right}.nw{white-space:nowrap}
</style></head><body>
<nav class="lang"><a href="?lang=${LANGUAGE_TAGS[other]}" hreflang="${LANGUAGE_TAGS[other]}" lang="${LANGUAGE_TAGS[other]}">${esc(PAGE_TEXT[lang].switchTo)}</a></nav>
<h1>${esc(info.title)}</h1>
<p>${page.text(info, 'summary')}</p>
<p>${page.word('about', { openapi: esc(doc.openapi), version: esc(info.version), json: '<a href="openapi.json">openapi.json</a>' })}</p>
<p>${page.text(info, 'description')}</p>
<h2>${page.word('securitySchemes')}</h2><dl>${security}</dl>
${sections}
<h2 id="schemas">${page.word('schemas')}</h2>
${schemas}
</body></html>
`;
}
