import { bilingual } from './text.js';

/**
 * Usage of the CLI's commands, both languages. Each `help:<command>` text is: the synopsis line,
 * a one-line summary, then one line per option (`  --name ARG  what it does`). `yrdx help` lists
 * the synopsis and summary of every command; `yrdx <command> --help` prints the whole text.
 * Commands of other modules register their own `help:<command>` texts in their TEXT tables (see cli.ts).
 */
export const TEXT = bilingual({
  zh: {
    title: 'yrdx —— 长三角数据交换网关',
    usage: '用法：',
    options: '选项：',
    helpOption: '  -h, --help                 显示本说明',
    commands: '命令：',
    footer:
      'FILE 默认为 config/node.json；"-" 表示读取标准输入。\n错误以 "代码: 原因" 的形式用简体中文输出；设置 YRDX_LANG=en 改用英文。\n运行 "yrdx <命令> --help" 查看某个命令的全部选项。',
    'group:keys': '密钥：生成、初始化、导入、导出、列出、轮换节点密钥，以及为本地系统生成 API 密钥',
    'group:contracts': '数据契约：校验、试译全部示例、生成代码、查看可能丢失的内容',
    'group:audit': '审计日志：离线校验',
    'group:evidence': '证据包：导出与校验',
    'group:config': '配置文件：检查',
    'group:messages': '报文：查看投递状态、重新投递死信',
    'help:keys generate':
      'yrdx keys generate --alg ES256|EdDSA|PS256|SM2 --kid KID --out DIR [--lifetime-days N] [--force] [--json]\n生成一对密钥：私钥 JWK（权限 0600）与公钥 JWKS\n  --alg ES256|EdDSA|PS256|SM2  签名算法（默认 ES256；SM2 为国密 SM2 签名）\n  --kid KID                  密钥标识（1–128 个字母、数字或 . _ : -）\n  --out DIR                  写入的目录\n  --lifetime-days N          有效天数（默认 730；0 表示不设期限）\n  --force                    覆盖已有文件\n  --json                     以 JSON 输出',
    'help:keys init':
      'yrdx keys init [--config FILE]... [--json]\n为节点生成首批密钥（签名密钥与下一密钥）\n  --config FILE              节点配置文件，可多次给出（默认 config/node.json）\n  --json                     以 JSON 输出',
    'help:keys list':
      'yrdx keys list [--config FILE] [--json]\n列出节点的密钥：状态、指纹、创建时间与到期时间（北京时间）\n  --config FILE              节点配置文件（默认 config/node.json）\n  --json                     以 JSON 输出（每行一个密钥，时间为 ISO 格式）',
    'help:keys rotate':
      'yrdx keys rotate [--config FILE] [--force] [--json]\n轮换密钥：下一密钥启用为签名密钥，原签名密钥停用，并生成新的下一密钥\n  --config FILE              节点配置文件（默认 config/node.json）\n  --force                    下一密钥发布未满规定时长时也轮换\n  --json                     以 JSON 输出',
    'help:keys api-key':
      'yrdx keys api-key [--digest sm3|sha256] [--config FILE] [--json]\n为本地系统生成新的 API 密钥（只显示一次，配置中只保存其摘要）\n  --digest sm3|sha256        摘要算法（默认 sha256；--config 所指节点采用国密配置时默认 sm3）\n  --config FILE              节点配置文件，按其 cryptoProfile 选默认的摘要算法\n  --json                     以 JSON 输出',
    'help:sign':
      'yrdx sign --key PRIVATE_JWK_FILE [--typ T] [--lifetime SECONDS] PAYLOAD_JSON_FILE\n用私钥签名报文内容，输出紧凑格式的 JWS\n  --key PRIVATE_JWK_FILE     私钥 JWK 文件\n  --typ T                    JWS 头部的 typ（默认 yrdx+jwt）\n  --lifetime SECONDS         有效期（秒），报文内容没有 exp 时使用',
    'help:verify':
      'yrdx verify --jwks JWKS_FILE [--iss ISS] [--aud AUD] [--typ T] JWS_FILE\n按信封的全部规则校验 JWS，有效时输出其内容\n  --jwks JWKS_FILE           签发方的公钥 JWKS 文件\n  --iss ISS                  期望的签发方节点代码\n  --aud AUD                  期望的接收方节点代码\n  --typ T                    期望的 typ（默认按 JWS 头部判断）',
    'help:demo':
      'yrdx demo [--json] [--keep]\n在 127.0.0.1 上启动四个城市的节点，互发全部报文类型并逐跳检查\n  --json                     每条报文输出一行 JSON\n  --keep                     结束后保持节点运行，按 Ctrl-C 停止',
    'help:audit verify':
      'yrdx audit verify [--config FILE] [--json]\n离线校验整个审计日志，指出第一条断裂的记录\n  --config FILE              节点配置文件（默认 config/node.json）\n  --json                     以 JSON 输出',
    'help:evidence export':
      'yrdx evidence export [--config FILE] --message ID --out FILE|DIR [--with-files] [--json]\n导出一条报文的证据包（含回执与文件回执）\n  --config FILE              节点配置文件（默认 config/node.json）\n  --message ID               报文标识\n  --out FILE|DIR             写入的证据包文件；带 --with-files 时为文件夹（evidence.json 和 files/）\n  --with-files               同时导出本节点所存的附件内容\n  --json                     以 JSON 输出',
    'help:evidence verify':
      'yrdx evidence verify [--json] BUNDLE\n只凭证据包本身校验证据包；BUNDLE 为文件夹时逐一核对所含附件与签名摘要（SHA-256 或 SM3）\n  --json                     以 JSON 输出',
    'help:threads':
      'yrdx threads [--config FILE] [--open | --overdue] [--partner NODE] [--id THREAD] [--json]\n列出协作事项及各伙伴节点的办理状态\n  --config FILE              节点配置文件（默认 config/node.json）\n  --open                     只列出未办结的事项\n  --overdue                  只列出逾期的事项\n  --partner NODE             只列出与这个伙伴节点的事项\n  --id THREAD                显示一个事项及其办理轨迹\n  --json                     以 JSON 输出',
    'help:contracts validate':
      'yrdx contracts validate [--dir DIR] [--domain D] [--verbose] [--json]\n校验数据契约：全部检查、全部示例，最后给出汇总\n  --dir DIR                  数据契约目录（默认 contracts）\n  --domain D                 只校验这个业务领域\n  --verbose                  列出每个数据契约版本的方言与报文类型\n  --json                     以 JSON 输出',
    'help:contracts test':
      'yrdx contracts test [--dir DIR] [--domain D] [--verbose] [--json]\n把每个示例译成规范模型和其他每种方言；默认只列出失败和每个版本一行，最后给出汇总\n  --dir DIR                  数据契约目录（默认 contracts）\n  --domain D                 只试译这个业务领域\n  --verbose                  每次翻译输出一行\n  --json                     每次翻译输出一行 JSON',
    'help:contracts build':
      'yrdx contracts build [--dir DIR] [--check] [--json]\n生成校验代码与翻译代码（写入 DIR/build/）\n  --dir DIR                  数据契约目录（默认 contracts）\n  --check                    不写入，只检查已生成的文件是否最新\n  --json                     以 JSON 输出',
    'help:contracts fidelity':
      'yrdx contracts fidelity [--dir DIR] [--domain D] [--json]\n按报文类型列出每种方言可能丢失的内容\n  --dir DIR                  数据契约目录（默认 contracts）\n  --domain D                 只看这个业务领域\n  --json                     以 JSON 输出',
    'help:translate':
      'yrdx translate --domain D [--version V] --from DIALECT|canonical --to DIALECT|canonical [--type T] FILE\n在方言与规范模型之间翻译一份报文内容\n  --domain D                 业务领域\n  --version V                数据契约版本（默认最新）\n  --from DIALECT|canonical   原文的方言，或 canonical（规范模型）\n  --to DIALECT|canonical     译文的方言，或 canonical（规范模型）\n  --type T                   报文类型\n  --dir DIR                  数据契约目录（默认 contracts）\n  --json                     输出紧凑的 JSON',
    'help:help': 'yrdx help\n显示全部命令的用法',
  },
  en: {
    title: 'yrdx — Yangtze River Delta exchange gateway',
    usage: 'Usage: ',
    options: 'Options:',
    helpOption: '  -h, --help                 show this help',
    commands: 'Commands:',
    footer:
      'FILE defaults to config/node.json; "-" reads standard input.\nErrors are printed as "code: reason" in 简体中文; set YRDX_LANG=en for English.\nRun "yrdx <command> --help" for every option of a command.',
    'group:keys':
      'keys: generate, initialise, import, export, list and rotate a node’s keys; API keys for local systems',
    'group:contracts': 'contracts: validate, try every example, build code, see what can be lost',
    'group:audit': 'the audit log: verify it offline',
    'group:evidence': 'evidence bundles: export and verify',
    'group:config': 'the configuration: check it',
    'group:messages': 'messages: delivery status, requeue dead deliveries',
    'help:keys generate':
      'yrdx keys generate --alg ES256|EdDSA|PS256|SM2 --kid KID --out DIR [--lifetime-days N] [--force] [--json]\ngenerate one key: a private JWK (mode 0600) and its public JWKS\n  --alg ES256|EdDSA|PS256|SM2  signature algorithm (default ES256; SM2 is the national SM2 signature)\n  --kid KID                  key id (1–128 letters, digits or . _ : -)\n  --out DIR                  folder to write to\n  --lifetime-days N          days the key is valid (default 730; 0 for no end)\n  --force                    overwrite existing files\n  --json                     print JSON',
    'help:keys init':
      'yrdx keys init [--config FILE]... [--json]\ngenerate a node’s first keys (active + next)\n  --config FILE              node configuration, may be repeated (default config/node.json)\n  --json                     print JSON',
    'help:keys list':
      'yrdx keys list [--config FILE] [--json]\nlist a node’s keys: state, thumbprint, created and not-after times (Beijing time)\n  --config FILE              node configuration (default config/node.json)\n  --json                     print JSON (one key a line, ISO times)',
    'help:keys rotate':
      'yrdx keys rotate [--config FILE] [--force] [--json]\nrotate: the next key becomes active, the active one is retired, a new next key is made\n  --config FILE              node configuration (default config/node.json)\n  --force                    rotate even if the next key has not been published long enough\n  --json                     print JSON',
    'help:keys api-key':
      'yrdx keys api-key [--digest sm3|sha256] [--config FILE] [--json]\na new API key for a local system (shown once; the configuration keeps only its digest)\n  --digest sm3|sha256        digest algorithm (default sha256; sm3 when the node --config names is on the national profile)\n  --config FILE              node configuration whose cryptoProfile chooses the default digest\n  --json                     print JSON',
    'help:sign':
      'yrdx sign --key PRIVATE_JWK_FILE [--typ T] [--lifetime SECONDS] PAYLOAD_JSON_FILE\nsign a payload with a private key and print the compact JWS\n  --key PRIVATE_JWK_FILE     private JWK file\n  --typ T                    typ of the JWS header (default yrdx+jwt)\n  --lifetime SECONDS         lifetime in seconds, when the payload has no exp',
    'help:verify':
      'yrdx verify --jwks JWKS_FILE [--iss ISS] [--aud AUD] [--typ T] JWS_FILE\ncheck a JWS against every rule of the envelope and print its payload when valid\n  --jwks JWKS_FILE           the issuer’s public JWKS file\n  --iss ISS                  expected issuer node code\n  --aud AUD                  expected recipient node code\n  --typ T                    expected typ (default: from the JWS header)',
    'help:demo':
      'yrdx demo [--json] [--keep]\nfour cities on 127.0.0.1 exchanging every message type, checked hop by hop\n  --json                     one JSON line per message\n  --keep                     keep the cities running at the end; Ctrl-C stops them',
    'help:audit verify':
      'yrdx audit verify [--config FILE] [--json]\nverify the whole audit log offline; names the first broken entry\n  --config FILE              node configuration (default config/node.json)\n  --json                     print JSON',
    'help:evidence export':
      'yrdx evidence export [--config FILE] --message ID --out FILE|DIR [--with-files] [--json]\nwrite a message’s evidence bundle (with its receipts and files receipts)\n  --config FILE              node configuration (default config/node.json)\n  --message ID               the message id\n  --out FILE|DIR             the bundle file to write; with --with-files a folder (evidence.json and files/)\n  --with-files               also export the bytes of the files this node holds\n  --json                     print JSON',
    'help:evidence verify':
      'yrdx evidence verify [--json] BUNDLE\nverify an evidence bundle with nothing but the bundle; for a folder, check each included file against its signed digest (SHA-256 or SM3)\n  --json                     print JSON',
    'help:threads':
      'yrdx threads [--config FILE] [--open | --overdue] [--partner NODE] [--id THREAD] [--json]\ncooperation threads and every partner’s state\n  --config FILE              node configuration (default config/node.json)\n  --open                     only threads not settled\n  --overdue                  only overdue threads\n  --partner NODE             only threads with this partner\n  --id THREAD                one thread with the timeline of its states\n  --json                     print JSON',
    'help:contracts validate':
      'yrdx contracts validate [--dir DIR] [--domain D] [--verbose] [--json]\nvalidate contracts: every check, every example, then a summary\n  --dir DIR                  contracts folder (default contracts)\n  --domain D                 only this domain\n  --verbose                  list each contract version’s dialects and message types\n  --json                     print JSON',
    'help:contracts test':
      'yrdx contracts test [--dir DIR] [--domain D] [--verbose] [--json]\ntranslate every example to canonical and into every other dialect; failures and one line per version, then a summary\n  --dir DIR                  contracts folder (default contracts)\n  --domain D                 only this domain\n  --verbose                  one line per translation\n  --json                     one JSON line per translation',
    'help:contracts build':
      'yrdx contracts build [--dir DIR] [--check] [--json]\nwrite the validators and translation code (to DIR/build/)\n  --dir DIR                  contracts folder (default contracts)\n  --check                    write nothing; fail if the files there are not current\n  --json                     print JSON',
    'help:contracts fidelity':
      'yrdx contracts fidelity [--dir DIR] [--domain D] [--json]\nwhat each dialect can lose, per message type\n  --dir DIR                  contracts folder (default contracts)\n  --domain D                 only this domain\n  --json                     print JSON',
    'help:translate':
      'yrdx translate --domain D [--version V] --from DIALECT|canonical --to DIALECT|canonical [--type T] FILE\ntranslate a document between dialects and the canonical model\n  --domain D                 the domain\n  --version V                contract version (default the latest)\n  --from DIALECT|canonical   the document’s dialect, or canonical\n  --to DIALECT|canonical     the dialect to translate into, or canonical\n  --type T                   the message type\n  --dir DIR                  contracts folder (default contracts)\n  --json                     print compact JSON',
    'help:help': 'yrdx help\nshow the usage of every command',
  },
});
