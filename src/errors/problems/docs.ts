import { problemCatalogue } from '../errors.js';

/**
 * The problem catalogue as Markdown tables, for docs/errors.md (English prose; both detail texts,
 * since 简体中文 is what a client gets by default) and docs/errors.zh-CN.md (简体中文).
 */
export function renderErrorDocs(): string {
  const rows = Object.entries(problemCatalogue).map(
    ([code, spec]) => `| \`${code}\` | ${spec.status} | ${spec.title} | ${spec.zh} | ${spec.en} |`,
  );
  return [
    '# Problem codes / 错误代码',
    '',
    '[简体中文](errors.zh-CN.md)',
    '',
    'Every error yrdx reports over HTTP is an RFC 9457 `application/problem+json` document with a stable',
    '`code` member and `type: urn:yrdx:problem:<code>`. The `detail` text is 简体中文 unless the client',
    'sends `Accept-Language: en`. `{name}` marks a value filled in from the request. The CLI prints',
    '`code: detail` on standard error (set `YRDX_LANG=en` for English).',
    '',
    'This file is generated from `src/errors/problems/` by `npx tsx scripts/write-error-docs.ts`.',
    '',
    '| code | HTTP | title | 说明（中文） | detail (English) |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** The same catalogue in 简体中文: the Chinese detail of each code; `title` is sent as written. */
export function renderErrorDocsZh(): string {
  const rows = Object.entries(problemCatalogue).map(
    ([code, spec]) => `| \`${code}\` | ${spec.status} | ${spec.title} | ${spec.zh} |`,
  );
  return [
    '# 错误代码',
    '',
    '[English](errors.md)',
    '',
    'yrdx 通过 HTTP 报告的每个错误都是 RFC 9457 `application/problem+json` 文档，带稳定的 `code` 成员和',
    '`type: urn:yrdx:problem:<code>`。`detail` 为简体中文，除非客户端发送 `Accept-Language: en`。`{name}`',
    '表示由请求填入的值。CLI 在标准错误上输出 `code: detail`（设置 `YRDX_LANG=en` 则为英文）。',
    '',
    '本文件由 `npx tsx scripts/write-error-docs.ts` 根据 `src/errors/problems/` 生成。',
    '',
    '| 代码 | HTTP | title | 说明 |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** Every generated error document, by its path from the repository root. */
export const errorDocs = {
  'docs/errors.md': renderErrorDocs,
  'docs/errors.zh-CN.md': renderErrorDocsZh,
} as const satisfies Record<string, () => string>;
