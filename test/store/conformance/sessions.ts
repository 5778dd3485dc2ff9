import { expect, it } from 'vitest';
import type { Store } from '../../../src/store/port.js';
import { HOUR, MINUTE, uid, window } from './fixtures.js';

/** The store conformance suite: console sessions. */
export function sessionSuite(connect: () => Promise<Store>): void {
  it('keeps console sessions: renewed while used, never past their end, gone when ended or idle', async () => {
    const store = await connect();
    const t = window();
    const session = (idHash: string, startedAt: number) => ({
      idHash,
      credential: 'ops-1',
      role: 'operator' as const,
      csrf: `csrf-${idHash}`,
      startedAt,
      endsAt: startedAt + 8 * HOUR,
      expiresAt: startedAt + 30 * MINUTE,
    });
    const [a, b, c] = [`a-${uid()}`, `b-${uid()}`, `c-${uid()}`];
    await store.startConsoleSession(session(a, t), t);
    await store.startConsoleSession(session(b, t), t);
    // Used after 20 minutes: alive, its idle time renewed from then.
    expect(await store.touchConsoleSession(a, t + 20 * MINUTE, t + 50 * MINUTE)).toEqual({
      ...session(a, t),
      expiresAt: t + 50 * MINUTE,
    });
    // Idle past its expiry: gone.
    expect(await store.touchConsoleSession(b, t + 31 * MINUTE, t + 61 * MINUTE)).toBeUndefined();
    // Renewal stops at the session's end, and after it the session is gone however active.
    let at = t + 20 * MINUTE;
    while (at < t + 8 * HOUR - 20 * MINUTE) {
      at += 20 * MINUTE;
      expect((await store.touchConsoleSession(a, at, at + 30 * MINUTE))?.expiresAt).toBe(
        Math.min(at + 30 * MINUTE, t + 8 * HOUR),
      );
    }
    expect(await store.touchConsoleSession(a, t + 8 * HOUR, t + 8 * HOUR + 30 * MINUTE)).toBeUndefined();
    // Ended: gone at once.
    await store.startConsoleSession(session(c, t), t);
    await store.endConsoleSession(c);
    expect(await store.touchConsoleSession(c, t + 1, t + 30 * MINUTE)).toBeUndefined();
    expect(await store.touchConsoleSession(`unknown-${uid()}`, t, t + 30 * MINUTE)).toBeUndefined();
  });
}
