/**
 * 简体中文 of the OpenAPI texts of the public routes (document, tags, well-known, exchange,
 * operations, security schemes), keyed by the English text they translate. Terms: docs/glossary.md.
 */
export const PUBLIC_ZH: Readonly<Record<string, string>> = {
  // The document and its tags
  'Yangtze River Delta exchange gateway': '长三角协同监管交换网关',
  'Signed, translated, reliable cooperation messages between the supervision systems of the Delta’s cities. Local systems send in their own dialect; partner nodes exchange compact JWS with signed receipts. Errors are RFC 9457 problem+json with a stable `code`. On every route, a URL whose path or query decodes to NUL, a lone surrogate or invalid UTF-8 is refused with 400 `text_invalid`, as is such text in any body; a client that hangs up before its body is complete gets 400 `request_aborted`.':
    '在长三角各城市监管系统之间传递经过签名、转换且可靠送达的协作报文。本地系统用自己的方言发送；伙伴节点之间交换紧凑 JWS，并以签名回执确认。错误应答为 RFC 9457 problem+json，带稳定的 `code`。在任何路由上，路径或查询解码后含 NUL、孤立代理项或无效 UTF-8 的 URL 一律以 400 `text_invalid` 拒绝，请求体中出现此类文字也是如此；请求体未传完就断开连接的客户端得到 400 `request_aborted`。',
  'Public documents of this node, for partners.': '本节点的公开文档，供伙伴节点使用。',
  'Sending to partner nodes (local systems, API key), receiving from them (signed JWS), and pulling received messages.':
    '向伙伴节点发送报文（本地系统，凭 API 密钥）、接收伙伴节点的报文（签名的 JWS），以及拉取已收到的报文。',
  'The admin API: contract versions, partners, keys, messages, threads and dead letters. Every request is authenticated (`adminBearer`), rate-limited and recorded in the audit log; each operation lists the roles allowed (`x-yrdx-roles`). Every answer, refusals included, carries `Cache-Control: no-store`.':
    '管理接口：契约版本、伙伴、密钥、报文、协作事项和死信。每个请求都经过认证（`adminBearer`）、限流并记入审计日志；每个操作列出允许的角色（`x-yrdx-roles`）。每个应答（包括拒绝）都带 `Cache-Control: no-store`。',
  'The admin console: server-rendered HTML pages for a browser (see docs/console.md).':
    '管理控制台：服务端生成的 HTML 页面，供浏览器使用（见 docs/console.zh-CN.md）。',
  'Health, readiness, metrics and this API description.': '存活、就绪、指标和本接口说明。',
  // Security schemes
  'The API key of a local system of this city. The node stores only its SHA-256; what the system may send and receive is set in the node configuration.':
    '本城市一个本地系统的 API 密钥。节点只保存其 SHA-256；该系统可以发送和接收什么，在节点配置中设定。',
  'A credential of the admin API (`/admin/v1`), which is off unless credentials are configured. Each credential has one role: `admin` (everything), `operator` (reads the node’s state, requeues dead letters, suspends partners) or `auditor` (reads messages and threads). Each operation lists the roles allowed in `x-yrdx-roles`.':
    '管理接口（`/admin/v1`）的管理凭证；未配置管理凭证时管理接口关闭。每个管理凭证有一个角色：`admin` 管理员（全部操作）、`operator` 运维员（查看节点状态、重新投递死信、暂停伙伴）或 `auditor` 审计员（查看报文和协作事项）。每个操作在 `x-yrdx-roles` 中列出允许的角色。',
  // Well-known
  'The public keys of this node (next, active, and retired keys still published)':
    '本节点的公钥（下一密钥、签名密钥，以及仍在公布的已停用密钥）',
  'A JWKS': 'JWKS 公钥集',
  'Not modified (`If-None-Match` matched the ETag)': '未修改（`If-None-Match` 与 ETag 相符）',
  'This node: id, name, domains, accepted contracts, algorithms, keys and endpoints':
    '本节点：编号、名称、业务领域、接受的契约、算法、密钥和端点',
  'The node document': '节点文档',
  // Exchange: local systems
  'Send a message to partner nodes, written in the local system’s dialect':
    '向伙伴节点发送报文，用本地系统的方言书写',
  'Translated to the canonical form of the domain’s active contract (both validated), sealed as a compact JWS and stored before 202 is answered; delivery follows with retries.':
    '转换为该业务领域在用契约的规范模型（两者都经过校验），签封为紧凑 JWS 并存储后才回答 202；随后投递，失败时重试。',
  'Same key and same body: the stored message (its id, thread, recipients and current status) is returned; another body: 409':
    '相同的键和相同的请求体：返回已存储的报文（编号、协作事项、收件方和当前状态）；请求体不同：409',
  'W3C Trace Context. The trace id travels with the message to the partner and its local system, with a new parent id on each hop; an invalid value starts a new trace.':
    'W3C 跟踪上下文。跟踪编号随报文传到伙伴节点及其本地系统，每一跳使用新的父编号；无效的值开启新的跟踪。',
  'Echoed in the response and written in every log line of the request; made up when absent.':
    '在应答中原样返回，并写入该请求的每一行日志；缺少时由节点生成。',
  'Stored and queued for delivery': '已存储，排队等待投递',
  'The body is not JSON (`body_invalid`), nested too deeply (`body_too_deep`) or holds NUL or a lone surrogate (`text_invalid`)':
    '请求体不是 JSON（`body_invalid`）、嵌套过深（`body_too_deep`），或含 NUL 或孤立代理项（`text_invalid`）',
  'The API key is missing or not accepted (`auth_required`, `auth_invalid`)':
    '缺少 API 密钥或密钥不被接受（`auth_required`、`auth_invalid`）',
  'The local system may not send this domain or type (`not_authorised`)':
    '该本地系统无权发送此业务领域或报文类型（`not_authorised`）',
  'The Idempotency-Key was used with another body (`idempotency_conflict`)':
    '该 Idempotency-Key 已用于另一个请求体（`idempotency_conflict`）',
  'The body is too large (`body_too_large`)': '请求体过大（`body_too_large`）',
  'Not application/json': '不是 application/json',
  'The body does not fit the contract, no contract or partner applies, or a reply goes to another partner than the counterpart of its thread (`reply_thread_mismatch`)':
    '请求体不符合契约、没有适用的契约或伙伴，或者回复发往的伙伴不是其协作事项的对方（`reply_thread_mismatch`）',
  'Over the rate limit of the local system, or of the address without a valid API key (`rate_limited`)':
    '超过该本地系统的限额，或超过无有效 API 密钥的来源地址的限额（`rate_limited`）',
  'Seconds to wait': '需等待的秒数',
  'The delivery status and history of a message this local system sent': '该本地系统所发报文的投递状态和历史',
  'The message': '报文',
  'No such message of this local system (`message_not_found`)':
    '该本地系统没有这条报文（`message_not_found`）',
  // Exchange: partner nodes
  'A partner node delivers a signed message; answered with a signed receipt':
    '伙伴节点投递一条签名报文；以签名回执应答',
  'The body is a compact JWS signed with a key pinned for the sender; its payload carries the canonical body of a contract this node accepts. No HTTP credentials: the signature authenticates the sender.':
    '请求体是紧凑 JWS，用为发送方登记的密钥签名；其载荷是本节点接受的契约的规范模型正文。无需 HTTP 凭证：签名即认证发送方。',
  'Compact JWS': '紧凑 JWS',
  'Accepted: the signed receipt (also for a retry of the same bytes)':
    '已接受：签名回执（相同字节的重试也得到它）',
  'Compact JWS receipt': '紧凑 JWS 回执',
  'The JWS or its claims are invalid, or a string of its payload holds NUL or a lone surrogate (`text_invalid`)':
    'JWS 或其声明无效，或载荷中的字符串含 NUL 或孤立代理项（`text_invalid`）',
  'The signature does not verify or the key is unknown': '签名验证失败或密钥未知',
  'The sender may not send this domain or type': '发送方无权发送此业务领域或报文类型',
  'Other bytes under a message id already received (`jws_replayed`)':
    '已收到的报文编号对应了不同的字节（`jws_replayed`）',
  'The token is too large': '令牌过大',
  'Not application/jose': '不是 application/jose',
  'The body does not fit the contract, or the contract is not accepted (never for what a local system’s dialect cannot carry: that is accepted and named in the receipt’s `losses`)':
    '正文不符合契约，或不接受该契约（本地系统方言无法承载的内容不在此列：那些照常接受，并在回执的 `losses` 中列出）',
  'Over the rate limit of the address, or of the partner once the signature verifies (`rate_limited`)':
    '超过来源地址的限额，或签名验证通过后超过该伙伴的限额（`rate_limited`）',
  // Exchange: pull mode
  'Received messages for a pull-mode local system, in its dialect, oldest first':
    '拉取模式本地系统收到的报文，用其方言书写，最早的在前',
  'A cursor from an earlier page': '上一页给出的游标',
  'A page': '一页',
  'The cursor is invalid (`pull_cursor_invalid`)': '游标无效（`pull_cursor_invalid`）',
  'The canonical document of a message delivered to this local system (push or pull)':
    '投递给该本地系统的报文的规范模型文档（推送或拉取）',
  'Everything its dialect could not carry is here; the push headers `X-Yrdx-Losses` (count), `X-Yrdx-Lost` (JSON array of canonical pointers, ASCII, at most 4096 bytes) and `Link: <…/canonical>; rel="canonical"` and the pull items’ `losses` say what that is.':
    '其方言无法承载的全部内容都在这里；推送请求头 `X-Yrdx-Losses`（个数）、`X-Yrdx-Lost`（规范模型 JSON 指针的 JSON 数组，ASCII，至多 4096 字节）和 `Link: <…/canonical>; rel="canonical"`，以及拉取条目的 `losses`，说明缺了什么。',
  'The canonical message': '规范模型报文',
  'No such message for this local system, or its payload was removed after retention (`message_not_found`)':
    '该本地系统没有这条报文，或其内容已过保留期被删除（`message_not_found`）',
  'Acknowledge every pulled message up to and including a cursor': '确认截至某游标（含）的全部已拉取报文',
  'How many were acknowledged': '确认的条数',
  'The cursor is invalid': '游标无效',
  // Operations
  'Liveness: the process answers': '存活：进程有应答',
  'Always, while the process runs': '进程运行期间总是如此',
  'Readiness: store reachable, active signing key loaded, contracts loaded':
    '就绪：存储可达、签名密钥已加载、契约已加载',
  'Ready to take traffic': '可以接收流量',
  'Not ready (`not_ready`); `errors` names each component that is not':
    '未就绪（`not_ready`）；`errors` 列出每个未就绪的组件',
  'Prometheus metrics (text exposition format 0.0.4); see docs/operations.md':
    'Prometheus 指标（文本格式 0.0.4）；见 docs/operations.zh-CN.md',
  'Counters, gauges and histograms of this node': '本节点的计数器、仪表和直方图',
  'This OpenAPI 3.1 document': '本 OpenAPI 3.1 文档',
  'The document': '文档',
  'This document as a self-contained HTML page': '本文档的自包含 HTML 页面',
  HTML: 'HTML 页面',
  // Case files
  'Case files: tus 1.0 uploads by local systems, transfers between nodes (pulled by the recipient with a signed grant, resumable by range, checked against the signed digest), files receipts and downloads.':
    '附件（案件材料）：本地系统以 tus 1.0 协议上传；节点之间传输（由接收方凭其签名的授权拉取，可按字节范围续传，并按签名中的摘要校验）；附件回执与下载。',
  'What the tus server supports': 'tus 服务支持的功能',
  'Tus-Version, Tus-Extension (creation, creation-with-upload, termination, expiration, checksum) and Tus-Max-Size':
    '`Tus-Version`、`Tus-Extension`（`creation`、`creation-with-upload`、`termination`、`expiration`、`checksum`）和 `Tus-Max-Size`',
  'The tus version, 1.0.0': 'tus 协议版本：1.0.0',
  'The extensions supported': '支持的扩展',
  'The largest file accepted, bytes': '可接受的最大文件（字节）',
  'Create an upload (tus 1.0 creation), optionally with its first bytes':
    '创建上传（tus 1.0 creation），可同时带上开头的字节',
  'Upload-Metadata carries the file name (`filename`, required), the declared type (`filetype`) and the expected digest (`sha256` or `sm3`, the node’s algorithm), each Base64 UTF-8. The content is checked as it arrives: its format, read from the bytes, must be allowed and match the name and declared type. A finished upload is referenced in POST /v1/messages as `attachments: [{upload: id}]`.':
    '`Upload-Metadata` 携带文件名（`filename`，必填）、声明的类型（`filetype`）和预期摘要（`sha256` 或 `sm3`，须为本节点的算法），均为 UTF-8 文本的 Base64。内容边到达边检查：按字节内容判断的格式必须在允许之列，并与文件名和声明的类型相符。完成的上传在 `POST /v1/messages` 中以 `attachments: [{upload: id}]` 引用。',
  'The tus version: 1.0.0 only': 'tus 协议版本：只支持 1.0.0',
  'The whole length': '总长度',
  'Comma-separated `key Base64(value)` pairs': '以逗号分隔的 `key Base64(value)` 键值对',
  'Created; Location names the upload': '已创建；`Location` 指向该上传',
  'Where the upload is: `/v1/uploads/{id}`': '上传的地址：`/v1/uploads/{id}`',
  'Bytes held durably': '已持久保存的字节数',
  'When an unfinished or unused upload is discarded (HTTP date)':
    '未完成或未被引用的上传何时被丢弃（HTTP 日期）',
  'A tus header is invalid (`upload_header_invalid`)': 'tus 请求头无效（`upload_header_invalid`）',
  'Not tus 1.0.0 (`tus_version_unsupported`)': '不是 tus 1.0.0（`tus_version_unsupported`）',
  'Over the size limit of one file (`attachment_too_large`)':
    '超过单个附件的大小上限（`attachment_too_large`）',
  'The content’s format is not allowed (`attachment_type_refused`) or differs from the name or declared type (`attachment_type_mismatch`)':
    '内容的格式不被允许（`attachment_type_refused`），或与文件名、声明的类型不符（`attachment_type_mismatch`）',
  'The file name is not allowed (`attachment_name_invalid`), or the bytes differ from the expected digest (`attachment_digest_mismatch`)':
    '文件名不被允许（`attachment_name_invalid`），或内容与预期摘要不符（`attachment_digest_mismatch`）',
  'This node keeps no case files (`attachments_unavailable`): no files folder or R2 binding':
    '本节点不保存附件（`attachments_unavailable`）：没有 files 文件夹或 R2 绑定',
  'How many bytes of an upload are held (to resume it)': '上传已保存了多少字节（用于续传）',
  'The upload id (from Location)': '上传 ID（取自 `Location`）',
  'The offset': '偏移量',
  'No such upload of this local system (`upload_not_found`)': '本地系统没有这个上传（`upload_not_found`）',
  'Append bytes at the upload’s offset': '在上传的偏移量处追加字节',
  'The bytes are kept durably before 204 is answered. When the last byte arrives the file is digested and checked; a refusal discards the upload.':
    '字节持久保存后才应答 204。最后一个字节到达时计算摘要并检查文件；被拒绝时丢弃整个上传。',
  'The offset the bytes start at: what HEAD answered': '这些字节的起始偏移量：即 `HEAD` 的应答',
  'A checksum of this request’s bytes (tus checksum extension)':
    '本次请求字节的校验值（tus 的 `checksum` 扩展）',
  'Appended; Upload-Offset is the new offset': '已追加；`Upload-Offset` 为新的偏移量',
  'The offset is not the one held (`upload_offset_mismatch`)':
    '偏移量与已保存的不一致（`upload_offset_mismatch`）',
  'More bytes than Upload-Length (`attachment_too_large`)':
    '字节数超过 `Upload-Length`（`attachment_too_large`）',
  'Not application/offset+octet-stream (`unsupported_media_type`), or the content’s format is refused (`attachment_type_refused`, `attachment_type_mismatch`)':
    '不是 `application/offset+octet-stream`（`unsupported_media_type`），或内容的格式被拒绝（`attachment_type_refused`、`attachment_type_mismatch`）',
  'The bytes differ from the expected digest (`attachment_digest_mismatch`)':
    '内容与预期摘要不符（`attachment_digest_mismatch`）',
  'Discard an upload (tus termination)': '丢弃上传（tus termination）',
  Discarded: '已丢弃',
  'Bytes are being appended to it now (`upload_offset_mismatch`)':
    '正在向它追加字节（`upload_offset_mismatch`）',
  'A recipient node pulls a file of a message sent to it': '接收节点拉取发给它的报文中的一个附件',
  'Authorization: Bearer with a grant: a short-lived JWS (typ `yrdx-grant+jwt`) the recipient node signs, bound to the message, the recipient and the file’s digest. No API key: the signature authenticates the recipient.':
    '`Authorization: Bearer` 携带授权：接收节点签名的短期 JWS（typ 为 `yrdx-grant+jwt`），绑定报文、接收方和附件摘要。不用 API 密钥：签名即证明接收方身份。',
  'The file’s position in the message’s signed attachments claim, from 0':
    '附件在报文已签名的 `attachments` 声明中的位置，从 0 起',
  '`Bearer` and the grant': '`Bearer` 加授权',
  'One byte range, `bytes=a-b`, `bytes=a-` or `bytes=-n` (to resume a download)':
    '一个字节范围：`bytes=a-b`、`bytes=a-` 或 `bytes=-n`（用于续传下载）',
  'The whole file': '整个文件',
  'With 206: the bytes served, `bytes a-b/size`': '应答 206 时：所给出的字节，`bytes a-b/size`',
  'Byte ranges are accepted: `bytes`': '接受字节范围：`bytes`',
  'The file’s kept digest, quoted': '附件的保存摘要，带引号',
  'The file’s kept digest: 64 hex (SHA-256) or `sm3:` and 64 hex':
    '附件的保存摘要：64 位十六进制（SHA-256），或 `sm3:` 加 64 位十六进制',
  'The range asked for': '所请求的范围',
  'The grant is missing, malformed, expired or not signed by a key pinned for the recipient (`attachment_grant_invalid`)':
    '授权缺失、格式错误、已过期，或不是用为接收方固定的密钥签名（`attachment_grant_invalid`）',
  'The grant is for another message, file, digest or recipient (`attachment_grant_mismatch`)':
    '授权针对的是另一条报文、另一个附件、另一个摘要或另一个接收方（`attachment_grant_mismatch`）',
  'No such file of this message (`attachment_not_found`)': '该报文没有这个附件（`attachment_not_found`）',
  'The range is outside the file or not a single range (`range_not_satisfiable`)':
    '范围超出文件，或不是单个范围（`range_not_satisfiable`）',
  'Over the rate limit of the address, or of the partner once the grant verifies (`rate_limited`)':
    '超过来源地址的限额，或授权验证通过后超过该伙伴的限额（`rate_limited`）',
  'A recipient node confirms (or refuses) the files of a message: its signed files receipt':
    '接收节点确认（或拒收）报文的附件：它签名的附件回执',
  'The body is a compact JWS the recipient signs once every file was fetched and checked against the signed digest, or one was refused. A later receipt of the same recipient replaces an earlier one.':
    '请求体是紧凑 JWS：接收方在取回全部附件并按签名中的摘要校验后，或在拒收某个附件后签名。同一接收方较晚签发的回执取代较早的回执。',
  'Stored (or the same receipt again)': '已保存（或为同一回执的重复提交）',
  'The JWS or its claims are invalid (`jws_claim_invalid` and others)':
    'JWS 或其声明无效（`jws_claim_invalid` 等）',
  'No such message with these files went to the recipient (`message_not_found`)':
    '没有带这些附件、发给该接收方的报文（`message_not_found`）',
  'The token is too large (`body_too_large`)': '令牌过大（`body_too_large`）',
  'Not application/jose (`unsupported_media_type`)': '不是 `application/jose`（`unsupported_media_type`）',
  'The files of a message delivered to this local system, as the sender signed them':
    '投递给本地系统的报文的附件，按发送方签名的内容列出',
  'A message with files is delivered (pushed or pullable) only once every file arrived and matched its signed digest.':
    '带附件的报文要等全部附件到达并与签名中的摘要相符后才投递（推送或可拉取）。',
  'The files': '附件列表',
  'No such message for this local system (`message_not_found`)':
    '本地系统没有这条报文（`message_not_found`）',
  'Download a file of a message delivered to this local system, whole or by range':
    '下载投递给本地系统的报文的附件，整个或按字节范围',
  'Served as data: its media type, Content-Disposition attachment with the name as written (RFC 8187), nosniff and a sandboxing CSP.':
    '作为数据提供：带其媒体类型、`Content-Disposition: attachment` 及原样的文件名（RFC 8187）、`nosniff` 和沙箱化的 CSP。',
  'No such message for this local system (`message_not_found`) or no such file (`attachment_not_found`)':
    '本地系统没有这条报文（`message_not_found`）或没有这个附件（`attachment_not_found`）',
  'The file has not arrived yet (`attachment_not_ready`)': '附件尚未到达（`attachment_not_ready`）',
  'An attachment names no finished upload of this local system (`upload_not_found`)':
    '某个附件引用的不是本地系统已完成的上传（`upload_not_found`）',
  'The Idempotency-Key was used with another body (`idempotency_conflict`), or an upload is unfinished (`upload_incomplete`)':
    '该 `Idempotency-Key` 已用于另一个请求体（`idempotency_conflict`），或某个上传尚未完成（`upload_incomplete`）',
  'The body is too large (`body_too_large`), or the files together are (`attachments_too_large`)':
    '请求体过大（`body_too_large`），或附件合计过大（`attachments_too_large`）',
};
