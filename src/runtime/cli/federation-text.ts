import { fill as fillText } from '../../errors/text.js';
import type { Language } from '../../vocabulary/language.js';

/** The texts of `yrdx federation init` and `yrdx federation up`, both languages with the same keys. */
export const TEXT = {
  zh: {
    'group:federation': '本地联邦：在本机建立并启动几个互相信任的节点，用于试用',
    'help:federation init':
      'yrdx federation init [--nodes 330500,320500,310000,340100] [--base-port 8801] [--dir federation] [--crypto-profile international|gm] [--force]\n在本机建立一个本地联邦：每个节点的密钥、彼此登记（固定）对方密钥的配置文件，以及每个节点一个拉取模式的本地系统；API 密钥只显示这一次（配置文件只保存其摘要：SHA-256，国密配置下为 SM3；为方便本地试用，另存于 <dir>/api-keys/<节点>，权限 0600）\n  --nodes LIST               节点的区划代码，逗号分隔（默认 330500,320500,310000,340100）\n  --base-port N              第 i 个节点的地址为 http://127.0.0.1:<N + i>（默认 8801）\n  --dir DIR                  写入的目录（默认 federation）\n  --crypto-profile P         international（ES256 签名、SHA-256 摘要，默认）或 gm（国密：每个节点用 SM2 签名、SM3 摘要（API 密钥也只保存其 SM3），彼此声明为国密伙伴）\n  --force                    覆盖已有的联邦（其中的密钥、存储和报文都会删除）',
    'help:federation up':
      'yrdx federation up [--dir federation]\n启动联邦的全部节点，等待每个节点就绪（/readyz），每个节点打印一行：城市、地址、收件箱；日志写入 <dir>/logs/<节点>.log；Ctrl+C 或 SIGTERM 停止全部节点，任一节点退出时停止其余节点\n  --dir DIR                  联邦所在的目录（默认 federation）',
    unknownNode: '{code} 不是长三角 41 个城市之一的区划代码{hint}',
    didYouMean: '；是否要找 {candidates}？',
    duplicateNode: '--nodes 中的 {code} 出现了不止一次',
    tooFewNodes: '--nodes 至少需要两个节点，而不是 {count} 个',
    basePortInvalid: '--base-port 应为端口号，且 {count} 个节点的端口都在 1–65535 之内，而不是 "{port}"',
    cryptoProfileInvalid: '--crypto-profile 应为 international 或 gm，而不是 "{value}"',
    initGm:
      '每个节点采用国密配置（cryptoProfile: "gm"）：SM2 签名，SM3 摘要，SM4-GCM 静态加密；彼此声明为国密伙伴，只接受对方的 SM2 签名。',
    exists: '{dir} 中已有本地联邦（{file}）；加 --force 覆盖（其中的密钥、存储和报文都会删除）',
    initDone: '已在 {dir} 建立本地联邦：{count} 个节点，各有一个拉取模式的本地系统。',
    initRow: '  {city}  {url}  本地系统 {system}  API 密钥 {key}',
    initKeysOnce:
      'API 密钥只显示这一次，配置文件只保存其摘要（SHA-256，国密配置下为 SM3）；为方便本地试用，另存于 {keys}（权限 0600）。',
    initNext: '下一步：npx yrdx federation up{dirArg}',
    noFederation: '{dir} 中没有本地联邦（缺少 {file}）；先运行 npx yrdx federation init',
    starting: '正在启动 {count} 个节点，日志写入 {logs} …',
    ready: '  {city}  {url}  收件箱 {inbox}',
    allReady: '全部 {count} 个节点已就绪。按 Ctrl+C 停止全部节点。',
    died: '节点 {city} 已退出（{status}），正在停止其余节点。日志：{log}',
    notReady: '节点 {city} 在 {seconds} 秒内未就绪，正在停止全部节点。日志：{log}',
    stopping: '收到 {signal}，正在停止全部节点 …',
    stopped: '全部节点已停止。',
  },
  en: {
    'group:federation':
      'local federation: a few nodes on this machine that trust each other, to try things by hand',
    'help:federation init':
      'yrdx federation init [--nodes 330500,320500,310000,340100] [--base-port 8801] [--dir federation] [--crypto-profile international|gm] [--force]\ncreate a local federation on this machine: each node’s keys, configurations that pin each other’s keys, and one pull-mode local system per node whose API key is shown this once (the configuration keeps only its digest: SHA-256, or SM3 on the national profile; for local trials it is also kept in <dir>/api-keys/<node>, mode 0600)\n  --nodes LIST               division codes of the nodes, comma-separated (default 330500,320500,310000,340100)\n  --base-port N              node i listens at http://127.0.0.1:<N + i> (default 8801)\n  --dir DIR                  the directory to write (default federation)\n  --crypto-profile P         international (ES256 signatures, SHA-256 digests; the default) or gm (the national profile: every node signs with SM2 and digests with SM3, API keys included, and declares the others gm partners)\n  --force                    overwrite an existing federation (its keys, stores and messages are deleted)',
    'help:federation up':
      'yrdx federation up [--dir federation]\nstart every node of the federation, wait until each is ready (/readyz) and print one line per node: city, address, inbox; logs go to <dir>/logs/<node>.log; Ctrl+C or SIGTERM stops them all, and when one node exits the others are stopped\n  --dir DIR                  the federation’s directory (default federation)',
    unknownNode: "{code} is not the division code of one of the Delta's 41 cities{hint}",
    didYouMean: '; did you mean {candidates}?',
    duplicateNode: '{code} appears more than once in --nodes',
    tooFewNodes: '--nodes needs at least two nodes, not {count}',
    basePortInvalid:
      '--base-port must be a port number that keeps all {count} ports within 1–65535, not "{port}"',
    cryptoProfileInvalid: '--crypto-profile must be international or gm, not "{value}"',
    initGm:
      'Every node is on the national profile (cryptoProfile: "gm"): SM2 signatures, SM3 digests, SM4-GCM at rest; each declares the others gm partners and accepts only their SM2 signatures.',
    exists:
      '{dir} already holds a local federation ({file}); pass --force to overwrite it (its keys, stores and messages are deleted)',
    initDone: 'Set up a local federation in {dir}: {count} nodes, each with one pull-mode local system.',
    initRow: '  {city}  {url}  local system {system}  API key {key}',
    initKeysOnce:
      'The API keys are shown this once; the configurations keep only their digests (SHA-256, or SM3 on the national profile). For local trials they are also kept in {keys} (mode 0600).',
    initNext: 'Next: npx yrdx federation up{dirArg}',
    noFederation: '{dir} holds no local federation ({file} is missing); run npx yrdx federation init first',
    starting: 'Starting {count} nodes, logs in {logs} …',
    ready: '  {city}  {url}  inbox {inbox}',
    allReady: 'All {count} nodes are ready. Press Ctrl+C to stop them all.',
    died: 'Node {city} exited ({status}); stopping the others. Log: {log}',
    notReady: 'Node {city} was not ready within {seconds} s; stopping every node. Log: {log}',
    stopping: 'Got {signal}; stopping every node …',
    stopped: 'Every node has stopped.',
  },
} as const satisfies { zh: Record<TextKey, string>; en: Record<TextKey, string> };

type TextKey =
  | 'group:federation'
  | 'help:federation init'
  | 'help:federation up'
  | 'unknownNode'
  | 'didYouMean'
  | 'duplicateNode'
  | 'tooFewNodes'
  | 'basePortInvalid'
  | 'cryptoProfileInvalid'
  | 'initGm'
  | 'exists'
  | 'initDone'
  | 'initRow'
  | 'initKeysOnce'
  | 'initNext'
  | 'noFederation'
  | 'starting'
  | 'ready'
  | 'allReady'
  | 'died'
  | 'notReady'
  | 'stopping'
  | 'stopped';

/** A text of the table with its `{name}` placeholders filled. */
export function say(
  lang: Language,
  key: TextKey,
  params: Readonly<Record<string, string | number>> = {},
): string {
  return fillText(TEXT[lang][key], params, lang);
}
