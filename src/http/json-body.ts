import { parseStrictJson } from '../envelope/strict-json.js';
import { YrdxError } from '../errors/errors.js';
import { requestFault } from '../errors/request-text.js';
import type { LocalText } from '../errors/text.js';
import { clipText, findUnsafeText, isUnsafeText, mayHoldUnsafeText } from '../text/safe-text.js';
import { readBody } from './body.js';

/** How much of a JSON body a route reads: bytes, and levels of nesting. */
export interface JsonLimits {
  readonly bytes: number;
  readonly depth: number;
}

/**
 * Parses JSON from outside (a request body, a form field): the nesting depth is checked before any
 * value is built (`body_too_deep`), duplicate member names are refused like any other syntax fault
 * (`body_invalid` — two readers could pick different values), and a string holding NUL or a lone
 * surrogate, even as a `\u` escape, is refused (`text_invalid`, with its pointer).
 */
export function parseJsonText(text: string, maxDepth: number): unknown {
  const parsed = parseStrictJson(text, maxDepth);
  if (!parsed.ok) {
    if (parsed.fault === 'depth') throw new YrdxError('body_too_deep', { params: { limit: maxDepth } });
    const reason =
      parsed.fault === 'duplicate'
        ? requestFault('duplicateMember', {
            member: isUnsafeText(parsed.member) ? '?' : clipText(parsed.member, 40),
          })
        : syntaxFault(parsed.message);
    throw new YrdxError('body_invalid', { params: { reason } });
  }
  const pointer = mayHoldUnsafeText(text) ? findUnsafeText(parsed.value) : undefined;
  if (pointer !== undefined) {
    // The pointer names the string, so it may hold the very character refused: then only its parent.
    const at = pointer === '' ? '/' : safePointer(pointer);
    throw new YrdxError('text_invalid', {
      params: { at },
      errors: [{ pointer: at, detail: requestFault('textInvalid') }],
    });
  }
  return parsed.value;
}

function safePointer(pointer: string): string {
  let at = pointer;
  while (isUnsafeText(at)) at = at.slice(0, at.lastIndexOf('/'));
  return clipText(at === '' ? '/' : at, 200);
}

/** A JSON request body, read and parsed within `limits` (see `readBody` and `parseJsonText`). */
export async function readJson(request: Request, limits: JsonLimits): Promise<unknown> {
  return parseJsonText(await readBody(request, limits.bytes), limits.depth);
}

/**
 * Where the parser stopped, said by yrdx rather than by quoting the parser's English message: the
 * position it names, the character it did not expect, or that the text ended too early.
 */
function syntaxFault(message: string | undefined): LocalText {
  const position = message?.match(/\bposition (\d+)/)?.[1];
  if (position !== undefined) return requestFault('syntaxAt', { position: Number(position) });
  if (message !== undefined && /end of (?:JSON )?input/i.test(message)) return requestFault('syntaxEnd');
  const token = message?.match(/^Unexpected token '(.)'/u)?.[1];
  if (token !== undefined) return requestFault('syntaxToken', { token: isUnsafeText(token) ? '?' : token });
  return requestFault('syntax');
}
