import type { Context } from 'hono';
import { YrdxError } from '../errors.js';
import { mediaType, readBody } from '../exchange/body.js';
import type { AdminEnv } from './env.js';

/** The JSON object body of an admin request, read within `limit` bytes. */
export async function jsonBody(c: Context<AdminEnv>, limit: number): Promise<Record<string, unknown>> {
  if (mediaType(c.req.raw) !== 'application/json') {
    throw new YrdxError('unsupported_media_type', { params: { expected: 'application/json' } });
  }
  let value: unknown;
  try {
    value = JSON.parse(await readBody(c.req.raw, limit));
  } catch (error) {
    if (error instanceof YrdxError) throw error;
    throw new YrdxError('body_invalid', { params: { reason: (error as Error).message } });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new YrdxError('request_invalid', {
      params: { count: 1 },
      errors: [{ pointer: '', detail: 'expected a JSON object' }],
    });
  }
  return value as Record<string, unknown>;
}

/** A request fault at one pointer. */
export function invalidRequest(pointer: string, detail: string): YrdxError {
  return new YrdxError('request_invalid', { params: { count: 1 }, errors: [{ pointer, detail }] });
}
