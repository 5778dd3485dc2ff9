import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { postgresStore } from '../../src/store/postgres/store.js';
import { postgresUrl } from '../helpers/pg-suite.js';
import { createDatabase } from '../helpers/postgres.js';
import { storeConformance } from './conformance.js';

let url: string;
beforeAll(async () => {
  url = await createDatabase(postgresUrl(), `yrdx_conformance_${process.pid}`);
});

storeConformance('postgres', async (digest) =>
  postgresStore(url, digest === undefined ? {} : { sha256: digest }),
);

describe('postgres store', () => {
  let fresh: string;
  const opened: Store[] = [];
  beforeAll(async () => {
    fresh = await createDatabase(postgresUrl(), `yrdx_migrations_${process.pid}`);
  });
  afterAll(async () => {
    for (const s of opened.splice(0)) await s.close();
  });
  const store = (at = fresh) => {
    const s = postgresStore(at);
    opened.push(s);
    return s;
  };

  it('applies each migration once when several instances start at once', async () => {
    await Promise.all([store().migrate(), store().migrate(), store().migrate()]);
    const client = new pg.Client({ connectionString: fresh });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT version, name FROM schema_migrations ORDER BY version');
      expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    } finally {
      await client.end();
    }
  });

  it('reports its capabilities and closes twice without harm', async () => {
    const s = store();
    expect(s.capabilities).toEqual({ transactions: 'interactive', multiInstance: true });
    await s.close();
    await s.close();
  });

  it('hands each due delivery to exactly one of several instances claiming at once', async () => {
    const [a, b, c] = [store(), store(), store()];
    await a.migrate();
    const t = Date.UTC(1990, 0, 1);
    const recipients = Array.from({ length: 60 }, (_, i) => `claim-${process.pid}-${i}`);
    await a.submitOutbound(
      {
        messageId: `claim-race-${process.pid}`,
        localSystem: 'case-system',
        type: 'notification',
        domain: 'food-safety',
        contract: 'food-safety@1.0.0',
        thread: `claim-race-${process.pid}`,
        token: 'a.b.c',
        sha256: 'sha',
        expiresAt: t + 60_000,
        recipients,
        canonical: {},
      },
      t,
    );
    const rounds = await Promise.all(
      [a, b, c, a, b, c].map((s, i) => s.claimDeliveries({ worker: `w${i}`, leaseMs: 30_000, limit: 15 }, t)),
    );
    const ids = rounds.flat().map((claim) => claim.recipient);
    expect(ids.sort()).toEqual([...recipients].sort());
  });

  it('hands each due transfer job to exactly one of several instances claiming at once', async () => {
    const [a, b, c] = [store(), store(), store()];
    await a.migrate();
    const t = Date.UTC(1989, 0, 1);
    const jtis = Array.from({ length: 30 }, (_, i) => `fetch-race-${process.pid}-${i}`);
    for (const jti of jtis) {
      await a.receiveInbound(
        {
          iss: '330500',
          jti,
          sha256: `sha-${jti}`,
          token: 'a.b.c',
          type: 'notification',
          domain: 'food-safety',
          contract: 'food-safety@1.0.0',
          thread: jti,
          expiresAt: t + 60_000,
          canonical: {},
          receipt: { token: 'r', sha256: 'r' },
          localDeliveries: [{ localSystem: 'case-system', mode: 'push', body: {} }],
          attachments: [
            { index: 0, name: 'a.pdf', mediaType: 'application/pdf', size: 1, digest: 'f'.repeat(64) },
          ],
        },
        t,
      );
    }
    const rounds = await Promise.all(
      [a, b, c, a, b, c].map((s, i) => s.claimFileFetches({ worker: `w${i}`, leaseMs: 30_000, limit: 8 }, t)),
    );
    const claimed = rounds.flat().map((claim) => claim.jti);
    expect(claimed.sort()).toEqual([...jtis].sort());
  });
});
