import type { OpenApiDocument } from './document.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

function esc(text: unknown): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function json(value: unknown): string {
  return `<pre>${esc(JSON.stringify(value, null, 2))}</pre>`;
}

interface Operation {
  summary?: string;
  description?: string;
  operationId?: string;
  tags?: string[];
  security?: Record<string, unknown>[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown; examples?: Record<string, unknown> }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}

function operation(path: string, method: string, op: Operation): string {
  const security =
    op.security === undefined
      ? ''
      : op.security.length === 0
        ? '<p class="sec">No HTTP credentials</p>'
        : `<p class="sec">Credentials: ${op.security.map((s) => esc(Object.keys(s).join(' + '))).join(' or ')}</p>`;
  const params = (op.parameters ?? [])
    .map(
      (p) =>
        `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? 'yes' : ''}</td><td>${esc(p.description ?? '')}</td><td><code>${esc(JSON.stringify(p.schema ?? {}))}</code></td></tr>`,
    )
    .join('');
  const body = Object.entries(op.requestBody?.content ?? {})
    .map(
      ([type, media]) =>
        `<details><summary>Request body <code>${esc(type)}</code></summary>${json(media.schema ?? {})}${
          media.examples === undefined
            ? ''
            : `<p>${Object.keys(media.examples).length} examples in /openapi.json</p>`
        }</details>`,
    )
    .join('');
  const responses = Object.entries(op.responses ?? {})
    .map(([status, r]) => {
      const types = Object.keys(r.content ?? {});
      return `<tr><td>${esc(status)}</td><td>${esc(r.description ?? '')}</td><td>${types.map((t) => `<code>${esc(t)}</code>`).join(' ')}</td></tr>`;
    })
    .join('');
  return `<section class="op" id="${esc(op.operationId ?? `${method}-${path}`)}">
<h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code> ${esc(op.summary ?? '')}</h3>
${op.description ? `<p>${esc(op.description)}</p>` : ''}${security}
${params ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>description</th><th>schema</th></tr>${params}</table>` : ''}
${body}
${responses ? `<table><tr><th>status</th><th>description</th><th>media types</th></tr>${responses}</table>` : ''}
</section>`;
}

/**
 * A self-contained HTML rendering of the OpenAPI document: paths and methods by tag, parameters,
 * request bodies, responses, schemas and security schemes. No script and nothing fetched, so it
 * works on a network without access to any CDN.
 */
export function renderDocsPage(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as Operation | undefined;
      if (op === undefined) continue;
      const tag = op.tags?.[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operation(path, method, op)]);
    }
  }
  const sections = [...byTag]
    .map(([tag, ops]) => {
      const description = doc.tags.find((t) => t.name === tag)?.description ?? '';
      return `<h2 id="tag-${esc(tag)}">${esc(tag)}</h2><p>${esc(description)}</p>${ops.join('\n')}`;
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
      ([name, s]) =>
        `<dt><code>${esc(name)}</code></dt><dd>${esc((s as { description?: string }).description ?? '')}</dd>`,
    )
    .join('');
  const info = doc.info as { title?: string; version?: string; description?: string };
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(info.title)} — API</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:1100px;margin:0 auto;padding:1em 2em;color:#222}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
pre{background:#f6f8fa;padding:.8em;overflow:auto;max-height:40em}
table{border-collapse:collapse;margin:.5em 0;width:100%}td,th{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
.op{border-top:1px solid #ccc;padding:.5em 0}.m{display:inline-block;min-width:4.5em;text-align:center;color:#fff;border-radius:3px;padding:0 .3em}
.get{background:#2f7d32}.post{background:#1565c0}.put,.patch{background:#ef6c00}.delete{background:#c62828}.sec{color:#555}
</style></head><body>
<h1>${esc(info.title)}</h1>
<p>OpenAPI ${esc(doc.openapi)} · version ${esc(info.version)} · <a href="openapi.json">openapi.json</a></p>
<p>${esc(info.description ?? '')}</p>
<h2>Security schemes</h2><dl>${security}</dl>
${sections}
<h2 id="schemas">Schemas</h2>
${schemas}
</body></html>
`;
}
