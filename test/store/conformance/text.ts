import { expect, it } from 'vitest';
import type { Store } from '../../../src/store/port.js';
import { inbound, outbound, window } from './fixtures.js';

/** The store conformance suite: text every write refuses. */
export function textSuite(connect: () => Promise<Store>): void {
  it('refuses NUL and lone surrogates in any text with text_invalid, writing nothing', async () => {
    const store = await connect();
    const t = window();
    for (const bad of ['协\u0000查', '\ud800', 'x\udc00', '\udbff\u0000']) {
      const input = outbound(t, ['320500'], { canonical: { note: bad } });
      await expect(store.submitOutbound(input, t)).rejects.toMatchObject({
        code: 'text_invalid',
        status: 400,
      });
      expect(await store.getOutbound(input.messageId)).toBeUndefined();
      const named = outbound(t, ['320500'], { canonical: { [bad]: 1 } });
      await expect(store.submitOutbound(named, t)).rejects.toMatchObject({ code: 'text_invalid' });
      const received = inbound(t, [], { thread: `thread-${bad}` });
      await expect(store.receiveInbound(received, t)).rejects.toMatchObject({ code: 'text_invalid' });
      expect(await store.getInbound(received.iss, received.jti)).toBeUndefined();
      // Reads too: PostgreSQL cannot even compare with such text.
      await expect(store.getOutbound(`msg-${bad}`)).rejects.toMatchObject({ code: 'text_invalid' });
      await expect(store.searchMessages({ caseNumber: bad })).rejects.toMatchObject({
        code: 'text_invalid',
      });
      await expect(
        store.appendAudit(
          { kind: 'admin', actor: 'x', action: `GET /admin/v1/${bad}`, outcome: 'refused' },
          t,
        ),
      ).rejects.toMatchObject({ code: 'text_invalid' });
    }
    // A surrogate pair is one character, and stored as such.
    const pair = outbound(t, ['320500'], { canonical: { note: '𠀀😀' } });
    expect(await store.submitOutbound(pair, t)).toMatchObject({ status: 'stored' });
  });
}
