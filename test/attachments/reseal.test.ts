import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/envelope/policy.js';
import { sealMessage } from '../../src/envelope/seal.js';
import { resealExpired } from '../../src/exchange/outbound/reseal.js';
import { sqliteStore } from '../../src/store/sqlite/store.js';
import { testNode } from '../helpers/nodes.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('yrdx-files-reseal-');
const store = sqliteStore(join(dir, 'yrdx.sqlite'));
afterAll(() => store.close());

describe('a message with case files sealed again after a requeue', () => {
  it('keeps its files, listed under the new id, with the same signed digests', async () => {
    await store.migrate();
    const huzhou = await testNode('330500');
    const now = Date.UTC(2026, 0, 5);
    const file = {
      index: 0,
      name: '检验报告.pdf',
      mediaType: 'application/pdf',
      size: 1234,
      digest: 'a'.repeat(64),
    };
    const sealed = await sealMessage(
      {
        to: '320500',
        type: 'notification',
        domain: 'food-safety',
        contract: 'food-safety@1.0.0',
        body: { n: 1 },
        attachments: [{ name: file.name, mediaType: file.mediaType, size: file.size, sha256: file.digest }],
      },
      { self: '330500', signer: huzhou.signer, policy: DEFAULT_POLICY, now: () => now },
    );
    const messageId = sealed.claims.jti;
    await store.submitOutbound(
      {
        messageId,
        localSystem: '330500-case',
        type: 'notification',
        domain: 'food-safety',
        contract: 'food-safety@1.0.0',
        thread: messageId,
        token: sealed.token,
        sha256: sealed.sha256,
        expiresAt: sealed.claims.exp * 1000,
        recipients: ['320500'],
        canonical: { n: 1 },
        attachments: [file],
      },
      now,
    );
    const [claim] = await store.claimDeliveries({ worker: 'w', leaseMs: 60_000, limit: 10 }, now);
    await store.completeDelivery(claim!, { kind: 'dead', error: 'expired' }, now);
    const dead = await store.getOutbound(messageId);
    const later = now + 5 * 86_400_000;
    const newId = await resealExpired(dead!, {
      self: '330500',
      store,
      signer: huzhou.signer,
      policy: DEFAULT_POLICY,
      now: () => later,
    });
    expect(newId).toBeDefined();
    expect((await store.outboundFiles(newId!)).map(({ updatedAt, ...f }) => f)).toEqual([
      { ...file, state: 'arrived', bytes: file.size },
    ]);
    const token = (await store.getOutbound(newId!))!.token;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
    expect(claims).toMatchObject({
      supersedes: messageId,
      attachments: [{ name: '检验报告.pdf', sha256: file.digest }],
    });
  });
});
