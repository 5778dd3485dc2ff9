import type { Context } from 'hono';
import { YrdxError } from '../errors/errors.js';
import { requestFault } from '../errors/request-text.js';
import type { LocalText } from '../errors/text.js';
import { mediaType } from '../http/body.js';
import { readJson } from '../http/json-body.js';
import type { AdminEnv } from './env.js';

/**
 * Levels of nesting an admin or console JSON body may have: an uploaded contract's schemas are the
 * deepest (about 15 levels in the shipped contracts).
 */
export const ADMIN_JSON_DEPTH = 64;

/** The JSON object body of an admin request, read within `limit` bytes and `ADMIN_JSON_DEPTH`. */
export async function jsonBody(c: Context<AdminEnv>, limit: number): Promise<Record<string, unknown>> {
  if (mediaType(c.req.raw) !== 'application/json') {
    throw new YrdxError('unsupported_media_type', { params: { expected: 'application/json' } });
  }
  const value = await readJson(c.req.raw, { bytes: limit, depth: ADMIN_JSON_DEPTH });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new YrdxError('request_invalid', {
      params: { count: 1 },
      errors: [{ pointer: '', detail: requestFault('jsonObject') }],
    });
  }
  return value as Record<string, unknown>;
}

/** A request fault at one pointer. */
export function invalidRequest(pointer: string, detail: LocalText): YrdxError {
  return new YrdxError('request_invalid', { params: { count: 1 }, errors: [{ pointer, detail }] });
}
