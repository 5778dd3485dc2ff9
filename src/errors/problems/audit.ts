import type { ProblemSpec } from './spec.js';

/**
 * Problems of the audit log and of evidence bundles (reported by `yrdx audit verify` and
 * `yrdx evidence …`). `{reason}` is written in each language.
 */
export const auditProblems = {
  audit_chain_broken: {
    status: 500,
    title: 'Audit log broken',
    zh: '审计日志在第 {seq} 条记录处断裂：{reason}。该条及其后的记录不可信，请保全数据库文件并联系安全管理员。',
    en: 'The audit log is broken at entry {seq}: {reason}. That entry and those after it cannot be trusted; preserve the database file and inform the security officer.',
  },
  audit_log_unavailable: {
    status: 503,
    title: 'Audit log unavailable',
    zh: '无法读取审计日志 {file}：{reason}。',
    en: 'The audit log {file} cannot be read: {reason}.',
  },
  evidence_unavailable: {
    status: 404,
    title: 'Evidence unavailable',
    zh: '无法导出报文 {id} 的证据包：{reason}。',
    en: 'No evidence bundle can be exported for message {id}: {reason}.',
  },
  evidence_invalid: {
    status: 422,
    title: 'Evidence bundle invalid',
    zh: '证据包未通过校验：{reason}。该证据包不能作为证据使用。',
    en: 'The evidence bundle does not verify: {reason}. It cannot serve as evidence.',
  },
} as const satisfies Record<string, ProblemSpec>;
