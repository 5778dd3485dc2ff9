import type { Contract } from '../contracts/contract.js';
import { ANY } from '../vocabulary/messages.js';
import type { OpenApiContext } from './types.js';

/** The contract each configured domain translates with now (the newest version). */
export function activeContracts(context: OpenApiContext): Contract[] {
  const registry = context.contracts;
  if (registry === undefined) return [];
  const domains = context.config.domains.includes(ANY) ? registry.domains() : context.config.domains;
  return domains.map((d) => registry.latest(d)).filter((c): c is Contract => c !== undefined);
}

/** A component name for a dialect schema: `<domain>_<version>_<dialect>` (OpenAPI allows no `@`). */
export function dialectSchemaName(contract: Contract, dialect: string): string {
  return `${contract.domain}_${contract.version}_${dialect}`;
}

/**
 * The dialect schemas of the active contracts that this node's local systems use, as component
 * schemas. Each gets an `$id`, so references inside it resolve within it.
 */
export function dialectSchemas(context: OpenApiContext): Record<string, unknown> {
  const used = new Set(context.config.localSystems.map((s) => s.dialect));
  const out: Record<string, unknown> = {};
  for (const contract of activeContracts(context)) {
    for (const [name, dialect] of contract.dialects) {
      if (!used.has(name)) continue;
      const schema = dialect.schema as Record<string, unknown>;
      out[dialectSchemaName(contract, name)] = {
        ...schema,
        $id: `urn:yrdx:contracts:${contract.id}:dialect:${name}`,
        'x-yrdx-contract': contract.id,
        'x-yrdx-dialect': name,
        'x-yrdx-message-types': dialect.messageTypes,
      };
    }
  }
  return out;
}

/** Submission examples: one per active contract, dialect in use and message type with an example. */
export function submissionExamples(context: OpenApiContext): Record<string, unknown> {
  const used = new Set(context.config.localSystems.map((s) => s.dialect));
  const partner = context.config.partners[0]?.id ?? '320500';
  const out: Record<string, unknown> = {};
  for (const contract of activeContracts(context)) {
    for (const [name, dialect] of contract.dialects) {
      if (!used.has(name)) continue;
      for (const [type, body] of Object.entries(dialect.examples)) {
        out[`${contract.domain}.${name}.${type}`] = {
          summary: `${contract.title} — ${type} (${name})`,
          value: {
            ...(type === 'risk-alert' ? {} : { to: partner }),
            domain: contract.domain,
            type,
            body,
            ...(type.endsWith('-reply') ? { inReplyTo: '01JD0000000000000000000000' } : {}),
          },
        };
      }
    }
  }
  return out;
}
