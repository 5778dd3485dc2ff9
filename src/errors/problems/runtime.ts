import type { ProblemSpec } from './spec.js';

/** Problems around the core: outbound calls, the data directory and the listening socket. */
export const runtimeProblems = {
  outbound_address_refused: {
    status: 422,
    title: 'Address not allowed',
    zh: '主机 {host} 不是公网地址（本机、内网、链路本地或保留地址）；通过管理接口或控制台设置的地址必须是公网地址。请将该伙伴节点写入配置文件，或设置 outbound.allowPrivateNetworks。',
    en: 'The host {host} is not a public address (loopback, private, link-local or reserved); addresses set through the admin API or console must be public. Write the partner into the configuration file, or set outbound.allowPrivateNetworks.',
  },
  data_dir_locked: {
    status: 503,
    title: 'Data directory in use',
    zh: '数据目录 {dir} 正被另一个 yrdx 节点进程使用（{holder}）；同一数据目录只能运行一个使用 SQLite 的节点。',
    en: 'The data directory {dir} is in use by another yrdx node process ({holder}); only one node with the SQLite store may run on a data directory.',
  },
  listen_failed: {
    status: 503,
    title: 'Cannot listen',
    zh: '无法在 {address} 上监听（{code}）：EADDRINUSE 表示端口已被其他进程占用，EACCES 表示无权使用该端口，EADDRNOTAVAIL 表示本机没有该地址；请检查 PORT 和 HOST。',
    en: 'Cannot listen on {address} ({code}): EADDRINUSE means another process holds the port, EACCES that this user may not use it, EADDRNOTAVAIL that the host has no such address; check PORT and HOST.',
  },
  partner_wrong_node: {
    status: 502,
    title: 'Partner address answered by another node',
    zh: '伙伴节点 {partner} 的地址 {url} 由节点 {answered} 应答——请检查配置文件中 partners[].baseUrl（{partner} 的条目），修改后重启节点，再用 `yrdx messages requeue` 重新投递。',
    en: 'The address {url} of partner {partner} was answered by node {answered}: check partners[].baseUrl (the entry of {partner}) in the configuration file, restart the node, then requeue with `yrdx messages requeue`.',
  },
  auth_key_not_loaded: {
    status: 401,
    title: 'API key not loaded yet',
    zh: 'API 密钥无效：配置文件已修改但节点尚未重启——修改后的配置文件接受这个 API 密钥，重启节点后生效。',
    en: 'The API key is not valid: the configuration file was changed but the node has not been restarted — the changed file accepts this API key; it takes effect once the node is restarted.',
  },
  message_not_in_store: {
    status: 404,
    title: 'Message not in this store',
    zh: '存储 {store} 中没有报文 {id}（配置文件 {config}）。如果报文由另一个节点发出，请用 --config 指定该节点的配置文件；提交时被拒收的报文不会存入存储，须由本地系统修正后重新提交。',
    en: 'The store {store} holds no message {id} (configuration file {config}). If another node sent it, name that node’s configuration file with --config; a message refused at submission is never stored: the local system must correct it and submit it again.',
  },
} as const satisfies Record<string, ProblemSpec>;
