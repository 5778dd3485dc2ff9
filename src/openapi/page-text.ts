import type { Language } from '../vocabulary/language.js';

/** The words of the `/docs` page around the document's own texts, in both languages. */
export const PAGE_TEXT = {
  zh: {
    title: '{title} — 接口说明',
    about:
      'OpenAPI {openapi} · 版本 {version} · 机器可读的文档：{json}（英文写在 `summary`/`description`，简体中文写在 `x-zh`）',
    switchTo: 'English',
    securitySchemes: '认证方式',
    noCredentials: '无需 HTTP 凭证',
    credentials: '凭证：{schemes}',
    or: ' 或 ',
    requestBody: '请求体',
    examples: '/openapi.json 中有 {count} 个示例',
    parameter: '参数',
    in: '位置',
    required: '必填',
    yes: '是',
    description: '说明',
    schema: '模式',
    status: '状态码',
    mediaTypes: '媒体类型',
    schemas: '模式',
    'in.path': '路径',
    'in.query': '查询',
    'in.header': '请求头',
    'in.cookie': 'Cookie',
    'tag.well-known': '公开文档',
    'tag.exchange': '交换',
    'tag.admin': '管理接口',
    'tag.console': '控制台',
    'tag.operations': '运维',
    'tag.other': '其他',
  },
  en: {
    title: '{title} — API',
    about:
      'OpenAPI {openapi} · version {version} · the machine-readable document: {json} (English in `summary`/`description`, Simplified Chinese in `x-zh`)',
    switchTo: '简体中文',
    securitySchemes: 'Security schemes',
    noCredentials: 'No HTTP credentials',
    credentials: 'Credentials: {schemes}',
    or: ' or ',
    requestBody: 'Request body',
    examples: '{count} examples in /openapi.json',
    parameter: 'parameter',
    in: 'in',
    required: 'required',
    yes: 'yes',
    description: 'description',
    schema: 'schema',
    status: 'status',
    mediaTypes: 'media types',
    schemas: 'Schemas',
    'in.path': 'path',
    'in.query': 'query',
    'in.header': 'header',
    'in.cookie': 'cookie',
    'tag.well-known': 'Public documents',
    'tag.exchange': 'Exchange',
    'tag.admin': 'Admin API',
    'tag.console': 'Console',
    'tag.operations': 'Operations',
    'tag.other': 'Other',
  },
} as const satisfies { zh: Record<PageKey, string>; en: Record<PageKey, string> };

type PageKey =
  | 'title'
  | 'about'
  | 'switchTo'
  | 'securitySchemes'
  | 'noCredentials'
  | 'credentials'
  | 'or'
  | 'requestBody'
  | 'examples'
  | 'parameter'
  | 'in'
  | 'required'
  | 'yes'
  | 'description'
  | 'schema'
  | 'status'
  | 'mediaTypes'
  | 'schemas'
  | `in.${'path' | 'query' | 'header' | 'cookie'}`
  | `tag.${'well-known' | 'exchange' | 'admin' | 'console' | 'operations' | 'other'}`;

/** A page word in `lang`; `key` may be outside the table (an unknown tag or location), then undefined. */
export function pageWord(lang: Language, key: string): string | undefined {
  return (PAGE_TEXT[lang] as Record<string, string>)[key];
}
