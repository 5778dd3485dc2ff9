import { afterEach, describe } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { auditSuite } from './conformance/audit.js';
import { deliveryQueueSuite } from './conformance/deliveries.js';
import { type ConnectWith, digestSuite } from './conformance/digests.js';
import { filesSuite } from './conformance/files.js';
import { inboxSuite } from './conformance/inbox.js';
import { lifecycleSuite } from './conformance/lifecycle.js';
import { localSuite } from './conformance/local.js';
import { outboxSuite } from './conformance/outbox.js';
import { retentionSuite } from './conformance/retention.js';
import { searchSuite } from './conformance/search.js';
import { sessionSuite } from './conformance/sessions.js';
import { textSuite } from './conformance/text.js';
import { threadSuite } from './conformance/threads.js';

/**
 * The conformance suite of the storage port: every adapter (SQLite, PostgreSQL, D1) runs it.
 * Written only against `Store`, so it says what the port promises and nothing about tables; one
 * describe block per role port (src/store/ports/), its cases in test/store/conformance/.
 *
 * `open` returns a new instance of the adapter on the *same* database each time it is called (so
 * closing one and opening another shows what persists); given a digest (in the kept form), the
 * instance chains its audit entries with it, as a node of another `cryptoProfile` would. The suite migrates and, after each test,
 * closes every instance it opened. It never needs an empty database: each test uses its own ids and
 * its own window of time, earlier than the window of every test run before it, so rows left by
 * earlier tests are never due, never expired and never overdue in a later test.
 */
export function storeConformance(
  name: string,
  open: (digest?: (text: string) => string) => Promise<Store>,
  options: { refusesStaleMoves: boolean } = { refusesStaleMoves: true },
): void {
  describe(`store conformance: ${name}`, () => {
    const opened: Store[] = [];
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });
    const connect = async (digest?: (text: string) => string): Promise<Store> => {
      const store = await open(digest);
      opened.push(store);
      await store.migrate();
      return store;
    };

    describe('lifecycle', () => lifecycleSuite(connect));
    describe('outbox', () => outboxSuite(connect));
    describe('deliveries', () => deliveryQueueSuite(connect));
    describe('inbox', () => inboxSuite(connect));
    describe('local', () => localSuite(connect));
    describe('threads', () => threadSuite(connect, options));
    describe('search', () => searchSuite(connect));
    describe('audit', () => auditSuite(connect));
    describe('digests', () => digestSuite(connect, connect satisfies ConnectWith));
    describe('retention', () => retentionSuite(connect));
    describe('sessions', () => sessionSuite(connect));
    describe('text', () => textSuite(connect));
    describe('files', () => filesSuite(connect));
  });
}
