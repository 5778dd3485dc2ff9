import type { ProblemSpec } from './spec.js';

/**
 * Problems of case files (attachments): uploads by local systems (tus 1.0), their binding to a
 * message, the transfer between nodes (a grant signed by the recipient, ranges) and downloads. Each
 * refusal keeps nothing: an upload that breaks a rule is discarded, a transfer that fails its digest
 * delivers nothing.
 */
export const attachmentProblems = {
  attachments_unavailable: {
    status: 503,
    title: 'No storage for case files',
    zh: '本节点没有配置附件存储（Node 上为数据目录下的 files 文件夹，Workers 上为 R2 绑定 FILES），不能接收或上传附件。',
    en: 'This node has no storage for case files (on Node the files folder of the data directory, on Workers the R2 binding FILES), so it cannot take attachments.',
  },
  upload_not_found: {
    status: 404,
    title: 'Upload not found',
    zh: '找不到上传 {id}（不存在、已过期、已被删除，或不属于本地系统）。',
    en: 'The upload {id} does not exist (or expired, was deleted, or belongs to another local system).',
  },
  upload_offset_mismatch: {
    status: 409,
    title: 'Upload offset mismatch',
    zh: '上传 {id} 目前已保存 {offset} 字节，请求的 Upload-Offset 为 {given}：请先用 HEAD 查询偏移量再续传。',
    en: 'The upload {id} holds {offset} bytes but the request says Upload-Offset {given}: ask with HEAD, then resume.',
  },
  upload_incomplete: {
    status: 409,
    title: 'Upload not finished',
    zh: '上传 {id} 尚未完成（已收到 {offset} / {length} 字节），不能作为附件引用。',
    en: 'The upload {id} is not finished ({offset} of {length} bytes) and cannot be referenced as an attachment.',
  },
  uploads_too_many: {
    status: 429,
    title: 'Too many unfinished uploads',
    zh: '本地系统有 {count} 个未完成的上传，尚未发送的上传共 {bytes} 字节；再创建一个（{length} 字节）将超过上限（未完成的 {limit} 个、共 {byteLimit} 字节）：请先完成、发送或删除（DELETE）已有的上传，或等待其过期。',
    en: 'The local system has {count} unfinished uploads, and its uploads not yet sent hold {bytes} bytes; one more ({length} bytes) would exceed the limit ({limit} unfinished, {byteLimit} bytes in all): finish, send or DELETE the uploads it has, or wait until they expire.',
  },
  upload_header_invalid: {
    status: 400,
    title: 'Invalid upload header',
    zh: '上传请求头 {header} 无效：{reason}',
    en: 'The upload header {header} is invalid: {reason}',
  },
  tus_version_unsupported: {
    status: 412,
    title: 'tus version not supported',
    zh: '本节点只支持 tus 协议 1.0.0（请求的 Tus-Resumable 为 {given}）。',
    en: 'This node supports tus 1.0.0 only (the request says Tus-Resumable {given}).',
  },
  attachment_too_large: {
    status: 413,
    title: 'Attachment too large',
    zh: '附件 {name} 为 {size} 字节，超过单个附件的上限 {limit} 字节。',
    en: 'The attachment {name} has {size} bytes, over the limit of {limit} bytes per file.',
  },
  attachments_too_large: {
    status: 413,
    title: 'Attachments too large for one message',
    zh: '报文的附件共 {size} 字节（{count} 个），超过每条报文的上限 {limit} 字节。',
    en: 'The message’s {count} attachments hold {size} bytes, over the limit of {limit} bytes per message.',
  },
  attachment_type_refused: {
    status: 415,
    title: 'File type not allowed',
    zh: '附件 {name} 的内容是 {detected}，不在本节点允许的附件格式（{allowed}）之内。',
    en: 'The content of attachment {name} is {detected}, which is not among the formats this node allows ({allowed}).',
  },
  attachment_type_mismatch: {
    status: 415,
    title: 'File content differs from its type',
    zh: '附件 {name} 声称为 {declared}，但内容是 {detected}：按内容判断的格式与声明的类型或扩展名不符。',
    en: 'The attachment {name} claims to be {declared} but its content is {detected}: the format read from the content does not match the declared type or extension.',
  },
  attachment_name_invalid: {
    status: 422,
    title: 'Invalid file name',
    zh: '附件文件名无效：{reason}',
    en: 'The attachment’s file name is invalid: {reason}',
  },
  attachment_digest_mismatch: {
    status: 422,
    title: 'Attachment digest mismatch',
    zh: '附件 {name} 的内容与签名中的摘要不符（应为 {expected}，实际为 {actual}），已丢弃，未交付。',
    en: 'The content of attachment {name} does not match the signed digest (expected {expected}, got {actual}); it was discarded and not delivered.',
  },
  attachment_size_mismatch: {
    status: 422,
    title: 'Attachment size mismatch',
    zh: '附件 {name} 的长度与声明不符（应为 {expected} 字节，收到 {actual} 字节），已丢弃，未交付。',
    en: 'The attachment {name} does not have its declared size ({expected} bytes expected, {actual} received); it was discarded and not delivered.',
  },
  attachment_not_found: {
    status: 404,
    title: 'Attachment not found',
    zh: '报文 {messageId} 没有第 {index} 个附件，或其内容已按保存期限删除。',
    en: 'Message {messageId} has no attachment {index}, or its content was removed after retention.',
  },
  attachment_not_ready: {
    status: 409,
    title: 'Attachment not yet received',
    zh: '报文 {messageId} 的附件 {index} 尚未完整接收并通过摘要校验。',
    en: 'Attachment {index} of message {messageId} has not yet arrived whole and passed its digest check.',
  },
  attachment_grant_invalid: {
    status: 401,
    title: 'Invalid attachment grant',
    zh: '附件下载授权无效：{reason}',
    en: 'The attachment grant is invalid: {reason}',
  },
  attachment_grant_mismatch: {
    status: 403,
    title: 'Grant for another attachment',
    zh: '该授权不适用于此附件：它绑定的是报文 {grantMessage}、收件节点 {grantRecipient}、摘要 {grantDigest}。',
    en: 'This grant is not for this attachment: it is bound to message {grantMessage}, recipient {grantRecipient} and digest {grantDigest}.',
  },
  transfer_not_requeueable: {
    status: 409,
    title: 'No transfer to requeue',
    zh: '报文 {id} 的附件传输既未失败（死信）也未拒收任何附件（或该报文没有从伙伴收到的附件），无需重新排队。',
    en: 'The transfer of the files of message {id} neither died nor refused a file (or the message has no files from a partner); there is nothing to requeue.',
  },
  range_not_satisfiable: {
    status: 416,
    title: 'Range not satisfiable',
    zh: '请求的字节范围 {range} 不在附件（{size} 字节）之内，或格式不受支持（只支持单个范围 bytes=a-b）。',
    en: 'The requested range {range} is outside the attachment ({size} bytes) or not supported (a single range bytes=a-b only).',
  },
} as const satisfies Record<string, ProblemSpec>;
