import { FILES_RECEIPT_TYP } from '../attachments/files-receipt.js';
import type { HasherFactory } from '../attachments/hasher.js';
import { type Attachment, attachmentDigest } from '../envelope/claims.js';
import { digestAlgorithmOf } from '../envelope/digest.js';
import { nameFault } from '../envelope/file-name.js';
import type { AuditEntry } from '../store/audit-chain.js';

/**
 * The case files of an evidence bundle: the files receipts (the recipient's signed word on which files
 * arrived) and, in a bundle exported with `--with-files`, the files' bytes beside it. The files and
 * their digests are those of the message's signed `attachments` claim; nothing in the bundle chooses
 * where a file is read from but its index and the extension of its signed name.
 */

/** A file the message signed, as a bundle's report lists it. */
export interface EvidenceFile {
  readonly index: number;
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
  /** Kept form: bare hex SHA-256 or `sm3:` hex. */
  readonly digest: string;
  /** Where its bytes are, relative to the bundle's folder, when the bundle includes them. */
  readonly path?: string;
}

/** A file included in a bundle: its index and its path (always `evidenceFilePath(index, name)`). */
export interface IncludedFile {
  readonly index: number;
  readonly path: string;
}

/** The name of a bundle exported with files, in its folder; the bytes are under `files/`. */
export const EVIDENCE_FILE_NAME = 'evidence.json';

const EXTENSION = /\.[A-Za-z0-9]{1,16}$/;

/**
 * Where the bytes of file `index` lie in a bundle's folder: `files/<index>` and the extension of its
 * signed name when it is plain letters and digits (so a reader opens it with the right program). The
 * rest of the name never makes a path.
 */
export function evidenceFilePath(index: number, name: string): string {
  return `files/${index}${EXTENSION.exec(name)?.[0] ?? ''}`;
}

/**
 * The files of a verified message's claims, by index, or undefined when the claim is malformed
 * (which a yrdx node never signs).
 */
export function signedFiles(claims: Record<string, unknown>): EvidenceFile[] | undefined {
  const list = claims.attachments;
  if (list === undefined) return [];
  if (!Array.isArray(list)) return undefined;
  const files: EvidenceFile[] = [];
  for (const [index, item] of list.entries()) {
    const a = item as Attachment | null;
    if (
      typeof a !== 'object' ||
      a === null ||
      typeof a.name !== 'string' ||
      nameFault(a.name) !== undefined ||
      typeof a.mediaType !== 'string' ||
      !Number.isSafeInteger(a.size)
    )
      return undefined;
    const digest = attachmentDigest(a);
    if (typeof digest !== 'string' || digestAlgorithmOf(digest) === undefined) return undefined;
    files.push({ index, name: a.name, mediaType: a.mediaType, size: a.size, digest });
  }
  return files;
}

/** A fault of the bundle's case files: thrown by the caller as `evidence_invalid`. */
export interface FilesFault {
  readonly en: string;
  readonly zh: string;
}

/** Verifies a token of the bundle (digest, type, signature) and returns its claims: see `verifyEvidence`. */
export type CheckToken = (
  token: string,
  declared: string,
  typ: string,
  what: string,
  whatZh: string,
) => Promise<Record<string, unknown>>;

/**
 * Checks the files receipts of a bundle: each is a `yrdx-files+jwt` signed by a bundled key, for this
 * message, from one of its recipients to its sender, naming the signed digest of each file it lists,
 * and recorded in the log (`files-receipt-in` at the sender, `files-receipt-out` at a recipient).
 * Returns how many files-receipt entries of the log are not in the bundle: a store keeps only the
 * latest receipt per recipient, so a receipt that a later one replaced is in the log alone.
 */
export async function checkFilesReceipts(
  receipts: readonly { readonly sha256: string; readonly token: string }[],
  context: {
    readonly messageId: string;
    readonly own: readonly AuditEntry[];
    /** The message's sender and recipients, and its signed files, when its token is in the bundle. */
    readonly message?: {
      readonly iss: string;
      readonly aud: readonly string[];
      readonly files: readonly EvidenceFile[];
    };
    readonly check: CheckToken;
  },
): Promise<{ readonly fault?: FilesFault; readonly unbundled: number }> {
  const entries = context.own.filter((e) => e.kind === 'files-receipt-in' || e.kind === 'files-receipt-out');
  for (const receipt of receipts) {
    const claims = await context.check(
      receipt.token,
      receipt.sha256,
      FILES_RECEIPT_TYP,
      'files receipt',
      '文件回执',
    );
    if (claims.messageId !== context.messageId)
      return fault('a files receipt is for another message', '有文件回执针对的是另一条报文');
    const m = context.message;
    if (m !== undefined) {
      if (!m.aud.includes(String(claims.iss)) || claims.aud !== m.iss)
        return fault(
          'a files receipt does not come from a recipient of the message to its sender',
          '有文件回执不是由该报文的收件节点发给发件节点的',
        );
      const listed = Array.isArray(claims.files) ? (claims.files as Record<string, unknown>[]) : [];
      const agrees = listed.every((f) => m.files.some((s) => s.index === f.index && s.digest === f.digest));
      if (!agrees)
        return fault(
          'a files receipt names a file the message did not sign',
          '有文件回执所列的文件或摘要与报文签名的附件不符',
        );
    }
    if (!entries.some((e) => e.sha256 === receipt.sha256))
      return fault('a files receipt has no audit entry', '有文件回执没有对应的审计记录');
  }
  return { unbundled: entries.filter((e) => !receipts.some((r) => r.sha256 === e.sha256)).length };
}

function fault(en: string, zh: string) {
  return { fault: { en, zh }, unbundled: 0 };
}

/** What checking an included file found. */
export type FileCheck = 'ok' | 'missing' | 'altered' | 'not-included';

export interface FileVerdict extends EvidenceFile {
  readonly status: FileCheck;
  /** For `altered`: what was read (size in bytes and digest in the kept form). */
  readonly found?: { readonly size: number; readonly digest: string };
}

/**
 * Reads every included file of a bundle, chunk by chunk, and compares its size and its digest (by
 * the algorithm the signed digest names: SHA-256 or SM3) with the signed ones. `open` gives a file's
 * bytes by its path in the bundle's folder, or undefined when there is none. A file the message
 * signed that the bundle does not include is `not-included` (a recipient that refused it never held
 * it, or the bundle was exported without files).
 */
export async function checkIncludedFiles(
  files: readonly EvidenceFile[],
  io: {
    readonly open: (path: string) => Promise<ReadableStream<Uint8Array> | undefined>;
    readonly hasher: HasherFactory;
  },
): Promise<FileVerdict[]> {
  const verdicts: FileVerdict[] = [];
  for (const file of files) {
    if (file.path === undefined) {
      verdicts.push({ ...file, status: 'not-included' });
      continue;
    }
    const stream = await io.open(file.path);
    if (stream === undefined) {
      verdicts.push({ ...file, status: 'missing' });
      continue;
    }
    const h = io.hasher(digestAlgorithmOf(file.digest) ?? 'SHA-256');
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      h.update(value);
    }
    const size = h.bytes;
    const digest = await h.digest();
    verdicts.push(
      size === file.size && digest === file.digest
        ? { ...file, status: 'ok' }
        : { ...file, status: 'altered', found: { size, digest } },
    );
  }
  return verdicts;
}
