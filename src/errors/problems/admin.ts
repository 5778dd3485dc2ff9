import type { ProblemSpec } from './spec.js';

/** Problems of the admin API (`/admin/v1`). */
export const adminProblems = {
  admin_auth_required: {
    status: 401,
    title: 'Admin credential required',
    zh: '请求缺少管理凭证（Authorization: Bearer …）。',
    en: 'The request carries no admin credential (Authorization: Bearer …).',
  },
  admin_auth_invalid: {
    status: 401,
    title: 'Admin credential not valid',
    zh: '管理凭证无效。',
    en: 'The admin credential is not valid.',
  },
  admin_credential_expired: {
    status: 401,
    title: 'Admin credential expired',
    zh: '管理凭证 {id} 已于 {notAfter} 过期，请向本节点管理员申请新的凭证。',
    en: 'The admin credential {id} expired at {notAfter}; ask this node’s administrator for a new one.',
  },
  admin_forbidden: {
    status: 403,
    title: 'Not permitted for this role',
    zh: '角色 {role} 无权执行此操作（{action}）。',
    en: 'The role {role} may not do this ({action}).',
  },
  csrf_refused: {
    status: 403,
    title: 'Form refused',
    zh: '表单被拒绝：它不是来自本节点的控制台页面，或防伪令牌无效。请重新打开页面后再提交。',
    en: 'The form was refused: it did not come from a console page of this node, or its anti-forgery token is not valid. Open the page again and resubmit.',
  },
  rate_limited: {
    status: 429,
    title: 'Too many requests',
    zh: '请求过于频繁，请在 {seconds} 秒后重试。',
    en: 'Too many requests; retry in {seconds} s.',
  },
  partner_not_found: {
    status: 404,
    title: 'Partner not found',
    zh: '本节点没有登记伙伴节点 {partner}。',
    en: 'No partner {partner} is registered with this node.',
  },
  partner_exists: {
    status: 409,
    title: 'Partner already registered',
    zh: '伙伴节点 {partner} 已经登记；修改其信息请用 PUT /admin/v1/partners/{partner}。',
    en: 'The partner {partner} is already registered; change it with PUT /admin/v1/partners/{partner}.',
  },
  contract_not_found: {
    status: 404,
    title: 'Contract not found',
    zh: '本节点没有数据契约 {contract}。',
    en: 'This node holds no contract {contract}.',
  },
  contract_upload_invalid: {
    status: 422,
    title: 'Contract refused',
    zh: '上传的数据契约 {contract} 未通过检查，共 {count} 处问题，未发布。',
    en: 'The uploaded contract {contract} failed its checks with {count} problem(s) and was not published.',
  },
  contract_files_refused: {
    status: 422,
    title: 'Contract files refused',
    zh: '上传的数据契约 {contract} 有 {count} 处名称或大小超出限制（名称会成为文件路径；见 errors 中每处的文件、指针和规则），未写入任何文件。',
    en: 'The uploaded contract {contract} has {count} name(s) or size(s) outside the limits (names become file paths; see errors for the file, pointer and rule of each); nothing was written.',
  },
  contract_state_conflict: {
    status: 409,
    title: 'Contract state conflict',
    zh: '数据契约 {contract} 当前状态为 {status}，不能{action}。',
    en: 'The contract {contract} is {status} and cannot be {action}.',
  },
  contract_last_active: {
    status: 409,
    title: 'Last active contract version',
    zh: '数据契约 {contract} 是业务领域 {domain} 唯一在用的版本，弃用后本节点将无法发送该领域的报文；请先启用另一个版本。',
    en: 'The contract {contract} is the only active version of {domain}: without it this node could send nothing in that domain. Activate another version first.',
  },
  delivery_not_dead: {
    status: 409,
    title: 'Not a dead letter',
    zh: '投递 {id} 不是死信（或不存在），无需重新排队。',
    en: 'The delivery {id} is not a dead letter (or does not exist); there is nothing to requeue.',
  },
  admin_unsupported: {
    status: 501,
    title: 'Not available on this runtime',
    zh: '本节点的运行环境不支持此管理操作：{reason}。',
    en: 'This node’s runtime does not support this admin action: {reason}.',
  },
} as const satisfies Record<string, ProblemSpec>;
