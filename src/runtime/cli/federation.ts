import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { suggest } from '../../text/suggest.js';
import type { Language } from '../../vocabulary/language.js';
import { PROVINCE_BY_PREFIX } from '../../vocabulary/messages.js';
import { allCities, cityByCode, cityLabel } from '../../vocabulary/regions.js';
import {
  type FederationMember,
  localSystemId,
  memberConfig,
  newApiKey,
  writeMemberKeys,
} from '../node/federation-config.js';
import { writeFileAtomic } from '../node/key-sources.js';
import { say } from './federation-text.js';
import { MANIFEST, type Manifest, readManifest } from './federation-up.js';
import { type Io, language, UsageError } from './output.js';

export { TEXT } from './federation-text.js';

/** The four cities of the walkthrough, one per province, and where the first one listens. */
export const DEFAULT_NODES = ['330500', '320500', '310000', '340100'] as const;
export const DEFAULT_BASE_PORT = 8801;
export const DEFAULT_DIR = 'federation';

/**
 * `yrdx federation init`: every member's keys (SM2 and `cryptoProfile: "gm"` everywhere with
 * `--crypto-profile gm`), a configuration per member that pins the others'
 * published keys inline, one pull-mode local system per member. The port of member i is
 * `base-port + i`, written once into its `publicUrl` (and the others' `baseUrl` for it); a node
 * started from the configuration listens there without `PORT`.
 */
export async function federationInit(args: string[], io: Io): Promise<number> {
  const lang = language(io.env);
  const { values } = parseArgs({
    args,
    options: {
      nodes: { type: 'string', default: DEFAULT_NODES.join(',') },
      'base-port': { type: 'string', default: String(DEFAULT_BASE_PORT) },
      dir: { type: 'string', default: DEFAULT_DIR },
      'crypto-profile': { type: 'string', default: 'international' },
      force: { type: 'boolean' },
    },
  });
  const ids = parseNodes(values.nodes, lang);
  const basePort = parseBasePort(values['base-port'], ids.length, lang);
  const profile = values['crypto-profile'];
  if (profile !== 'international' && profile !== 'gm')
    throw new UsageError(say(lang, 'cryptoProfileInvalid', { value: profile }));
  // The national profile: SM2 keys, and every configuration says gm for itself and for its partners.
  const algorithm = profile === 'gm' ? 'SM2' : 'ES256';
  const dir = resolve(values.dir);
  const shown = relative(process.cwd(), dir) || '.';
  const taken = existingFederation(dir, ids);
  if (taken !== undefined && values.force !== true)
    throw new UsageError(say(lang, 'exists', { dir: shown, file: relative(process.cwd(), taken) }));
  if (taken !== undefined) removeFederation(dir, ids);

  mkdirSync(join(dir, 'api-keys'), { recursive: true, mode: 0o700 });
  const members: FederationMember[] = [];
  for (const [i, id] of ids.entries()) {
    const city = cityByCode(id)!;
    const { jwks } = await writeMemberKeys(id, algorithm, join(dir, 'data', id));
    members.push({
      id,
      name: city.name,
      province: PROVINCE_BY_PREFIX[id.slice(0, 2)]!,
      algorithm,
      ...(profile === 'gm' ? { cryptoProfile: profile } : {}),
      url: `http://127.0.0.1:${basePort + i}`,
      dataDir: `data/${id}`,
      jwks,
      apiKey: newApiKey(),
      local: { mode: 'pull' },
    });
  }
  for (const member of members) {
    const config = { ...(await memberConfig(member, members)) };
    writeFileAtomic(join(dir, `${member.id}.json`), `${JSON.stringify(config, null, 2)}\n`, 0o644);
    writeFileAtomic(join(dir, 'api-keys', member.id), `${member.apiKey}\n`, 0o600);
  }
  chmodSync(join(dir, 'api-keys'), 0o700);
  const manifest: Manifest = {
    version: 1,
    nodes: members.map((m) => ({ id: m.id, config: `${m.id}.json` })),
  };
  writeFileAtomic(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, 0o644);

  io.out(`${say(lang, 'initDone', { dir: shown, count: members.length })}\n`);
  if (profile === 'gm') io.out(`${say(lang, 'initGm')}\n`);
  for (const m of members)
    io.out(
      `${say(lang, 'initRow', { city: cityLabel(m.id, lang), url: m.url, system: localSystemId(m), key: m.apiKey })}\n`,
    );
  io.out(`${say(lang, 'initKeysOnce', { keys: join(shown, 'api-keys') })}\n`);
  const dirArg = values.dir === DEFAULT_DIR ? '' : ` --dir ${values.dir}`;
  io.out(`${say(lang, 'initNext', { dirArg })}\n`);
  return 0;
}

function parseNodes(text: string, lang: Language): string[] {
  const ids = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const codes = allCities().map((c) => c.code);
  const seen = new Set<string>();
  for (const id of ids) {
    if (cityByCode(id) === undefined) {
      const near = suggest(id, codes);
      const hint =
        near.length === 0
          ? ''
          : say(lang, 'didYouMean', { candidates: near.map((c) => cityLabel(c, lang)).join(', ') });
      throw new UsageError(say(lang, 'unknownNode', { code: id, hint }));
    }
    if (seen.has(id)) throw new UsageError(say(lang, 'duplicateNode', { code: id }));
    seen.add(id);
  }
  if (ids.length < 2) throw new UsageError(say(lang, 'tooFewNodes', { count: ids.length }));
  return ids;
}

function parseBasePort(text: string, count: number, lang: Language): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port < 1 || port + count - 1 > 65535)
    throw new UsageError(say(lang, 'basePortInvalid', { port: text, count }));
  return port;
}

/** The first file of a federation already in `dir` (its manifest, a member's configuration or data). */
function existingFederation(dir: string, ids: readonly string[]): string | undefined {
  const candidates = [
    join(dir, MANIFEST),
    ...ids.flatMap((id) => [join(dir, `${id}.json`), join(dir, 'data', id)]),
  ];
  return candidates.find((file) => existsSync(file));
}

/** With --force: what a previous `init` wrote, and nothing else in the folder. */
function removeFederation(dir: string, ids: readonly string[]): void {
  const previous = readManifest(dir)?.nodes.map((n) => n.id) ?? [];
  for (const id of new Set([...previous, ...ids])) {
    rmSync(join(dir, `${id}.json`), { force: true });
    rmSync(join(dir, 'data', id), { recursive: true, force: true });
    rmSync(join(dir, 'api-keys', id), { force: true });
    rmSync(join(dir, 'logs', `${id}.log`), { force: true });
  }
  rmSync(join(dir, MANIFEST), { force: true });
}
