import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { type ProblemItem, YrdxError } from '../errors/errors.js';
import type { LocalText } from '../errors/text.js';
import { crossCheckNode, crossCheckPartner } from './cross-checks.js';
import { type PathOptions, partnerOf, withDefaults } from './defaults.js';
import { configFault } from './fault-text.js';
import { nodeConfigSchema, type RawNodeConfig, type RawPartner } from './schema.js';
import { describeAjvError } from './schema-faults.js';
import type { NodeConfig, PartnerConfig } from './types.js';

// A configuration is checked in three steps, each reporting every fault it finds before the next
// runs: the schema (schema.ts: members, types, enums, patterns, ranges), then the rules between
// members (cross-checks.ts); only then are defaults filled in (defaults.ts) and the result frozen.

/** A schema validator as ajv builds it: a predicate that leaves its faults in `errors`. */
export type SchemaValidator = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** The validators of the configuration schema: a whole node configuration, and one partner entry. */
export interface ConfigSchemaValidators {
  readonly node: SchemaValidator;
  readonly partner: SchemaValidator;
}

/** A validator of the schema: what it accepts has the schema's type. */
type Guard<T> = ((value: unknown) => value is T) & { errors?: ErrorObject[] | null };
interface Guards {
  readonly node: Guard<RawNodeConfig>;
  readonly partner: Guard<RawPartner>;
}

/** The options the configuration schema is compiled with (also by the edge build's standalone code). */
export const CONFIG_AJV_OPTIONS = { allErrors: true, strict: true, verbose: true } as const;

let installed: Guards | undefined;

/**
 * Installs precompiled validators of the configuration schema. The Workers runtime cannot generate
 * code, so its entry installs the standalone validators of the edge build before anything validates;
 * elsewhere ajv compiles the schema on first use.
 */
export function useConfigSchemaValidators(validators: ConfigSchemaValidators): void {
  // The edge build generates them from nodeConfigSchema, so what they accept has its types.
  installed = validators as Guards;
}

function schemaValidators(): Guards {
  if (installed === undefined) {
    const ajv = new Ajv2020(CONFIG_AJV_OPTIONS);
    addFormats.default(ajv);
    installed = {
      node: ajv.compile<RawNodeConfig>(nodeConfigSchema),
      partner: ajv.compile<RawPartner>(nodeConfigSchema.properties.partners.items),
    };
  }
  return installed;
}

export interface ConfigSourceOptions extends PathOptions {
  /** The file the configuration came from; every fault names it. */
  readonly file: string;
}

/**
 * Validates a parsed configuration file and returns it with defaults applied, deeply frozen. Every
 * fault names the file, the JSON pointer and what was expected; all faults of a step are reported at once.
 */
export function validateNodeConfig(value: unknown, options: ConfigSourceOptions): NodeConfig {
  const { file } = options;
  const validate = schemaValidators().node;
  if (!validate(value)) throw configError(file, schemaFaults(validate, file));
  const faults: ProblemItem[] = [];
  crossCheckNode(value, (pointer, detail) => faults.push({ file, pointer, detail }));
  if (faults.length > 0) throw configError(file, faults);
  return deepFreeze(withDefaults(value, options));
}

/**
 * Validates one partner as the admin API receives it (the same rules as a `partners` entry of the
 * configuration file, except that keys come inline or from a pinned URL, never from a file).
 */
export function validatePartnerConfig(
  value: unknown,
  options: { readonly self: string; readonly allowInsecureHttp: boolean },
): PartnerConfig {
  const file = 'request';
  const invalid = (errors: ProblemItem[]) =>
    new YrdxError('request_invalid', { params: { count: errors.length }, errors });
  const validate = schemaValidators().partner;
  if (!validate(value)) throw invalid(schemaFaults(validate, file));
  const faults: ProblemItem[] = [];
  const fault = (pointer: string, detail: LocalText) => faults.push({ file, pointer, detail });
  if (value.keys.jwksFile !== undefined) fault('/keys/jwksFile', configFault('jwksInline'));
  crossCheckPartner(value, '', options.self, options.allowInsecureHttp, fault);
  if (faults.length > 0) throw invalid(faults);
  return deepFreeze(partnerOf(value, {}));
}

function schemaFaults(validate: Guard<unknown>, file: string): ProblemItem[] {
  return (validate.errors ?? []).map((e) => describeAjvError(e, file));
}

function configError(file: string, errors: ProblemItem[]): YrdxError {
  return new YrdxError('config_invalid', { params: { count: errors.length, file }, errors });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
