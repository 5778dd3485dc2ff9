import { YrdxError } from '../errors/errors.js';
import { findUnsafeText } from '../text/safe-text.js';
import type { Store } from './port.js';

/**
 * One rule for every adapter: a call whose arguments hold NUL or a lone surrogate in any string is
 * refused with `text_invalid` before it reaches the database. PostgreSQL would fail it with a driver
 * error (a 500, and a partner retrying forever), SQLite and D1 would keep it — and then hand it to
 * a local system whose own store cannot. The edge refuses such text first; this is the last line.
 */
export function guardText(store: Store): Store {
  const guarded: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(store)) {
    guarded[name] =
      typeof member === 'function'
        ? (...args: unknown[]) => {
            const pointer = findUnsafeText(args);
            if (pointer !== undefined)
              return Promise.reject(new YrdxError('text_invalid', { params: { at: `store.${name}` } }));
            return (member as (...a: unknown[]) => unknown).apply(store, args);
          }
        : member;
  }
  return guarded as unknown as Store;
}
