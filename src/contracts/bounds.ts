import { formatPointer } from './pointer.js';

/** Why a document is out of bounds: where, and what. */
export interface BoundsFault {
  readonly pointer: string;
  readonly rule: 'depth' | 'size';
  readonly detail: string;
}

/**
 * Measures a parsed JSON document without recursion (a 100,000-deep member must not overflow the
 * stack that measures it): the first member nested deeper than `maxDepth`, or a size past
 * `maxBytes` counted as JSON text (strings and names in UTF-16 code units). Stops at the first fault.
 */
export function measureDocument(
  document: unknown,
  limits: { readonly maxDepth: number; readonly maxBytes: number },
): { readonly bytes: number; readonly fault?: BoundsFault } {
  let bytes = 0;
  const stack: { value: unknown; path: string[] }[] = [{ value: document, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') bytes += value.length + 2;
    else if (typeof value !== 'object' || value === null) bytes += String(value).length;
    else {
      if (path.length >= limits.maxDepth) {
        return {
          bytes,
          fault: {
            pointer: formatPointer(path),
            rule: 'depth',
            detail: `nested deeper than ${limits.maxDepth} levels of objects and arrays`,
          },
        };
      }
      bytes += 2;
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--)
          stack.push({ value: value[i], path: [...path, String(i)] });
        bytes += value.length;
      } else {
        for (const key of Object.keys(value)) {
          bytes += key.length + 4;
          stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
        }
      }
    }
    if (bytes > limits.maxBytes) {
      return {
        bytes,
        fault: {
          pointer: formatPointer(path),
          rule: 'size',
          detail: `larger than ${limits.maxBytes} bytes of JSON`,
        },
      };
    }
  }
  return { bytes };
}
