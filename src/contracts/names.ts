import { isMessageType } from '../vocabulary/messages.js';

/**
 * The names in a contract that become file and folder names (`<domain>/<version>/dialects/<dialect>/
 * examples/<type>.json`, `contracts/build/<domain>@<version>.cjs`). Each is a plain name with no
 * separator and no dot-segment, so no path made of them can leave its folder.
 */
const DOMAIN = /^[a-z][a-z0-9-]{0,31}$/;
const DIALECT = /^[a-z][a-z0-9-]{0,31}$/;
/** MAJOR.MINOR.PATCH, no leading zeros (semver §2), each part a safe integer. */
const VERSION = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;

export const isContractDomain = (v: unknown): v is string => typeof v === 'string' && DOMAIN.test(v);
export const isDialectName = (v: unknown): v is string => typeof v === 'string' && DIALECT.test(v);
export const isContractVersion = (v: unknown): v is string => typeof v === 'string' && VERSION.test(v);
/** Examples are named by the message type they show. */
export const isExampleName = isMessageType;

export const NAME_RULES = {
  domain: 'a domain is 1–32 lower-case letters, digits and "-", starting with a letter',
  version: 'a version is MAJOR.MINOR.PATCH without leading zeros, e.g. 1.2.0',
  dialect: 'a dialect name is 1–32 lower-case letters, digits and "-", starting with a letter',
  example:
    'an example is named by a message type the contract declares (kebab-case), e.g. assistance-request',
} as const;
