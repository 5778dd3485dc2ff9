import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DataKeyring, newDataKey, rotateDataKeys } from '../../src/keys/data-keys.js';
import type { KeyringDocument } from '../../src/keys/keyring.js';
import { rewrapStore } from '../../src/store/at-rest/rewrap.js';
import { atRestStore } from '../../src/store/at-rest/store.js';
import { d1Store } from '../../src/store/d1/store.js';
import { inbound, outbound, window } from '../store/conformance/fixtures.js';
import { storeConformance } from '../store/conformance.js';

const first: KeyringDocument = { version: 1, keys: [], dataKeys: [newDataKey('SM4-GCM', Date.now())] };
let doc = first;
const keys = () => DataKeyring.from(doc)!;

// The port keeps every promise on D1 in workerd with the payload columns under SM4-GCM.
storeConformance(
  'd1 (workerd), SM4-GCM at rest',
  async (digest) => atRestStore(d1Store(env.DB, digest === undefined ? {} : { digest }), keys),
  {
    refusesStaleMoves: false,
  },
);

describe('d1 store encrypted at rest', () => {
  it('keeps no body in its columns, refuses a swapped ciphertext, and rewraps after a rotation', async () => {
    const store = atRestStore(d1Store(env.DB), keys);
    await store.migrate();
    const t = window();
    const fact = `当事人${crypto.randomUUID().slice(0, 8)}`;
    const a = outbound(t, ['320500'], { canonical: { fact }, token: `h.${fact}.s` });
    const b = outbound(t, ['320500']);
    await store.submitOutbound(a, t);
    await store.submitOutbound(b, t);
    await store.receiveInbound(inbound(t, [{ localSystem: 'case-a', mode: 'pull', body: { fact } }]), t);
    const raw = await env.DB.prepare(
      'SELECT token, canonical FROM outbound_messages WHERE message_id IN (?, ?)',
    )
      .bind(a.messageId, b.messageId)
      .all<{ token: string; canonical: string }>();
    const text = JSON.stringify(raw.results);
    expect(text).not.toContain(fact);
    expect(raw.results.every((r) => r.token.startsWith('yrdx-enc:1:SM4-GCM:'))).toBe(true);
    expect((await store.getOutbound(a.messageId))?.token).toBe(a.token);

    const rotation = rotateDataKeys(doc, 'SM4-GCM', t);
    doc = rotation.document;
    const report = await rewrapStore(store, keys(), { batch: 2 });
    expect(report['outbound_messages.token'].rewrapped).toBeGreaterThanOrEqual(2);
    const after = await env.DB.prepare('SELECT token FROM outbound_messages WHERE message_id = ?')
      .bind(a.messageId)
      .first<{ token: string }>();
    expect(after?.token.split(':')[3]).toBe(rotation.activated);
    expect((await store.getOutbound(a.messageId))?.token).toBe(a.token);

    await env.DB.prepare('UPDATE outbound_messages SET token = ? WHERE message_id = ?')
      .bind(after!.token, b.messageId)
      .run();
    await expect(store.getOutbound(b.messageId)).rejects.toMatchObject({ code: 'sealed_value_invalid' });
  });
});
