import { YrdxError } from '../../errors/errors.js';
import type { Language } from '../../vocabulary/language.js';
import { cityLabel } from '../../vocabulary/regions.js';

/** A published node document is small; more than this is not one. */
const MAX_NODE_DOCUMENT_CHARS = 64 * 1024;
const NODE_ID = /^\d{6}$/;

/**
 * Whether a partner's answer may come from another node than the one addressed: a receipt that does
 * not verify, or a refusal of the envelope (`jws_*`: unknown issuer, audience, key) or without a
 * problem document. Only these cost the one look-up of the answering node's published document.
 */
export function mayBeWrongNode(status: number, code: string | undefined): boolean {
  if (status >= 200 && status < 300) return true;
  return status >= 400 && status < 500 && status !== 429 && (code === undefined || code.startsWith('jws_'));
}

/**
 * The id of the node that answers at `baseUrl` (its `/.well-known/yrdx-node`), fetched once through
 * the node's bounded outbound client; undefined when it publishes none or it cannot be read.
 */
export async function answeringNode(
  fetcher: typeof fetch,
  baseUrl: string,
  timeoutMs: number,
): Promise<string | undefined> {
  try {
    const response = await fetcher(`${baseUrl}/.well-known/yrdx-node`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return undefined;
    const text = await response.text();
    if (text.length > MAX_NODE_DOCUMENT_CHARS) return undefined;
    const id = (JSON.parse(text) as { id?: unknown }).id;
    return typeof id === 'string' && NODE_ID.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The delivery error of a partner address that another node answers, in the node's language, with
 * both cities named: a configuration fault that no retry can heal.
 */
export function wrongNodeError(partner: string, baseUrl: string, answered: string, lang: Language): string {
  const error = new YrdxError('partner_wrong_node', {
    params: { partner: cityLabel(partner, lang), url: baseUrl, answered: cityLabel(answered, lang) },
  });
  return `${error.code}: ${error.detail(lang)}`;
}
