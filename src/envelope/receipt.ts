import { YrdxError } from '../errors/errors.js';
import { decodeBase64Url } from './base64url.js';
import { audienceList, type MessageClaims, type ReceiptClaims, receiptDigest } from './claims.js';
import { digestAlgorithmOf, digestMatches } from './digest.js';
import { type OpenContext, type Opened, openReceipt } from './open.js';
import { envelopeReason } from './reason-text.js';

export interface SentMessage {
  /** The exact compact JWS that was sent. */
  readonly token: string;
  readonly claims: Pick<MessageClaims, 'jti' | 'aud' | 'iss'>;
}

/**
 * Opens a receipt for a message this node sent and checks it against what was sent: it must come
 * from a recipient of the message, name the message, and carry the digest (SHA-256 or SM3) of the
 * exact bytes sent.
 */
export async function verifyReceipt(
  receiptToken: unknown,
  sent: SentMessage,
  ctx: Omit<OpenContext, 'expectedIssuer'> & { readonly expectedIssuer: string },
): Promise<Opened<ReceiptClaims>> {
  if (!audienceList(sent.claims.aud).includes(ctx.expectedIssuer)) {
    throw new YrdxError('receipt_mismatch', {
      params: { reason: envelopeReason('notRecipient') },
    });
  }
  const opened = await openReceipt(receiptToken, ctx);
  const receipt = opened.claims;
  if (receipt.messageId !== sent.claims.jti) {
    throw new YrdxError('receipt_mismatch', { params: { reason: envelopeReason('otherMessage') } });
  }
  // The digest by the algorithm the recipient chose (SM3 under the national profile, else SHA-256).
  // `ctx.sha256` is this node's own digest (SM3 on a gm node): it serves only a receipt that names
  // the same algorithm; a partner on the other profile is checked by the algorithm it named.
  const named = receiptDigest(receipt);
  const own = ctx.sha256 === undefined ? undefined : await ctx.sha256(sent.token);
  const same = own !== undefined && digestAlgorithmOf(own) === digestAlgorithmOf(named);
  if (!(same ? own === named : await digestMatches(named, sent.token))) {
    throw new YrdxError('receipt_mismatch', {
      params: { reason: envelopeReason('otherBytes') },
    });
  }
  return opened;
}

/** What a receipt says local systems could not carry (see `ReceiptClaims.losses`). */
export type ReceiptLosses = Pick<ReceiptClaims, 'losses' | 'lossesOmitted'>;

/**
 * The `losses` of a receipt verified when it was stored (its claims were checked then, bounds
 * included), read back for display; `{}` when it has none (older receipts) or cannot be read.
 */
export function storedReceiptLosses(token: string): ReceiptLosses {
  const payload = token.split('.')[1];
  if (payload === undefined) return {};
  const bytes = decodeBase64Url(payload);
  if (typeof bytes === 'string') return {};
  try {
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as ReceiptLosses;
    return {
      ...(claims.losses === undefined ? {} : { losses: claims.losses }),
      ...(claims.lossesOmitted === undefined ? {} : { lossesOmitted: claims.lossesOmitted }),
    };
  } catch {
    return {};
  }
}
