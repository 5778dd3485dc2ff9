import { YrdxError } from '../errors/errors.js';
import { decodeUtf8Strict } from '../text/safe-text.js';

/**
 * The one reader of request bodies: every route that reads a body reads it here, as bytes, refusing
 * it with `body_too_large` as soon as it passes `limit` bytes — before parsing or any other work,
 * whether the length was declared or the body is chunked. A client that hangs up before the body
 * is complete is `request_aborted` (a normal event, not a server fault).
 */
export async function readBodyBytes(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit)
    throw new YrdxError('body_too_large', { params: { limit } });
  try {
    if (Number.isFinite(declared)) {
      // A declared length within the limit: the HTTP layer delivers exactly that many bytes, so the
      // body is read in one piece (on Node without building a web stream; checked once more anyway).
      const bytes = new Uint8Array(await request.arrayBuffer());
      if (bytes.byteLength > limit) throw new YrdxError('body_too_large', { params: { limit } });
      return bytes;
    }
    return await readStream(request, limit);
  } catch (error) {
    if (error instanceof YrdxError) throw error;
    throw new YrdxError('request_aborted', { cause: error });
  }
}

/** No declared length (chunked): read as a stream, refusing as soon as the limit is passed. */
async function readStream(request: Request, limit: number): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Stop reading: the rest of the body is never buffered.
      reader.cancel().catch(() => undefined);
      throw new YrdxError('body_too_large', { params: { limit } });
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

/**
 * A request body as UTF-8 text, read within `limit` bytes. Bytes that are not UTF-8, and NUL, are
 * refused (`text_invalid`) rather than silently replaced or passed on. (Strict UTF-8 cannot encode
 * a lone surrogate; escapes that spell one are the JSON reader's to refuse.)
 */
export async function readBody(request: Request, limit: number): Promise<string> {
  const text = decodeUtf8Strict(await readBodyBytes(request, limit));
  if (text === undefined || text.includes('\0'))
    throw new YrdxError('text_invalid', { params: { at: 'body' } });
  return text;
}

/** The media type of a request, lower-case and without parameters. */
export function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}
