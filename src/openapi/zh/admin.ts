/**
 * 简体中文 of the OpenAPI texts of the admin API and the console, keyed by the English text they
 * translate. Terms: docs/glossary.md.
 */
export const ADMIN_ZH: Readonly<Record<string, string>> = {
  // Gate
  'The caller’s credential id, role and expiry': '调用者管理凭证的编号、角色和到期时间',
  'The credential': '管理凭证',
  'No credential, or one not accepted (`admin_auth_required`, `admin_auth_invalid`, `admin_credential_expired`)':
    '缺少管理凭证，或管理凭证不被接受（`admin_auth_required`、`admin_auth_invalid`、`admin_credential_expired`）',
  'Over the rate limit of the credential or address (`rate_limited`)':
    '超过该管理凭证或来源地址的限额（`rate_limited`）',
  'The credential’s role may not do this (`admin_forbidden`)':
    '该管理凭证的角色无权执行此操作（`admin_forbidden`）',
  'Not available on this node (`admin_unsupported`): no exchange, or no contract lifecycle':
    '本节点不提供（`admin_unsupported`）：没有交换功能，或没有契约生命周期',
  'Not JSON (`body_invalid`), too deep (`body_too_deep`) or NUL (`text_invalid`)':
    '不是 JSON（`body_invalid`）、嵌套过深（`body_too_deep`）或含 NUL（`text_invalid`）',
  'Not application/json (`unsupported_media_type`)': '不是 application/json（`unsupported_media_type`）',
  // Contracts
  'Every contract version with its status': '每个契约版本及其状态',
  'The versions': '各版本',
  'Upload a new contract version (published as staged)': '上传新的契约版本（以待启用状态发布）',
  'Checked as at boot (schemas compile, mapping checks, examples round-trip) and against the newest earlier release of its major. Refused with every fault at once.':
    '按启动时的规则检查（模式可编译、映射检查、示例往返转换），并与同一主版本中最新的较早版本比较。拒绝时一次列出全部错误。',
  'Published as staged': '已发布为待启用',
  'The version exists (`contract_version_exists`), or breaks compatibility with the previous release of its major (`contract_incompatible`)':
    '该版本已存在（`contract_version_exists`），或与同一主版本的上一版本不兼容（`contract_incompatible`）',
  'A name, depth, size or pattern is outside the limits, nothing written (`contract_files_refused`), the files fail their checks (`contract_upload_invalid`) or are malformed (`request_invalid`)':
    '名称、深度、大小或正则表达式超出限制，未写入任何内容（`contract_files_refused`）；文件未通过检查（`contract_upload_invalid`）；或格式错误（`request_invalid`）',
  'Contract schemas cannot be compiled on this runtime (`admin_unsupported`)':
    '此运行环境无法编译契约模式（`admin_unsupported`）',
  'One contract version': '一个契约版本',
  'The contract’s domain': '契约的业务领域',
  'The contract version': '契约版本',
  'The version': '该版本',
  'No such contract version (`contract_not_found`)': '没有这个契约版本（`contract_not_found`）',
  'Dry-run a translation with a contract version, staged or not; nothing is sent':
    '用某个契约版本（无论是否待启用）试转换；不发送任何内容',
  'The translated document': '转换后的文档',
  'The document does not fit (`document_invalid`, a pointer per fault), an unknown dialect or type (`contract_unknown`), or an invalid request (`request_invalid`)':
    '文档不符合（`document_invalid`，每处错误一个指针）、方言或报文类型未知（`contract_unknown`），或请求无效（`request_invalid`）',
  'Make a staged (or deprecated) version active, at once': '立即启用一个待启用（或已弃用）的版本',
  'Now active': '已在用',
  'Already active (`contract_state_conflict`)': '已经在用（`contract_state_conflict`）',
  'Deprecate an active version: still read, no longer sent nor announced':
    '弃用一个在用版本：仍可接收，不再用于发送或公布',
  'Now deprecated': '已弃用',
  'Not active (`contract_state_conflict`), or the last active version of its domain (`contract_last_active`)':
    '不是在用版本（`contract_state_conflict`），或是其业务领域最后一个在用版本（`contract_last_active`）',
  // Partners
  'Registered partners, their status, key ids and pins': '已登记的伙伴、其状态、密钥编号和固定指纹',
  'The partners': '各伙伴',
  'Register a partner; in effect at once, and kept across restarts': '登记伙伴；立即生效，重启后仍保留',
  Registered: '已登记',
  'A partner with this id exists (`partner_exists`): use PUT':
    '已有此编号的伙伴（`partner_exists`）：请用 PUT',
  'The registration is invalid (`request_invalid`), or a URL’s host is not public (`outbound_address_refused`)':
    '登记信息无效（`request_invalid`），或某个 URL 的主机不是公网地址（`outbound_address_refused`）',
  'One partner': '一个伙伴',
  'The partner’s node id': '伙伴的节点编号',
  'The partner': '该伙伴',
  'No such partner (`partner_not_found`)': '没有这个伙伴（`partner_not_found`）',
  'Replace a partner’s registration': '替换伙伴的登记信息',
  Replaced: '已替换',
  'Stop exchanging with a partner: its messages are refused, deliveries to it stop':
    '停止与伙伴交换：拒收其报文，停止向其投递',
  Suspended: '已暂停',
  'Resume a suspended partner': '恢复已暂停的伙伴',
  'Active again': '已恢复',
  'One partner’s delivery health over the last hour': '最近一小时向某一伙伴投递的健康状况',
  'The health': '健康状况',
  'Delivery health of every partner over the last hour': '最近一小时向每个伙伴投递的健康状况',
  'The health of each partner': '每个伙伴的健康状况',
  // Keys
  'This node’s keys: kid, state, thumbprint and dates; never key material':
    '本节点的密钥：kid、状态、指纹和日期；从不包含密钥本身',
  'The keys': '各密钥',
  'Rotate: next → active, active → retired, a new next key':
    '轮换：下一密钥 → 签名密钥，签名密钥 → 已停用，并生成新的下一密钥',
  'The new active key signs from the next message; the new next key is published at once.':
    '新的签名密钥从下一条报文起签名；新的下一密钥立即公布。',
  'Rotate even if the next key is younger than `rotation.minNextAgeSeconds`':
    '即使下一密钥的存在时间短于 `rotation.minNextAgeSeconds` 也轮换',
  Rotated: '已轮换',
  'Refused (`key_rotation_refused`): the next key is too young, or the keys are managed outside yrdx':
    '拒绝（`key_rotation_refused`）：下一密钥存在时间太短，或密钥由 yrdx 之外管理',
  'The keys cannot be read (`keys_unavailable`)': '无法读取密钥（`keys_unavailable`）',
  // Messages, threads, dead letters
  'Search messages sent and received; filters combine with AND, newest first':
    '检索发出和收到的报文；条件以 AND 组合，最新的在前',
  'The message id': '报文编号',
  'Sent or received': '发出或收到',
  'A recipient of a message sent, or the sender of a message received':
    '发出报文的某个收件方，或收到报文的发送方',
  'The domain': '业务领域',
  'The message type': '报文类型',
  'The cooperation thread': '协作事项',
  'The case number (`/case/caseNumber` of the canonical body)':
    '案件编号（规范模型正文的 `/case/caseNumber`）',
  'Created or received at or after (ISO 8601)': '创建或收到时间不早于（ISO 8601）',
  'Created or received before (ISO 8601)': '创建或收到时间早于（ISO 8601）',
  'At most this many, newest first': '至多这么多条，最新的在前',
  'The messages found': '找到的报文',
  'A filter is invalid (`request_invalid`)': '检索条件无效（`request_invalid`）',
  'One message: deliveries, receipts and history, or its local deliveries':
    '一条报文：投递、回执和历史，或其本地投递',
  'No such message (`message_not_found`)': '没有这条报文（`message_not_found`）',
  'Cooperation threads': '协作事项',
  'Open or closed': '进行中或已办结',
  'Only threads past their due time': '只列出已逾期的协作事项',
  'The threads': '各协作事项',
  'Open and overdue threads per partner': '按伙伴统计进行中和逾期的协作事项',
  'Per partner': '按伙伴',
  'One thread': '一个协作事项',
  'The thread id': '协作事项编号',
  'The thread': '该协作事项',
  'No such thread (`not_found`)': '没有这个协作事项（`not_found`）',
  'Dead deliveries to partners and to local systems': '发往伙伴和本地系统的死信',
  'The dead letters': '各死信',
  'Put a dead delivery back in the queue': '把死信放回投递队列（重新投递）',
  'To a partner, or to a local system': '发往伙伴，或发往本地系统',
  'The delivery id': '投递编号',
  Requeued: '已重新投递',
  'The delivery is not dead (`delivery_not_dead`)': '该投递不是死信（`delivery_not_dead`）',
  'An unknown kind (`request_invalid`)': '未知的类别（`request_invalid`）',
  // Console
  'Redirects to the overview or the sign-in page': '重定向到概览或登录页面',
  'An HTML page': 'HTML 页面',
  'Redirect (to the sign-in page when not signed in)': '重定向（未登录时到登录页面）',
  'The console stylesheet': '控制台样式表',
  CSS: 'CSS 样式表',
  'The sign-in page': '登录页面',
  'Sign in with an admin credential token; sets the session cookie': '用管理凭证令牌登录；设置会话 Cookie',
  "A form post from a console page: needs the session cookie, the session's `_csrf` field and a same-origin `Origin`; refused with 403 otherwise, or when the role does not allow it. Recorded in the audit log.":
    '控制台页面提交的表单：需要会话 Cookie、会话的 `_csrf` 字段和同源的 `Origin`；否则或角色不允许时以 403 拒绝。记入审计日志。',
  'Refused (anti-forgery check or role)': '拒绝（防伪造检查或角色）',
  'Sign out: ends the session': '退出：结束会话',
  'Partner health, traffic, dead letters, threads, keys': '伙伴健康状况、流量、死信、协作事项、密钥',
  'The local systems: dialect, push or pull, what they send and receive, last activity, pending deliveries':
    '本地系统：方言、推送或拉取、可发送和接收的内容、最近活动、待投递数',
  'Open threads with every counterpart’s workflow state, overdue first':
    '进行中的协作事项及每个对方的工作流状态，逾期的在前',
  'One thread: its workflow, each track’s state and the timeline of states':
    '一个协作事项：其工作流、每条办理轨迹的状态和状态时间线',
  'Message search': '报文检索',
  'One message: timeline, deliveries, receipt, bodies': '一条报文：时间线、投递、回执、正文',
  'Download the evidence bundle of a message (every role that may read messages)':
    '下载一条报文的证据包（可查看报文的每个角色）',
  'The same bundle as `yrdx evidence export` (see docs/evidence.md), as an attachment named `evidence-{id}.json`. Needs the session cookie; a cross-site request is refused. Recorded in the audit log.':
    '与 `yrdx evidence export` 相同的证据包（见 docs/evidence.zh-CN.md），作为名为 `evidence-{id}.json` 的附件。需要会话 Cookie；跨站请求被拒绝。记入审计日志。',
  'The evidence bundle (`Content-Disposition: attachment`)': '证据包（`Content-Disposition: attachment`）',
  'Redirect to the sign-in page when not signed in': '未登录时重定向到登录页面',
  'Refused (role, or a cross-site request)': '拒绝（角色，或跨站请求）',
  'The message, its audit entries or a key is no longer known': '报文、其审计记录或某个密钥已不存在',
  'Requeue a dead delivery (admin, operator)': '重新投递一条死信（管理员、运维员）',
  'Contract versions and the upload form (admin, operator)': '契约版本和上传表单（管理员、运维员）',
  'Upload a version; shows the validation and compatibility report (admin)':
    '上传版本；显示校验与兼容性报告（管理员）',
  'Activate a version (admin)': '启用一个版本（管理员）',
  "Deprecate an active version, not the domain's last (admin)":
    '弃用一个在用版本，业务领域最后一个在用版本除外（管理员）',
  "Partners and their pinned keys, this node's keys (admin, operator)":
    '伙伴及其已登记的密钥、本节点的密钥（管理员、运维员）',
  'Add a partner, checked like POST /admin/v1/partners; shows each fault next to the form (admin)':
    '新增伙伴，检查规则同 POST /admin/v1/partners；每处错误显示在表单旁（管理员）',
  'What a partner publishes: its node document and JWKS, fetched now, each key marked pinned here or not (admin, operator)':
    '伙伴公布的内容：当场获取的节点文档和 JWKS，每把密钥标明本节点是否已登记（管理员、运维员）',
  'Suspend a partner (admin, operator)': '暂停伙伴（管理员、运维员）',
  'Resume a suspended partner (admin)': '恢复已暂停的伙伴（管理员）',
  "Rotate this node's keys; shows the reason when refused (admin)":
    '轮换本节点的密钥；被拒绝时显示原因（管理员）',
  'The audit page (every role)': '审计页面（每个角色）',
  'Verify the whole audit log; shows the entries checked and the head hash, or the first broken entry':
    '校验整个审计日志；显示校验的条数和末条哈希，或第一条被破坏的记录',
  'The translation playground (admin, operator)': '转换试验台（管理员、运维员）',
  'Translate a document; shows the result or each fault with its pointer':
    '转换一份文档；显示结果，或每处错误及其指针',
  // Case files
  'Download a case file this node holds: sent by it, or arrived from a partner':
    '下载本节点保存的附件：本节点发出的，或从伙伴处到达的',
  'Case files are evidence: administrators and auditors may download them, operators may not. Each download is written to the audit log with the credential, the file, the message and the range. Served as data: its media type, Content-Disposition attachment with the name as written (RFC 8187), nosniff.':
    '附件是案件证据：管理员和审计员可以下载，运维员不可以。每次下载都记入审计日志，包括管理凭证、附件、报文和字节范围。作为数据提供：带其媒体类型、`Content-Disposition: attachment` 及原样的文件名（RFC 8187）和 `nosniff`。',
  'The file’s position in the message’s attachments, from 0': '附件在报文附件列表中的位置，从 0 起',
  'One byte range, `bytes=a-b`, `bytes=a-` or `bytes=-n`':
    '一个字节范围：`bytes=a-b`、`bytes=a-` 或 `bytes=-n`',
  'The range asked for (Content-Range)': '所请求的范围（`Content-Range`）',
  'No such message (`message_not_found`) or file (`attachment_not_found`)':
    '没有这条报文（`message_not_found`）或这个附件（`attachment_not_found`）',
  'The file has not arrived from the sender (`attachment_not_ready`)':
    '附件尚未从发送方到达（`attachment_not_ready`）',
  'This node keeps no case files (`attachments_unavailable`)':
    '本节点不保存附件（`attachments_unavailable`）',
  'Fetch the files of a received message again, after the transfer died or refused a file':
    '附件传输失败或拒收某个附件后，重新取回收到的报文的附件',
  'Files that arrived are kept; refused ones are fetched afresh, and the local deliveries held for the message are released once all arrived. Fix the sender’s side first.':
    '已到达的附件保留；被拒收的重新取回，全部到达后放行该报文被暂扣的本地投递。请先让发送方修复问题。',
  'Only the transfer from this sender': '只处理来自该发送方的传输',
  'No transfer of this message died or refused a file (`transfer_not_requeueable`)':
    '该报文没有失败或拒收附件的传输（`transfer_not_requeueable`）',
  'Download a case file of a message (admin, auditor)': '下载报文的附件（管理员、审计员）',
  'The file as the admin API serves it (`Content-Disposition: attachment` with the name as written, `nosniff`, one byte range on request). Needs the session cookie; a cross-site request is refused. Every download, and every refusal, is recorded in the audit log.':
    '与管理接口提供的文件相同（`Content-Disposition: attachment` 及原样的文件名、`nosniff`，可请求一个字节范围）。需要会话 Cookie；跨站请求被拒绝。每次下载和每次拒绝都记入审计日志。',
  'The file': '该文件',
  'Fetch the files of a received message again after the transfer died or refused a file (admin, operator)':
    '附件传输失败或拒收某个附件后，重新取回收到的报文的附件（管理员、运维员）',
};
