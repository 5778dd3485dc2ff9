import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/envelope/digest.js';
import { verifyChain } from '../../src/store/audit-chain.js';
import { migrationFileName } from '../../src/store/d1/migrations.js';
import { d1Store } from '../../src/store/d1/store.js';
import { MIGRATIONS } from '../../src/store/schema/sqlite.js';
import { storeConformance } from '../store/conformance.js';

storeConformance('d1 (workerd)', async (digest) => d1Store(env.DB, digest === undefined ? {} : { digest }), {
  refusesStaleMoves: false,
});

describe('d1 store', () => {
  it('keeps one chain when many units append at once, each trying again after a conflict', async () => {
    const stores = Array.from({ length: 8 }, () => d1Store(env.DB));
    const before = await stores[0]!.auditHighWater();
    await Promise.all(
      stores.flatMap((store, i) =>
        [0, 1, 2].map((j) =>
          store.appendAudit(
            { kind: 'admin', actor: `a${i}`, action: `GET /x/${j}`, outcome: 'allowed' },
            1000 + j,
          ),
        ),
      ),
    );
    const all = await stores[0]!.readAudit();
    expect(all).toHaveLength(before + 24);
    expect(await verifyChain(all, sha256Hex)).toMatchObject({ ok: true });
  });

  it('records migrations where wrangler does, so both agree on what was applied', async () => {
    const store = d1Store(env.DB);
    await store.migrate();
    const names = await env.DB.prepare('SELECT name FROM d1_migrations ORDER BY id').all<{ name: string }>();
    expect(names.results.map((r) => r.name)).toEqual(MIGRATIONS.map(migrationFileName));
  });
});
