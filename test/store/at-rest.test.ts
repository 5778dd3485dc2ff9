import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isYrdxError } from '../../src/errors/errors.js';
import { DataKeyring, rotateDataKeys } from '../../src/keys/data-keys.js';
import { createKeyring, type KeyringDocument } from '../../src/keys/keyring.js';
import { rewrapStore } from '../../src/store/at-rest/rewrap.js';
import type { AtRestKeys } from '../../src/store/at-rest/sealed-text.js';
import { openText, sealText } from '../../src/store/at-rest/sealed-text.js';
import { atRestStore } from '../../src/store/at-rest/store.js';
import type { Store } from '../../src/store/port.js';
import { postgresStore } from '../../src/store/postgres/store.js';
import { openDatabase, sqliteStore } from '../../src/store/sqlite/store.js';
import { postgresUrl } from '../helpers/pg-suite.js';
import { createDatabase } from '../helpers/postgres.js';
import { tempDir } from '../helpers/tmp.js';
import { inbound, lease, openThread, outbound, uid, window, worker } from './conformance/fixtures.js';
import { storeConformance } from './conformance.js';

const dir = tempDir('yrdx-at-rest-');
const now = Date.now();

async function keyringDoc(alg: 'SM4-GCM' | 'AES-256-GCM'): Promise<KeyringDocument> {
  return createKeyring('330500', 'ES256', now, null, alg);
}
const keysOf = (doc: KeyringDocument): AtRestKeys => DataKeyring.from(doc)!;

let sm4: KeyringDocument;
let aes: KeyringDocument;
let pgUrl: string;
beforeAll(async () => {
  sm4 = await keyringDoc('SM4-GCM');
  aes = await keyringDoc('AES-256-GCM');
  pgUrl = await createDatabase(postgresUrl(), `yrdx_at_rest_${process.pid}`);
});

// The port keeps every promise with the payload columns encrypted, under each AEAD and store.
storeConformance('sqlite, SM4-GCM at rest', async (digest) =>
  atRestStore(
    sqliteStore(join(dir, 'conformance-sm4.db'), digest === undefined ? {} : { sha256: digest }),
    () => keysOf(sm4),
  ),
);
storeConformance('postgres, AES-256-GCM at rest', async (digest) =>
  atRestStore(postgresStore(pgUrl, digest === undefined ? {} : { sha256: digest }), () => keysOf(aes)),
);

describe('sealed values', () => {
  const place = { table: 'outbound_messages', column: 'token', row: ['m-1'] };

  it('name their format, algorithm and key, and use a fresh nonce each time', async () => {
    for (const doc of [sm4, aes]) {
      const keys = keysOf(doc);
      const a = await sealText(keys, 'header.payload.sig', place);
      const b = await sealText(keys, 'header.payload.sig', place);
      const alg = keys.active.aead.name;
      expect(a.startsWith(`yrdx-enc:1:${alg}:${keys.active.id}:`)).toBe(true);
      expect(a).not.toBe(b);
      expect(await openText(keys, a, place)).toBe('header.payload.sig');
    }
  });

  it('refuse to open in another row, another column, another table, or when altered', async () => {
    const keys = keysOf(sm4);
    const sealed = await sealText(keys, '{"case":{"caseNumber":"x"}}', place);
    const elsewhere = [
      { ...place, row: ['m-2'] },
      { ...place, column: 'canonical' },
      { ...place, table: 'inbound_messages' },
    ];
    for (const other of elsewhere)
      await expect(openText(keys, sealed, other)).rejects.toMatchObject({ code: 'sealed_value_invalid' });
    const body = sealed.slice(sealed.lastIndexOf(':') + 1);
    const flipped = `${body.slice(0, 20)}${body[20] === 'A' ? 'B' : 'A'}${body.slice(21)}`;
    const altered = [
      sealed.replace(body, flipped),
      sealed.slice(0, -2),
      sealed.replace(':SM4-GCM:', ':A256GCM:'),
      sealed.replace('yrdx-enc:1:', 'yrdx-enc:2:'),
      'yrdx-enc:1:garbage',
    ];
    for (const value of altered)
      await expect(openText(keys, value, place)).rejects.toMatchObject({ code: 'sealed_value_invalid' });
  });

  it('under a key the node does not hold are data_key_unknown, never garbage', async () => {
    const sealed = await sealText(keysOf(sm4), 'secret', place);
    await expect(openText(keysOf(aes), sealed, place)).rejects.toMatchObject({ code: 'data_key_unknown' });
    await expect(openText(undefined, sealed, place)).rejects.toMatchObject({ code: 'data_key_unknown' });
    // Same id, another key (a keyring restored from the wrong backup): the tag fails.
    const other = await keyringDoc('SM4-GCM');
    const forged = { ...other, dataKeys: [{ ...other.dataKeys![0]!, id: keysOf(sm4).active.id }] };
    await expect(openText(keysOf(forged), sealed, place)).rejects.toMatchObject({
      code: 'sealed_value_invalid',
    });
  });

  it('in the clear (written before encryption) read as they are', async () => {
    expect(await openText(keysOf(sm4), 'header.payload.sig', place)).toBe('header.payload.sig');
  });
});

describe('a store encrypted at rest (SQLite)', () => {
  const open = (file: string, doc: () => KeyringDocument | undefined) => {
    const plain = sqliteStore(join(dir, file));
    const store = atRestStore(plain, () => {
      const d = doc();
      return d === undefined ? undefined : keysOf(d);
    });
    return { plain, store };
  };

  it('refuses a ciphertext swapped into another row, and one altered in the file', async () => {
    const { store } = open('swap.db', () => sm4);
    await store.migrate();
    const t = window();
    const a = outbound(t, ['320500']);
    const b = outbound(t, ['320500']);
    await store.submitOutbound(a, t);
    await store.submitOutbound(b, t);
    const db = openDatabase(join(dir, 'swap.db'));
    try {
      const tokenOf = (id: string) =>
        (db.prepare('SELECT token FROM outbound_messages WHERE message_id = ?').get(id) as { token: string })
          .token;
      const tokenA = tokenOf(a.messageId);
      expect(tokenA.startsWith('yrdx-enc:1:SM4-GCM:')).toBe(true);
      db.prepare('UPDATE outbound_messages SET token = ? WHERE message_id = ?').run(tokenA, b.messageId);
      await expect(store.getOutbound(b.messageId)).rejects.toMatchObject({ code: 'sealed_value_invalid' });
      const at = tokenA.length - 30;
      const altered = `${tokenA.slice(0, at)}${tokenA[at] === 'A' ? 'B' : 'A'}${tokenA.slice(at + 1)}`;
      db.prepare('UPDATE outbound_messages SET token = ? WHERE message_id = ?').run(altered, a.messageId);
      const refused = await store.getOutbound(a.messageId).catch((e: unknown) => e);
      expect(isYrdxError(refused) && refused.code).toBe('sealed_value_invalid');
    } finally {
      db.close();
      await store.close();
    }
  });

  it('reads rows written before encryption, and a rotation keeps every row readable; rewrap moves them', async () => {
    let doc: KeyringDocument | undefined;
    const { store } = open('rotate.db', () => doc);
    await store.migrate();
    const t = window();
    // Written in the clear (a node before encryption at rest).
    const legacy = inbound(t, [{ localSystem: 'case-a', mode: 'pull', body: { 案由: '旧案' } }]);
    await store.receiveInbound(legacy, t);
    // Under the first key, then under the second after a rotation.
    doc = sm4;
    const first = outbound(t, ['320500'], { threadChange: openThread(`th-${uid()}`, '320500', 'x') });
    await store.submitOutbound(first, t);
    const rotation = rotateDataKeys(sm4, 'SM4-GCM', t);
    doc = rotation.document;
    const second = inbound(t, [{ localSystem: 'case-b', mode: 'push', body: { 案由: '新案' } }]);
    await store.receiveInbound(second, t);

    const db = openDatabase(join(dir, 'rotate.db'));
    const keyOf = (sql: string, ...args: string[]) =>
      (
        db
          .prepare(sql)
          .pluck()
          .get(...args) as string
      ).split(':')[3] ?? 'clear';
    const tokenKeys = () => ({
      legacy: keyOf('SELECT token FROM inbound_messages WHERE jti = ?', legacy.jti),
      first: keyOf('SELECT token FROM outbound_messages WHERE message_id = ?', first.messageId),
      second: keyOf('SELECT token FROM inbound_messages WHERE jti = ?', second.jti),
    });
    const readAll = async () => {
      expect((await store.getInbound(legacy.iss, legacy.jti))?.token).toBe(legacy.token);
      expect((await store.getOutbound(first.messageId))?.token).toBe(first.token);
      expect((await store.getInbound(second.iss, second.jti))?.token).toBe(second.token);
      expect((await store.localCanonical('case-a', legacy.jti))?.canonical).toEqual(legacy.canonical);
      expect((await store.localCanonical('case-b', second.jti))?.canonical).toEqual(second.canonical);
      expect((await store.getThread(first.threadChange!.threadId))?.facts).toBe(first.threadChange!.facts);
      const pulled = await store.listPull('case-a', undefined, 10);
      expect(pulled.items.map((i) => i.body)).toEqual([{ 案由: '旧案' }]);
    };
    try {
      expect(tokenKeys()).toEqual({
        legacy: 'clear',
        first: sm4.dataKeys![0]!.id,
        second: rotation.activated,
      });
      await readAll();
      const pushed = await store.claimLocalPushes(worker('w', 10), t);
      expect(pushed.find((c) => c.jti === second.jti)?.body).toEqual({ 案由: '新案' });

      const report = await rewrapStore(store, keysOf(doc), { batch: 1 });
      expect(report['outbound_messages.token']).toMatchObject({ rewrapped: 1, sealed: 0 });
      expect(report['inbound_messages.token']).toMatchObject({ read: 2, rewrapped: 0, sealed: 1 });
      expect(report['local_deliveries.body']).toMatchObject({ read: 2, rewrapped: 0, sealed: 1 });
      expect(report['threads.facts']).toMatchObject({ rewrapped: 1 });
      expect(tokenKeys()).toEqual({
        legacy: rotation.activated,
        first: rotation.activated,
        second: rotation.activated,
      });
      await readAll();
      // A second rewrap finds nothing left to do.
      const again = await rewrapStore(store, keysOf(doc));
      expect(Object.values(again).every((c) => c.rewrapped + c.sealed === 0)).toBe(true);
    } finally {
      db.close();
      await store.close();
    }
  });

  it('rewraps the bodies held while case files are fetched, which then release and read under the new key', async () => {
    let doc: KeyringDocument | undefined = sm4;
    const { store } = open('rotate-held.db', () => doc);
    await store.migrate();
    const t = window();
    const file = {
      index: 0,
      name: '检测报告.pdf',
      mediaType: 'application/pdf',
      size: 10,
      digest: 'a'.repeat(64),
    };
    const held = inbound(t, [{ localSystem: 'case-h', mode: 'pull', body: { 案由: '待材料' } }], {
      attachments: [file],
    });
    await store.receiveInbound(held, t);
    const db = openDatabase(join(dir, 'rotate-held.db'));
    const heldKey = () =>
      (db.prepare('SELECT body FROM held_deliveries WHERE jti = ?').pluck().get(held.jti) as string).split(
        ':',
      )[3];
    try {
      expect(heldKey()).toBe(sm4.dataKeys![0]!.id);
      const rotation = rotateDataKeys(sm4, 'SM4-GCM', t);
      doc = rotation.document;
      const report = await rewrapStore(store, keysOf(doc), { batch: 1 });
      expect(report['held_deliveries.body']).toMatchObject({ read: 1, rewrapped: 1, sealed: 0 });
      expect(heldKey()).toBe(rotation.activated);
      // The retired key is gone: the released body opens under the new one alone.
      doc = {
        ...rotation.document,
        dataKeys: rotation.document.dataKeys!.filter((k) => k.id === rotation.activated),
      };
      const [claim] = await store.claimFileFetches(worker('f', 1), t);
      await store.recordFileProgress(held.iss, held.jti, 0, { state: 'arrived', bytes: 10 }, t);
      const receipt = { token: 'files-receipt.x', sha256: 'x'.repeat(64) };
      expect(
        await store.settleFiles(lease(claim), { outcome: 'arrived', receipt, detail: '1 arrived' }, t),
      ).toBe(true);
      expect((await store.listPull('case-h', undefined, 10)).items.map((i) => i.body)).toEqual([
        { 案由: '待材料' },
      ]);
    } finally {
      db.close();
      await store.close();
    }
  });

  it('removes payloads after retention whatever key sealed them, and search by case number still works', async () => {
    const { store } = open('retention.db', () => sm4);
    await store.migrate();
    const t = window();
    const caseNumber = `湖市监案〔2026〕${uid()}号`;
    const message = outbound(t, ['320500'], { caseNumber, domain: 'food-safety' });
    await store.submitOutbound(message, t);
    const [claim] = await store.claimDeliveries(worker('w', 1), t);
    expect(claim?.token).toBe(message.token);
    await store.completeDelivery(
      claim!,
      { kind: 'delivered', receipt: { token: 'r', sha256: 'r-sha' } } as never,
      t,
    );
    expect((await store.searchMessages({ caseNumber })).map((m) => m.messageId)).toEqual([message.messageId]);
    await store.purgePayloads({ 'food-safety': t + 1 }, t + 2);
    const view = await store.getOutbound(message.messageId);
    expect(view).toMatchObject({ token: '', purgedAt: t + 2 });
    expect((await store.searchMessages({ caseNumber })).map((m) => m.messageId)).toEqual([message.messageId]);
    await store.close();
  });
});

describe('a store encrypted at rest (PostgreSQL), read by a separate client', () => {
  it('keeps no body, case fact or encoded payload in its columns', async () => {
    const url = await createDatabase(postgresUrl(), `yrdx_at_rest_raw_${process.pid}`);
    const store: Store = atRestStore(postgresStore(url), () => keysOf(aes));
    await store.migrate();
    const t = window();
    const fact = `当事人${uid()}在某某超市销售过期食品`;
    const payload = Buffer.from(JSON.stringify({ fact })).toString('base64url');
    const token = `eyJhbGciOiJFUzI1NiJ9.${payload}.c2ln`;
    await store.submitOutbound(outbound(t, ['320500'], { token, canonical: { fact } }), t);
    await store.receiveInbound(
      inbound(t, [{ localSystem: 'case-a', mode: 'pull', body: { fact } }], { token, canonical: { fact } }),
      t,
    );
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const rows = [
        ...(await client.query('SELECT token, canonical FROM outbound_messages')).rows,
        ...(await client.query('SELECT token, canonical FROM inbound_messages')).rows,
        ...(await client.query('SELECT body FROM local_deliveries')).rows,
      ];
      const text = JSON.stringify(rows);
      expect(rows.length).toBe(3);
      for (const needle of [fact, payload, payload.slice(10, 40), 'eyJhbGciOiJFUzI1NiJ9'])
        expect(text.includes(needle), needle).toBe(false);
      for (const row of rows)
        for (const value of Object.values(row)) expect(String(value)).toMatch(/^yrdx-enc:1:A256GCM:/);
    } finally {
      await client.end();
    }
  });
});

afterAll(() => undefined);
