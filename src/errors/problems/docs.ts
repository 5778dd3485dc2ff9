import { problemCatalogue } from '../errors.js';

/** The problem catalogue as a Markdown table, for docs/errors.md. */
export function renderErrorDocs(): string {
  const rows = Object.entries(problemCatalogue).map(
    ([code, spec]) => `| \`${code}\` | ${spec.status} | ${spec.title} | ${spec.zh} | ${spec.en} |`,
  );
  return [
    '# Problem codes / 错误代码',
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
