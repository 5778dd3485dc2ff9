import { describe, expect, it } from 'vitest';
import { toLocalDialect } from '../../src/contracts/deliver.js';
import { translate } from '../../src/contracts/translate.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { loadAll } from '../helpers/contracts.js';

/**
 * A local system pinned to major 1 (`contractMajors`) receives 2.0.0 messages through its 1.x
 * mapping: every 2.0.0 example of every dialect, read as canonical, is written in every 1.x dialect
 * of its domain without an error, and what the older mapping cannot carry is reported, never dropped
 * unannounced (the parties after the first in a flat 1.x dialect, for one).
 */
const { registry } = loadAll(readContractsDir('contracts'));

describe('2.0.0 messages delivered to systems that speak 1.x', () => {
  for (const newer of registry.list().filter((c) => c.version === '2.0.0')) {
    it(`${newer.id} → every 1.x dialect of ${newer.domain}`, () => {
      let deliveries = 0;
      for (const older of registry
        .list()
        .filter((c) => c.domain === newer.domain && c.version.startsWith('1.')))
        for (const from of newer.dialects.values())
          for (const type of from.messageTypes) {
            const canonical = translate(newer, from.name, 'canonical', type, from.examples[type]);
            for (const to of older.dialects.values()) {
              if (!to.messageTypes.includes(type)) continue;
              const local = toLocalDialect(older, to.name, type, canonical);
              deliveries++;
              const parties = (canonical.parties as unknown[] | undefined)?.length ?? 0;
              // A flat 1.x zj or ah carries one party: the others are in the report.
              if (parties > 1 && (to.name === 'zj' || to.name === 'ah'))
                expect(local.losses.pointers, `${from.name} ${type} → ${older.id} ${to.name}`).toContain(
                  '/parties/1',
                );
            }
          }
      expect(deliveries).toBeGreaterThan(0);
    });
  }
});
