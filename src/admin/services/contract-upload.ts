import type { ContractFiles, DialectFiles } from '../../contracts/files.js';
import type { ProblemItem } from '../../errors/errors.js';
import { YrdxError } from '../../errors/errors.js';
import { requestFault } from '../../errors/request-text.js';

/** An upload: `{contract, canonical, dialects: {name: {schema, mapping, examples}}}`, the files of one version. */
export function uploadFiles(body: Record<string, unknown>): ContractFiles {
  const faults: ProblemItem[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  for (const member of ['contract', 'canonical', 'dialects'] as const) {
    if (!isObject(body[member])) faults.push({ pointer: `/${member}`, detail: requestFault('jsonObject') });
  }
  const dialects: Record<string, DialectFiles> = {};
  if (isObject(body.dialects)) {
    for (const [name, d] of Object.entries(body.dialects)) {
      if (!isObject(d) || !isObject(d.schema) || !isObject(d.mapping)) {
        faults.push({ pointer: `/dialects/${name}`, detail: requestFault('dialectFiles') });
        continue;
      }
      dialects[name] = {
        schema: d.schema,
        mapping: d.mapping,
        examples: isObject(d.examples) ? d.examples : {},
      };
    }
  }
  if (faults.length > 0) {
    throw new YrdxError('request_invalid', { params: { count: faults.length }, errors: faults });
  }
  const meta = body.contract as { domain?: unknown; version?: unknown };
  return {
    base: `upload:${String(meta.domain)}@${String(meta.version)}`,
    contract: body.contract,
    canonical: body.canonical,
    dialects,
  };
}
