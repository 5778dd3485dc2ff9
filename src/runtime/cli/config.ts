import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PartnerRegistry } from '../../trust/partner-registry.js';
import { loadNodeContracts, refuseLocalSystemFaults } from '../node/boot.js';
import { loadConfigFile } from '../node/config-file.js';
import type { Io } from './output.js';

/** `yrdx config check [--config FILE] [--json]`: validates a configuration and its partner keys. */
export async function configCheck(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string', default: 'config/node.json' }, json: { type: 'boolean' } },
  });
  const config = loadConfigFile(values.config);
  // What only the contracts reveal (a dialect no contract knows) is checked here too, not at the first message.
  refuseLocalSystemFaults(values.config, config, loadNodeContracts(config));
  const partners = await PartnerRegistry.create(config.partners, {
    file: values.config,
    ownId: config.id,
    ownThumbprints: [],
    readFile: (path) => readFileSync(path, 'utf8'),
  });
  const summary = {
    node: config.id,
    name: config.name,
    partners: partners
      .list()
      .map((p) => ({ id: p.id, name: p.name, status: p.status, keys: p.keys.size, jwksUrl: p.jwksUrl })),
  };
  if (values.json) io.out(`${JSON.stringify({ valid: true, ...summary })}\n`);
  else {
    io.out(
      `${values.config}: valid — node ${config.id} ${config.name}, ${summary.partners.length} partner(s)\n`,
    );
    for (const p of summary.partners) {
      io.out(
        `  ${p.id} ${p.name} (${p.status}): ${p.jwksUrl ? `keys from ${p.jwksUrl}, fetched at start` : `${p.keys} pinned key(s)`}\n`,
      );
    }
  }
  return 0;
}
