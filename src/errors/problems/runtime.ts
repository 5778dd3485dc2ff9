import type { ProblemSpec } from './spec.js';

/** Problems around the core: outbound calls, the data directory and the listening socket. */
export const runtimeProblems = {
  outbound_address_refused: {
    status: 422,
    title: 'Address not allowed',
    zh: '主机 {host} 不是公网地址（本机、内网、链路本地或保留地址）；通过管理接口或控制台设置的地址必须是公网地址。请将该合作方写入配置文件，或设置 outbound.allowPrivateNetworks。',
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
} as const satisfies Record<string, ProblemSpec>;
