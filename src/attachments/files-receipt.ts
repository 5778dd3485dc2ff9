import { digestAlgorithmOf } from '../envelope/digest.js';
import { type OpenContext, openJws } from '../envelope/open.js';
import { type Signer, signCompact } from '../envelope/seal.js';
import { ulid } from '../envelope/ulid.js';
import { YrdxError } from '../errors/errors.js';
import type { FileState } from '../store/port.js';

/**
 * The second receipt of a message with files (`typ: yrdx-files+jwt`): the recipient signs it once
 * every file arrived whole and matched its signed digest, or once one was refused, and posts it to
 * the sender's `/v1/attachments/receipts`. The first receipt (the answer to `/v1/inbox`) says the
 * message was accepted; this one says which files arrived, so the sender always knows.
 */
export const FILES_RECEIPT_TYP = 'yrdx-files+jwt';

export interface FilesReceiptClaims {
  readonly iss: string;
  readonly aud: string;
  readonly jti: string;
  readonly iat: number;
  readonly exp: number;
  readonly messageId: string;
  /** `arrived`: every file arrived and verified; `refused`: at least one did not (see `files`). */
  readonly status: 'arrived' | 'refused';
  readonly files: readonly FilesReceiptEntry[];
}

export interface FilesReceiptEntry {
  readonly index: number;
  readonly status: FileState;
  /** The kept digest of the file as the message signed it. */
  readonly digest: string;
  /** The problem code of a refused file. */
  readonly reason?: string;
}

export async function signFilesReceipt(
  draft: Omit<FilesReceiptClaims, 'jti' | 'iat' | 'exp'>,
  ctx: { readonly now: number; readonly lifetimeSeconds: number; readonly signer: Signer },
): Promise<string> {
  const iat = Math.floor(ctx.now / 1000);
  return signCompact(
    { ...draft, jti: ulid(ctx.now), iat, exp: iat + ctx.lifetimeSeconds },
    FILES_RECEIPT_TYP,
    ctx.signer,
  );
}

const REASON = /^[a-z0-9_]{1,64}$/;

export async function openFilesReceipt(token: string, ctx: OpenContext): Promise<FilesReceiptClaims> {
  const opened = await openJws(token, FILES_RECEIPT_TYP, ctx);
  const c = opened.claims as unknown as Record<string, unknown>;
  const files = c.files;
  const ok =
    typeof c.messageId === 'string' &&
    c.messageId.length <= 128 &&
    (c.status === 'arrived' || c.status === 'refused') &&
    Array.isArray(files) &&
    files.length <= 100 &&
    files.every((f: unknown) => {
      const e = f as Record<string, unknown>;
      return (
        typeof f === 'object' &&
        f !== null &&
        Number.isSafeInteger(e.index) &&
        (e.status === 'arrived' || e.status === 'refused' || e.status === 'pending') &&
        digestAlgorithmOf(e.digest) !== undefined &&
        (e.reason === undefined || (typeof e.reason === 'string' && REASON.test(e.reason)))
      );
    });
  if (!ok)
    throw new YrdxError('jws_claim_invalid', {
      params: {
        claim: 'files',
        reason: { zh: '文件回执的内容格式不对。', en: 'the files receipt is malformed.' },
      },
    });
  return c as unknown as FilesReceiptClaims;
}
