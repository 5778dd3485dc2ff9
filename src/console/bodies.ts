import type { ContractRegistry } from '../contracts/registry.js';
import { translate } from '../contracts/translate.js';
import { decodeBase64Url } from '../envelope/base64url.js';
import type { MessageType } from '../vocabulary/messages.js';

/** The canonical body sealed in a compact JWS (its payload's `body`), or undefined when unreadable or purged. */
export function sealedBody(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  const bytes = decodeBase64Url(payload);
  if (!(bytes instanceof Uint8Array)) return undefined;
  try {
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as { body?: unknown };
    return typeof claims.body === 'object' && claims.body !== null
      ? (claims.body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The canonical body in a dialect, translated with the message's own contract version. */
export function dialectBody(
  registry: ContractRegistry,
  contractId: string,
  dialect: string,
  type: MessageType,
  canonical: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const [domain, version] = contractId.split('@');
  const contract = registry.accepting(domain ?? '', version ?? '');
  if (contract === undefined) return undefined;
  try {
    return translate(contract, 'canonical', dialect, type, canonical);
  } catch {
    return undefined;
  }
}
