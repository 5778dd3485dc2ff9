import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { profileAlgorithms } from '../../config/profile.js';
import type { LocalSystemConfig, NodeConfig } from '../../config/types.js';
import { type ProblemItem, YrdxError } from '../../errors/errors.js';
import { fill as fillText } from '../../errors/text.js';
import { localSystemFaults } from '../../exchange/local/dialect-check.js';
import { PartnerRegistry } from '../../trust/partner-registry.js';
import type { Language } from '../../vocabulary/language.js';
import { ANY } from '../../vocabulary/messages.js';
import { cityLabel } from '../../vocabulary/regions.js';
import { loadNodeContracts } from '../node/boot.js';
import { loadConfigFile } from '../node/config-file.js';
import { describeStore, nodeStoreConfig } from '../node/store.js';
import { type Io, language } from './output.js';

type ConfigTextKey =
  | 'help:config check'
  | 'valid'
  | 'node'
  | 'store'
  | 'partners'
  | 'partnerPinned'
  | 'partnerUrl'
  | 'suspended'
  | 'localSystems'
  | 'localSystem'
  | 'push'
  | 'pull'
  | 'sends'
  | 'receives'
  | 'allDomains'
  | 'allTypes'
  | 'noneYet'
  | 'list'
  | 'profile'
  | 'profile:gm'
  | 'profile:international'
  | 'accepts'
  | 'partnerProfile:gm'
  | 'partnerProfile:international';

/** What `yrdx config check` prints, in both languages with the same keys. */
export const TEXT = {
  zh: {
    'help:config check':
      'yrdx config check [--config FILE] [--json]\n检查配置文件：结构、伙伴节点的密钥，并对照已加载的数据契约检查业务领域、报文类型、方言和主版本，一次列出全部问题；通过时列出节点、存储、伙伴节点与本地系统\n  --config FILE              节点配置文件（默认 config/node.json）\n  --json                     以 JSON 输出',
    valid: '配置文件 {file} 有效。',
    node: '节点：{node}，地址 {publicUrl}',
    store: '存储：{store}',
    partners: '伙伴节点（{count}）：',
    partnerPinned: '  {partner}  {baseUrl}  已登记的密钥 {keys} 把{status}',
    partnerUrl: '  {partner}  {baseUrl}  密钥取自 {jwksUrl}（节点启动时获取）{status}',
    suspended: '（已暂停）',
    localSystems: '本地系统（{count}）：',
    localSystem: '  {id} {name}：方言 {dialect}，接收方式 {mode}',
    push: '推送到 {url}',
    pull: '拉取',
    sends: '    发送：{scope}',
    receives: '    接收：{scope}',
    allDomains: '全部业务领域',
    allTypes: '全部报文类型',
    noneYet: '    （无）',
    list: '、',
    profile: '密码配置：{profile}：签名 {signs}，摘要 {digest}，静态加密 {atRest}',
    'profile:gm': '国密（gm）',
    'profile:international': '国际（international）',
    accepts: '接受伙伴节点的签名算法：{algorithms}',
    'partnerProfile:gm': '    声明为国密伙伴（gm）：只接受其 SM2 签名',
    'partnerProfile:international': '    声明为国际伙伴（international）',
  },
  en: {
    'help:config check':
      'yrdx config check [--config FILE] [--json]\ncheck a configuration: its structure, the partners’ keys, and its domains, message types, dialects and majors against the loaded contracts, every fault at once; when valid, list the node, store, partners and local systems\n  --config FILE              node configuration (default config/node.json)\n  --json                     print JSON',
    valid: 'The configuration file {file} is valid.',
    node: 'Node: {node}, address {publicUrl}',
    store: 'Store: {store}',
    partners: 'Partners ({count}):',
    partnerPinned: '  {partner}  {baseUrl}  {keys} pinned key(s){status}',
    partnerUrl: '  {partner}  {baseUrl}  keys from {jwksUrl} (fetched when the node starts){status}',
    suspended: ' (suspended)',
    localSystems: 'Local systems ({count}):',
    localSystem: '  {id} {name}: dialect {dialect}, receives by {mode}',
    push: 'push to {url}',
    pull: 'pull',
    sends: '    sends: {scope}',
    receives: '    receives: {scope}',
    allDomains: 'all domains',
    allTypes: 'all message types',
    noneYet: '    (none)',
    list: ', ',
    profile: 'Cryptography profile: {profile}: signs {signs}, digests {digest}, at rest {atRest}',
    'profile:gm': 'national (gm)',
    'profile:international': 'international',
    accepts: 'Signature algorithms accepted from partners: {algorithms}',
    'partnerProfile:gm': '    declared a national-profile partner (gm): only its SM2 signatures are accepted',
    'partnerProfile:international': '    declared an international partner',
  },
} as const satisfies { zh: Record<ConfigTextKey, string>; en: Record<ConfigTextKey, string> };

function say(lang: Language, key: ConfigTextKey, params: Record<string, string | number> = {}): string {
  return fillText(TEXT[lang][key], params, lang);
}

/** A `maySend`/`receives` scope for people: its domains, and its types in brackets. */
function scopeText(lang: Language, scope: LocalSystemConfig['maySend']): string {
  const sep = TEXT[lang].list;
  const domains = scope.domains.includes(ANY) ? TEXT[lang].allDomains : scope.domains.join(sep);
  const types =
    scope.types === undefined || scope.types.includes(ANY) ? TEXT[lang].allTypes : scope.types.join(sep);
  return lang === 'en' ? `${domains} (${types})` : `${domains}（${types}）`;
}

/**
 * `yrdx config check [--config FILE] [--json]`: validates a configuration, its partner keys and
 * everything only the contracts can tell (domains, types, dialects, majors), every fault at once;
 * on success lists the node, its store, its partners and its local systems.
 */
export async function configCheck(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string', default: 'config/node.json' }, json: { type: 'boolean' } },
  });
  const lang = language(io.env);
  const file = resolve(values.config);
  const config = loadConfigFile(values.config);
  // What only the contracts reveal (a dialect no contract knows) is checked here too, not at the first
  // message; with the partners' key faults, so that every fault is listed at once.
  const faults: ProblemItem[] = localSystemFaults(config, loadNodeContracts(config)).map((f) => ({
    ...f,
    file,
  }));
  let partners: PartnerRegistry | undefined;
  try {
    partners = await PartnerRegistry.create(config.partners, {
      file,
      ownId: config.id,
      ownThumbprints: [],
      readFile: (path) => readFileSync(path, 'utf8'),
    });
  } catch (error) {
    if (!(error instanceof YrdxError && error.code === 'config_invalid') || faults.length === 0) throw error;
    faults.push(...error.errors);
  }
  if (faults.length > 0 || partners === undefined)
    throw new YrdxError('config_invalid', { params: { file, count: faults.length }, errors: faults });
  const store = describeStore(nodeStoreConfig(config, io.env), config.dataDir);
  const summary = {
    node: config.id,
    name: config.name,
    store,
    cryptoProfile: {
      name: config.cryptoProfile,
      signs: config.keys.algorithm,
      ...profileAlgorithms(config.cryptoProfile),
    },
    algorithms: config.envelope.algorithms,
    partners: partners.list().map((p) => ({
      id: p.id,
      name: p.name,
      baseUrl: p.baseUrl,
      status: p.status,
      keys: p.keys.size,
      jwksUrl: p.jwksUrl,
      cryptoProfile: p.cryptoProfile,
    })),
    localSystems: config.localSystems.map((l) => ({
      id: l.id,
      name: l.name,
      dialect: l.dialect,
      mode: l.delivery.mode,
      maySend: l.maySend,
      receives: l.receives,
    })),
  };
  if (values.json) io.out(`${JSON.stringify({ valid: true, ...summary })}\n`);
  else io.out(`${describe(lang, file, config, summary).join('\n')}\n`);
  return 0;
}

function describe(
  lang: Language,
  file: string,
  config: NodeConfig,
  summary: {
    store: string;
    cryptoProfile: { name: NodeConfig['cryptoProfile']; signs: string; digest: string; atRest: string };
    algorithms: readonly string[];
    partners: {
      id: string;
      baseUrl: string;
      status: string;
      keys: number;
      jwksUrl?: string | undefined;
      cryptoProfile?: NodeConfig['cryptoProfile'] | undefined;
    }[];
  },
): string[] {
  const lines = [
    say(lang, 'valid', { file }),
    say(lang, 'node', { node: cityLabel(config.id, lang), publicUrl: config.publicUrl }),
    say(lang, 'store', { store: summary.store }),
    say(lang, 'profile', {
      ...summary.cryptoProfile,
      profile: TEXT[lang][`profile:${summary.cryptoProfile.name}`],
    }),
    say(lang, 'accepts', { algorithms: summary.algorithms.join(TEXT[lang].list) }),
    say(lang, 'partners', { count: summary.partners.length }),
  ];
  for (const p of summary.partners) {
    const params = {
      partner: cityLabel(p.id, lang),
      baseUrl: p.baseUrl,
      keys: p.keys,
      status: p.status === 'active' ? '' : TEXT[lang].suspended,
    };
    lines.push(
      p.jwksUrl
        ? say(lang, 'partnerUrl', { ...params, jwksUrl: p.jwksUrl })
        : say(lang, 'partnerPinned', params),
    );
    if (p.cryptoProfile !== undefined) lines.push(TEXT[lang][`partnerProfile:${p.cryptoProfile}`]);
  }
  if (summary.partners.length === 0) lines.push(TEXT[lang].noneYet);
  lines.push(say(lang, 'localSystems', { count: config.localSystems.length }));
  for (const l of config.localSystems) {
    const mode = l.delivery.mode === 'push' ? say(lang, 'push', { url: l.delivery.url }) : TEXT[lang].pull;
    lines.push(say(lang, 'localSystem', { id: l.id, name: l.name, dialect: l.dialect, mode }));
    lines.push(say(lang, 'sends', { scope: scopeText(lang, l.maySend) }));
    lines.push(say(lang, 'receives', { scope: scopeText(lang, l.receives) }));
  }
  if (config.localSystems.length === 0) lines.push(TEXT[lang].noneYet);
  return lines;
}
