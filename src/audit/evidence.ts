import { receiptDigest } from '../envelope/claims.js';
import { splitCompact } from '../envelope/compact.js';
import {
  type Digester,
  digestAlgorithmOf,
  digestMatches,
  type Sha256,
  sha256Hex,
} from '../envelope/digest.js';
import { parseJsonObjectPart, parseProtectedHeader } from '../envelope/header.js';
import { DEFAULT_POLICY, MESSAGE_TYP, RECEIPT_TYP } from '../envelope/policy.js';
import type { PublicJwk } from '../envelope/verification-key.js';
import { verifySignature } from '../envelope/verify-compact.js';
import { isYrdxError, YrdxError } from '../errors/errors.js';
import { describeKeyFault, importVerificationKey } from '../keys/jwk.js';
import { type AuditEntry, type ChainPoint, type DigestRun, verifyChain } from '../store/audit-chain.js';
import {
  checkFilesReceipts,
  type EvidenceFile,
  evidenceFilePath,
  type IncludedFile,
  signedFiles,
} from './evidence-files.js';

export const EVIDENCE_FORMAT = 'yrdx-evidence/1';

/** A public key in a bundle, with the node that owns it. */
export interface EvidenceKey {
  readonly owner: string;
  readonly jwk: PublicJwk;
}

/**
 * An evidence bundle: everything needed to show, offline, that a message was sent or received and
 * acknowledged, and where it stands in the exporting node's audit log. Written as JSON (two-space
 * indentation, members in this order, a final newline) and verified byte for byte.
 */
export interface EvidenceBundle {
  readonly format: typeof EVIDENCE_FORMAT;
  /** The node whose audit log the chain proof comes from. */
  readonly node: string;
  readonly messageId: string;
  /** Unix ms. */
  readonly exportedAt: number;
  /** The message JWS; without `token` when retention removed it (`purgedAt`). */
  readonly message: { readonly sha256: string; readonly token?: string; readonly purgedAt?: number };
  readonly receipts: readonly { readonly sha256: string; readonly token: string }[];
  /**
   * The files receipts (`yrdx-files+jwt`) of a message with case files, as the log recorded them: at
   * the sender, the latest of each recipient; at a recipient, the one it signed. Absent when none.
   */
  readonly filesReceipts?: readonly { readonly sha256: string; readonly token: string }[];
  /**
   * The files whose bytes lie beside the bundle (exported `--with-files`, in a folder with
   * `evidence.json`): index and path (`files/<index>.<ext>`, see `evidenceFilePath`). Absent when none.
   */
  readonly files?: readonly IncludedFile[];
  /** The public keys that verify the message, the receipts and the files receipts. */
  readonly keys: readonly EvidenceKey[];
  /**
   * The run of the audit log from the message's first entry up to the head at export time. The
   * entries of the message are those of the run with its `messageId`.
   */
  readonly chain: { readonly entries: readonly AuditEntry[]; readonly head: ChainPoint };
  /**
   * The digest of the bundle's other members as compact JSON, in this order, in the kept form
   * (envelope/digest.ts): SHA-256 hex, or `sm3:` and hex from a node of the national profile. Every
   * digest in a bundle names its algorithm and is checked by it.
   */
  readonly digest: string;
}

/** The bundle as written to a file (its digest by `digest`, in the kept form): the only form `verifyEvidence` accepts. */
export async function writeEvidence(bundle: Omit<EvidenceBundle, 'digest'>, digester: Digester = sha256Hex) {
  const digest = await digester(JSON.stringify(bundle));
  return `${JSON.stringify({ ...bundle, digest }, null, 2)}\n`;
}

export interface EvidenceReport {
  readonly node: string;
  readonly messageId: string;
  readonly direction: 'outbound' | 'inbound';
  /** The message's payload was removed after retention; its digest is still proven. */
  readonly purged: boolean;
  readonly receipts: number;
  readonly entries: number;
  readonly head: ChainPoint;
  readonly keys: readonly { readonly owner: string; readonly kid: string; readonly thumbprint: string }[];
  /** The digest algorithms of the chain proof, run by run (a new run starts at a mark). */
  readonly digests: readonly DigestRun[];
  /**
   * Receipts that name the message's digest by another algorithm than the one the bundle keeps (a
   * partner of the other profile), when the message's bytes were removed after retention: signed,
   * and in the log, but their digest can no longer be compared with the message's.
   */
  readonly unmatchedReceipts: number;
  /** Files receipts in the bundle, each checked (signature, message, recipient, files, audit entry). */
  readonly filesReceipts: number;
  /** Files-receipt entries of the log whose receipt a later one replaced in the store (not bundled). */
  readonly unbundledFilesReceipts: number;
  /** The files the message signed (none known once its payload was removed), with `path` when included. */
  readonly files: readonly EvidenceFile[];
}

function invalid(reason: string, reasonZh: string, cause?: unknown): YrdxError {
  return new YrdxError('evidence_invalid', { params: { reason: { zh: reasonZh, en: reason } }, cause });
}

/**
 * Verifies an evidence bundle with nothing but its own text: the exact form it was written in, its
 * digest, the chain proof (every hash recomputed by the algorithm it names, the run ending at the
 * head), the signatures of the message and the receipts with the bundled keys, that each receipt
 * acknowledges the message's digest, and that the log's entries for the message name exactly the
 * bundled tokens. Every digest is checked by the algorithm it names (SHA-256 or SM3); `sha256` is the
 * SHA-256 to use.
 */
export async function verifyEvidence(text: string, sha256: Sha256 = sha256Hex): Promise<EvidenceReport> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw invalid('it is not JSON', '它不是 JSON 文件', cause);
  }
  if (`${JSON.stringify(parsed, null, 2)}\n` !== text)
    throw invalid(
      'it is not byte for byte in the form yrdx writes (edited?)',
      '其字节与 yrdx 写出的格式不一致（是否被编辑过？）',
    );
  const bundle = shape(parsed);
  const { digest, ...rest } = bundle;
  if (!(await digestMatches(digest, JSON.stringify(rest), sha256)))
    throw invalid('its digest does not match its contents', '其摘要与内容不符');

  // The chain proof: an unbroken run that starts at an entry of the message and ends at the head.
  const entries = bundle.chain.entries;
  const first = entries[0];
  if (first === undefined || first.messageId !== bundle.messageId)
    throw invalid(
      'the chain proof does not start at an entry of the message',
      '链证明不是从该报文的审计记录开始',
    );
  const verdict = await verifyChain(entries, sha256, { seq: first.seq - 1, hash: first.prev });
  if (!verdict.ok)
    throw invalid(
      `the chain proof is broken at entry ${verdict.broken.seq}: ${verdict.broken.reason}`,
      `链证明在第 ${verdict.broken.seq} 条记录处断裂`,
    );
  if (verdict.last.seq !== bundle.chain.head.seq || verdict.last.hash !== bundle.chain.head.hash)
    throw invalid('the chain proof does not end at the stated head', '链证明没有结束于所声明的链头');

  // The tokens, each against its digest and its signature.
  const own = entries.filter((e) => e.messageId === bundle.messageId);
  const messageEntry = own.find((e) => e.kind === 'message-out' || e.kind === 'message-in');
  if (messageEntry === undefined || messageEntry.sha256 !== bundle.message.sha256)
    throw invalid('no audit entry records the message’s digest', '没有审计记录登记该报文的摘要');
  const direction = messageEntry.kind === 'message-out' ? 'outbound' : 'inbound';
  const keys = new Map<string, Awaited<ReturnType<typeof importVerificationKey>>>();
  for (const { owner, jwk } of bundle.keys) {
    const fault = describeKeyFault(jwk, 'public');
    if (fault !== undefined)
      throw invalid(
        `the key ${jwk.kid} of ${owner} is unusable: ${fault.en}`,
        `所附公钥 ${jwk.kid} 不可用：${fault.zh}`,
      );
    keys.set(`${owner} ${jwk.kid}`, await importVerificationKey(jwk, owner));
  }
  const check = async (token: string, declared: string, typ: string, what: string, whatZh: string) => {
    if (!(await digestMatches(declared, token, sha256)))
      throw invalid(`the ${what}’s digest is not that of its token`, `${whatZh}的摘要与其令牌不符`);
    try {
      const parts = splitCompact(token, DEFAULT_POLICY.maxTokenBytes);
      const header = parseProtectedHeader(parts.header);
      if (header.typ !== typ)
        throw invalid(`the ${what} is not of type ${typ}`, `${whatZh}的类型不是 ${typ}`);
      const payload = parseJsonObjectPart(parts.payload, 'payload', DEFAULT_POLICY.maxJsonDepth);
      const key = keys.get(`${String(payload.iss)} ${header.kid}`);
      if (key === undefined)
        throw invalid(
          `the bundle has no key ${header.kid} of ${String(payload.iss)} for the ${what}`,
          `证据包中缺少验证${whatZh}所需的公钥`,
        );
      await verifySignature(parts, header, key, DEFAULT_POLICY.algorithms);
      return payload;
    } catch (error) {
      if (isYrdxError(error) && error.code === 'evidence_invalid') throw error;
      const detail = isYrdxError(error) ? error.detail('en') : String(error);
      throw invalid(`the ${what} does not verify: ${detail}`, `${whatZh}的签名校验未通过`, error);
    }
  };

  let aud: readonly string[] | undefined;
  let sender: string | undefined;
  let files: readonly EvidenceFile[] = [];
  if (bundle.message.token !== undefined) {
    const claims = await check(bundle.message.token, bundle.message.sha256, MESSAGE_TYP, 'message', '报文');
    if (claims.jti !== bundle.messageId) throw invalid('the message has another id', '报文编号不符');
    sender = String(claims.iss);
    const signed = signedFiles(claims);
    if (signed === undefined)
      throw invalid('the message’s attachments claim is malformed', '报文的附件声明格式不对');
    files = signed;
    aud =
      typeof claims.aud === 'string'
        ? [claims.aud]
        : Array.isArray(claims.aud)
          ? (claims.aud as string[])
          : [];
  } else if (bundle.message.purgedAt === undefined) {
    throw invalid('the message token is missing', '缺少报文令牌');
  }
  const receiptEntries = own.filter((e) => e.kind === 'receipt-in' || e.kind === 'receipt-out');
  let unmatchedReceipts = 0;
  for (const receipt of bundle.receipts) {
    const claims = await check(receipt.token, receipt.sha256, RECEIPT_TYP, 'receipt', '回执');
    const acknowledged = await acknowledges(claims, bundle.message, sha256);
    if (claims.messageId !== bundle.messageId || acknowledged === false)
      throw invalid('a receipt does not acknowledge this message’s digest', '回执确认的不是该报文的摘要');
    if (acknowledged === undefined) unmatchedReceipts++;
    if (aud !== undefined && !aud.includes(String(claims.iss)))
      throw invalid('a receipt comes from a node that was not a recipient', '回执来自非收件节点');
    if (!receiptEntries.some((e) => e.sha256 === receipt.sha256))
      throw invalid('a receipt has no audit entry', '回执没有对应的审计记录');
  }
  if (receiptEntries.some((e) => !bundle.receipts.some((r) => r.sha256 === e.sha256)))
    throw invalid(
      'a receipt recorded in the audit log is missing from the bundle',
      '审计日志登记的回执不在证据包中',
    );

  const filesCheck = await checkFilesReceipts(bundle.filesReceipts ?? [], {
    messageId: bundle.messageId,
    own,
    ...(sender === undefined || aud === undefined ? {} : { message: { iss: sender, aud, files } }),
    check,
  });
  if (filesCheck.fault !== undefined) throw invalid(filesCheck.fault.en, filesCheck.fault.zh);
  files = included(files, bundle.files ?? []);

  return {
    node: bundle.node,
    messageId: bundle.messageId,
    direction,
    purged: bundle.message.token === undefined,
    receipts: bundle.receipts.length,
    entries: entries.length,
    head: bundle.chain.head,
    keys: [...keys.values()].map((k) => ({ owner: k.owner, kid: k.kid, thumbprint: k.thumbprint })),
    digests: verdict.digests,
    unmatchedReceipts,
    filesReceipts: bundle.filesReceipts?.length ?? 0,
    unbundledFilesReceipts: filesCheck.unbundled,
    files,
  };
}

/** The signed files with the paths of those the bundle includes, each a signed file at its own path, once. */
function included(files: readonly EvidenceFile[], listed: readonly IncludedFile[]): EvidenceFile[] {
  const seen = new Set<number>();
  for (const f of listed) {
    const file = files.find((s) => s.index === f.index);
    if (file === undefined || seen.has(f.index) || f.path !== evidenceFilePath(file.index, file.name))
      throw invalid(
        `the bundle lists a file the message did not sign, or at another path (${String(f.path).slice(0, 40)})`,
        '证据包所列的附件不是报文签名的附件，或路径不符',
      );
    seen.add(f.index);
  }
  return files.map((file) => {
    const f = listed.find((l) => l.index === file.index);
    return f === undefined ? file : { ...file, path: f.path };
  });
}

/**
 * Whether a receipt's digest (its `sha256` or `sm3` claim) is that of the bundled message: equal to
 * the kept digest, or, when the receipt's recipient used the other algorithm, the digest of the
 * message's bytes by the receipt's algorithm. Undefined when that cannot be told: another algorithm
 * and the bytes removed after retention.
 */
async function acknowledges(
  claims: Record<string, unknown>,
  message: EvidenceBundle['message'],
  sha256: Sha256,
): Promise<boolean | undefined> {
  const named = { sha256: claims.sha256, sm3: claims.sm3 } as { sha256?: string; sm3?: string };
  if (typeof named.sha256 !== 'string' && typeof named.sm3 !== 'string') return false;
  const digest = receiptDigest(named);
  if (digestAlgorithmOf(digest) === undefined) return false;
  if (digest === message.sha256) return true;
  if (message.token !== undefined) return digestMatches(digest, message.token, sha256);
  return digestAlgorithmOf(digest) === digestAlgorithmOf(message.sha256) ? false : undefined;
}

/** Checks the members a bundle must have before anything in it is trusted. */
function shape(value: unknown): EvidenceBundle {
  const fail = (what: string) => invalid(`it lacks a valid "${what}"`, `缺少有效的“${what}”`);
  const b = value as Record<string, unknown> | null;
  if (typeof b !== 'object' || b === null || b.format !== EVIDENCE_FORMAT) throw fail('format');
  for (const name of ['node', 'messageId', 'digest'] as const)
    if (typeof b[name] !== 'string') throw fail(name);
  if (typeof b.exportedAt !== 'number') throw fail('exportedAt');
  const message = b.message as Record<string, unknown> | null;
  if (typeof message !== 'object' || message === null || typeof message.sha256 !== 'string')
    throw fail('message');
  if (message.token !== undefined && typeof message.token !== 'string') throw fail('message');
  if (
    !Array.isArray(b.receipts) ||
    !b.receipts.every((r) => typeof r?.token === 'string' && typeof r?.sha256 === 'string')
  )
    throw fail('receipts');
  if (
    b.filesReceipts !== undefined &&
    (!Array.isArray(b.filesReceipts) ||
      !b.filesReceipts.every((r) => typeof r?.token === 'string' && typeof r?.sha256 === 'string'))
  )
    throw fail('filesReceipts');
  if (
    b.files !== undefined &&
    (!Array.isArray(b.files) ||
      !b.files.every((f) => Number.isSafeInteger(f?.index) && typeof f?.path === 'string'))
  )
    throw fail('files');
  if (
    !Array.isArray(b.keys) ||
    !b.keys.every(
      (k) => typeof k?.owner === 'string' && typeof k?.jwk === 'object' && typeof k.jwk?.kid === 'string',
    )
  )
    throw fail('keys');
  const chain = b.chain as Record<string, unknown> | null;
  const head = chain?.head as Record<string, unknown> | undefined;
  if (
    typeof chain !== 'object' ||
    chain === null ||
    !Array.isArray(chain.entries) ||
    !chain.entries.every(isEntry) ||
    typeof head?.seq !== 'number' ||
    typeof head.hash !== 'string'
  )
    throw fail('chain');
  return b as unknown as EvidenceBundle;
}

function isEntry(value: unknown): boolean {
  const e = value as Record<string, unknown> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    Number.isSafeInteger(e.seq) &&
    typeof e.at === 'number' &&
    typeof e.kind === 'string' &&
    typeof e.prev === 'string' &&
    typeof e.hash === 'string'
  );
}
