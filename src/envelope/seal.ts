// Hand-written, not jose's CompactSign: header encoded once per key; the runtime's signature engine signs.
import { YrdxError } from '../errors/errors.js';
import type { Domain, MessageType } from '../vocabulary/messages.js';
import type { SigningAlgorithm } from './algorithms.js';
import { encodeBase64Url, encodeBase64UrlText } from './base64url.js';
import {
  type Attachment,
  checkMessageClaims,
  checkReceiptClaims,
  type MessageClaims,
  type ReceiptClaims,
  type ReceiptStatus,
  receiptDigestClaims,
} from './claims.js';
import { type Sha256, sha256Hex } from './digest.js';
import { type EnvelopePolicy, MESSAGE_TYP, RECEIPT_TYP } from './policy.js';
import { envelopeReason } from './reason-text.js';
import { type SigningKey, signWith } from './signature-engine.js';
import { ulid } from './ulid.js';

/** The private half of this node's active key: a non-extractable CryptoKey, or an SM2 key. */
export interface Signer {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly key: SigningKey;
}

export interface Sealed<C> {
  readonly token: string;
  readonly claims: C;
  /** The digest of the token bytes in the kept form (SHA-256 hex, or `sm3:` hex), for receipts and evidence. */
  readonly sha256: string;
}

const ascii = new TextEncoder();

/** Encoded protected headers per signer and typ: they never change for a key. */
const headers = new WeakMap<Signer, Map<string, string>>();

function encodedHeader(signer: Signer, typ: string): string {
  let byTyp = headers.get(signer);
  if (byTyp === undefined) {
    byTyp = new Map();
    headers.set(signer, byTyp);
  }
  let header = byTyp.get(typ);
  if (header === undefined) {
    header = encodeBase64UrlText(JSON.stringify({ alg: signer.alg, kid: signer.kid, typ }));
    byTyp.set(typ, header);
  }
  return header;
}

/** Signs a payload as a compact JWS with the protected header `{alg, kid, typ}`. */
export async function signCompact(payload: unknown, typ: string, signer: Signer): Promise<string> {
  const header = encodedHeader(signer, typ);
  const json = JSON.stringify(payload);
  if (json === undefined)
    throw new YrdxError('seal_invalid', { params: { reason: envelopeReason('payloadNotJson') } });
  const signingInput = `${header}.${encodeBase64UrlText(json)}`;
  const signature = await signWith(signer.alg, signer.key, ascii.encode(signingInput));
  return `${signingInput}.${encodeBase64Url(signature)}`;
}

export interface SealContext {
  readonly self: string;
  readonly signer: Signer;
  readonly policy: EnvelopePolicy;
  readonly now: () => number;
  /** The digest of the sealed token (see digest.ts; SM3 under the national profile); defaults to Web Crypto's SHA-256. */
  readonly sha256?: Sha256;
}

export interface MessageDraft {
  readonly to: string | readonly string[];
  readonly type: MessageType;
  readonly domain: Domain;
  readonly contract: string;
  readonly body: Readonly<Record<string, unknown>>;
  /** Defaults to a new thread named after the message id. */
  readonly thread?: string;
  readonly inReplyTo?: string;
  readonly supersedes?: string;
  readonly attachments?: readonly Attachment[];
  /** The local system that submitted the message, for the recipients' provenance fields. */
  readonly origin?: string;
  /** Defaults to a new ULID. */
  readonly jti?: string;
  /** Defaults to the policy's message lifetime. */
  readonly lifetimeSeconds?: number;
}

/** Seals a cooperation message. The claims are checked as a recipient would check them. */
export async function sealMessage(draft: MessageDraft, ctx: SealContext): Promise<Sealed<MessageClaims>> {
  const nowMs = ctx.now();
  const iat = Math.floor(nowMs / 1000);
  const jti = draft.jti ?? ulid(nowMs);
  const claims: Record<string, unknown> = {
    iss: ctx.self,
    aud: typeof draft.to === 'string' ? draft.to : [...draft.to],
    jti,
    iat,
    exp: iat + (draft.lifetimeSeconds ?? ctx.policy.messageLifetimeSeconds),
    type: draft.type,
    domain: draft.domain,
    contract: draft.contract,
    thread: draft.thread ?? jti,
  };
  if (draft.inReplyTo !== undefined) claims.inReplyTo = draft.inReplyTo;
  if (draft.supersedes !== undefined) claims.supersedes = draft.supersedes;
  claims.body = draft.body;
  if (draft.attachments !== undefined) claims.attachments = draft.attachments;
  if (draft.origin !== undefined) claims.origin = draft.origin;
  const checked = asSealError(() => checkMessageClaims(claims));
  const token = await signCompact(checked, MESSAGE_TYP, ctx.signer);
  return { token, claims: checked, sha256: await (ctx.sha256 ?? sha256Hex)(token) };
}

export interface ReceiptDraft {
  /** The node that sent the acknowledged message. */
  readonly to: string;
  readonly messageId: string;
  /** The digest of the exact JWS bytes received, in the kept form (SHA-256 hex, or `sm3:` hex). */
  readonly sha256: string;
  readonly status: ReceiptStatus;
  readonly reason?: string;
  /** What local systems could not carry, by local system id (see `ReceiptClaims.losses`). */
  readonly losses?: ReceiptClaims['losses'];
  readonly lossesOmitted?: ReceiptClaims['lossesOmitted'];
}

/** Seals a receipt for a received message. */
export async function sealReceipt(draft: ReceiptDraft, ctx: SealContext): Promise<Sealed<ReceiptClaims>> {
  const nowMs = ctx.now();
  const iat = Math.floor(nowMs / 1000);
  const claims: Record<string, unknown> = {
    iss: ctx.self,
    aud: draft.to,
    jti: ulid(nowMs),
    iat,
    exp: iat + ctx.policy.receiptLifetimeSeconds,
    messageId: draft.messageId,
    ...receiptDigestClaims(draft.sha256),
    status: draft.status,
  };
  if (draft.reason !== undefined) claims.reason = draft.reason;
  if (draft.losses !== undefined) claims.losses = draft.losses;
  if (draft.lossesOmitted !== undefined) claims.lossesOmitted = draft.lossesOmitted;
  const checked = asSealError(() => checkReceiptClaims(claims));
  const token = await signCompact(checked, RECEIPT_TYP, ctx.signer);
  return { token, claims: checked, sha256: await (ctx.sha256 ?? sha256Hex)(token) };
}

function asSealError<T>(check: () => T): T {
  try {
    return check();
  } catch (cause) {
    // The claim's own problem, without its full stop: this detail ends the sentence.
    const reason =
      cause instanceof YrdxError
        ? { zh: cause.detail('zh').replace(/。$/, ''), en: cause.detail('en').replace(/\.$/, '') }
        : envelopeReason('claims');
    throw new YrdxError('seal_invalid', { params: { reason }, cause });
  }
}
