import { attachmentDigest, type MessageClaims } from '../envelope/claims.js';
import { digestAlgorithmOf } from '../envelope/digest.js';
import { type OpenContext, openJws } from '../envelope/open.js';
import { type Signer, signCompact } from '../envelope/seal.js';
import { ulid } from '../envelope/ulid.js';
import { YrdxError } from '../errors/errors.js';
import type { LocalText } from '../errors/text.js';

/**
 * The grant a recipient node shows when it fetches a file of a message from the sender: a compact JWS
 * (`typ: yrdx-grant+jwt`) it signs itself with its node key, bound to the message, itself as the
 * recipient and the file's digest, alive for at most `MAX_GRANT_SECONDS`. The sender verifies it with
 * the keys it registered for that partner (the same rules as a message: kid only among the issuer's
 * keys, algorithm allow-list), then checks the binding against its own record of the message. No
 * secret is shared and nothing is stored: a grant shown for another message, another file or by
 * another node fails the binding (`attachment_grant_mismatch`); an old one fails its lifetime.
 */
export const GRANT_TYP = 'yrdx-grant+jwt';
export const MAX_GRANT_SECONDS = 300;

export interface GrantClaims {
  /** The recipient node (who fetches). */
  readonly iss: string;
  /** The sender node (who serves). */
  readonly aud: string;
  readonly jti: string;
  readonly iat: number;
  readonly exp: number;
  readonly messageId: string;
  readonly index: number;
  /** The file's digest in the kept form. */
  readonly digest: string;
}

export interface GrantRequest {
  readonly self: string;
  readonly sender: string;
  readonly messageId: string;
  readonly index: number;
  readonly digest: string;
  readonly lifetimeSeconds: number;
  readonly now: number;
  readonly signer: Signer;
}

export async function signGrant(r: GrantRequest): Promise<string> {
  const iat = Math.floor(r.now / 1000);
  const claims: GrantClaims = {
    iss: r.self,
    aud: r.sender,
    jti: ulid(r.now),
    iat,
    exp: iat + Math.min(r.lifetimeSeconds, MAX_GRANT_SECONDS),
    messageId: r.messageId,
    index: r.index,
    digest: r.digest,
  };
  return signCompact(claims, GRANT_TYP, r.signer);
}

const REASONS = {
  missing: {
    zh: '请求没有 Authorization: Bearer 授权。',
    en: 'the request has no Authorization: Bearer grant.',
  },
  lifetime: {
    zh: `授权的有效期超过 ${MAX_GRANT_SECONDS} 秒。`,
    en: `the grant lives longer than ${MAX_GRANT_SECONDS} seconds.`,
  },
  claims: {
    zh: '授权的 messageId、index 或 digest 缺失或格式不对。',
    en: 'the grant’s messageId, index or digest is missing or malformed.',
  },
} as const satisfies Record<string, LocalText>;

export function grantInvalid(reason: keyof typeof REASONS): YrdxError {
  return new YrdxError('attachment_grant_invalid', { params: { reason: REASONS[reason] } });
}

/** Verifies a grant's signature and lifetime; the binding is checked by `checkGrantBinding`. */
export async function openGrant(token: string, ctx: OpenContext): Promise<GrantClaims> {
  const opened = await openJws(token, GRANT_TYP, ctx);
  const c = opened.claims as unknown as Record<string, unknown>;
  if ((c.exp as number) - (c.iat as number) > MAX_GRANT_SECONDS) throw grantInvalid('lifetime');
  if (
    typeof c.messageId !== 'string' ||
    c.messageId.length > 128 ||
    !Number.isSafeInteger(c.index) ||
    (c.index as number) < 0 ||
    digestAlgorithmOf(c.digest) === undefined ||
    typeof c.aud !== 'string'
  )
    throw grantInvalid('claims');
  return c as unknown as GrantClaims;
}

/**
 * The grant names this message, this file and a node the message went to; otherwise it is a grant for
 * something else, refused with what it is bound to.
 */
export function checkGrantBinding(
  grant: GrantClaims,
  target: {
    readonly messageId: string;
    readonly index: number;
    readonly digest: string;
    readonly recipients: readonly string[];
  },
): void {
  if (
    grant.messageId !== target.messageId ||
    grant.index !== target.index ||
    grant.digest !== target.digest ||
    !target.recipients.includes(grant.iss)
  )
    throw new YrdxError('attachment_grant_mismatch', {
      params: {
        grantMessage: grant.messageId.slice(0, 64),
        grantRecipient: grant.iss,
        grantDigest: grant.digest,
      },
    });
}

/** The files a message's `attachments` claim lists, as the stores keep them. */
export function attachmentRefs(claims: Pick<MessageClaims, 'attachments'>) {
  return (claims.attachments ?? []).map((a, index) => ({
    index,
    name: a.name,
    mediaType: a.mediaType,
    size: a.size,
    digest: attachmentDigest(a),
  }));
}
