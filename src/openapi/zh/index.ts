import { ADMIN_ZH } from './admin.js';
import { PUBLIC_ZH } from './public.js';

/** Every English text of the document with its 简体中文, keyed by the English. */
export const OPENAPI_ZH: Readonly<Record<string, string>> = { ...PUBLIC_ZH, ...ADMIN_ZH };

const ROLE_ZH: Readonly<Record<string, string>> = { admin: '管理员', operator: '运维员', auditor: '审计员' };

function paragraph(text: string): string | undefined {
  // A contract's title or a node's name, already Chinese: data, the same in both languages.
  if (/\p{Script=Han}/u.test(text)) return text;
  if (text === 'Roles: every role.') return '角色：所有角色。';
  const roles = /^Roles: (.+) \(permission `([^`]+)`\)\.$/.exec(text);
  if (roles?.[1] !== undefined && roles[2] !== undefined)
    return `角色：${roles[1]
      .split(', ')
      .map((r) => ROLE_ZH[r] ?? r)
      .join('、')}（权限 \`${roles[2]}\`）。`;
  return OPENAPI_ZH[text];
}

/** The 简体中文 of one English text of the document, paragraph by paragraph; undefined if a paragraph has none. */
export function chineseOf(text: string): string | undefined {
  const out: string[] = [];
  for (const p of text.split('\n\n')) {
    const zh = paragraph(p);
    if (zh === undefined) return undefined;
    out.push(zh);
  }
  return out.join('\n\n');
}

/** Members whose values are data (schemas, example payloads), never texts of the document. */
const DATA = new Set(['schema', 'schemas', 'value', 'example', 'x-zh']);

/**
 * A copy of `value` in which every object with a `summary` or `description` (info, tags, operations,
 * parameters, responses, headers, security schemes, examples) also holds `x-zh: {summary?,
 * description?}`, their 简体中文. English stays in `summary` and `description`, so the document is
 * the same OpenAPI for every reader; `x-` members are OpenAPI's specification extensions.
 */
export function withChinese<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withChinese) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const zh: Record<string, string> = {};
  for (const [key, member] of Object.entries(value)) {
    if ((key === 'summary' || key === 'description') && typeof member === 'string') {
      const text = chineseOf(member);
      if (text !== undefined) zh[key] = text;
    }
    out[key] = DATA.has(key) ? member : withChinese(member);
  }
  if (Object.keys(zh).length > 0) out['x-zh'] = zh;
  return out as T;
}
