import { YrdxError } from '../errors.js';

/**
 * Reads a request body as text, refusing it with `body_too_large` as soon as it passes `limit`
 * bytes — before JSON parsing or any other work — whether or not Content-Length was sent.
 */
export async function readBody(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit)
    throw new YrdxError('body_too_large', { params: { limit } });
  if (Number.isFinite(declared)) {
    // A declared length within the limit: the HTTP layer delivers exactly that many bytes, so the
    // body is read in one piece (on Node without building a web stream; checked once more anyway).
    const bytes = await request.arrayBuffer();
    if (bytes.byteLength > limit) throw new YrdxError('body_too_large', { params: { limit } });
    return DECODER.decode(bytes);
  }
  // No declared length (chunked): read as a stream, refusing as soon as the limit is passed.
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new YrdxError('body_too_large', { params: { limit } });
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return DECODER.decode(bytes);
}

const DECODER = new TextDecoder();

/** The media type of a request, lower-case and without parameters. */
export function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}
