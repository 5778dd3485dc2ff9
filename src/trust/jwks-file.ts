import { configFault } from '../config/fault-text.js';
import type { LocalText } from '../errors/text.js';

/** The keys of a JWKS file, or what is wrong with it. */
export function readJwksFile(
  path: string,
  readFile: ((path: string) => string) | undefined,
): readonly Record<string, unknown>[] | LocalText {
  if (readFile === undefined) return configFault('jwksInlineOnly');
  let text: string;
  try {
    text = readFile(path);
  } catch {
    return configFault('jwksUnreadable', { path });
  }
  try {
    const jwks = JSON.parse(text) as { keys?: unknown };
    if (Array.isArray(jwks.keys) && jwks.keys.length > 0) return jwks.keys as Record<string, unknown>[];
  } catch {
    // reported below
  }
  return configFault('jwksEmpty', { path });
}
