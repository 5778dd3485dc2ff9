import { YrdxError } from '../errors.js';
import { isSigningAlgorithm, type SigningAlgorithm } from './algorithms.js';
import {
  checkMessageClaims,
  checkReceiptClaims,
  checkRegisteredClaims,
  type MessageClaims,
  type ReceiptClaims,
  type RegisteredClaims,
} from './claims.js';
import { splitCompact } from './compact.js';
import { type Sha256, sha256Hex } from './digest.js';
import { clip, type ProtectedHeader, parseJsonObjectPart, parseProtectedHeader } from './header.js';
import { type EnvelopePolicy, MESSAGE_TYP, RECEIPT_TYP } from './policy.js';
import type { ReplayGuard, ReplayVerdict } from './replay.js';
import type { KeyResolver, VerificationKey } from './verification-key.js';
import { verifySignature } from './verify-compact.js';

export interface OpenContext {
  /** This node's id; `aud` must contain it. Omit only for offline verification tools. */
  readonly self?: string;
  readonly keys: KeyResolver;
  readonly policy: EnvelopePolicy;
  /** Current time in milliseconds. */
  readonly now: () => number;
  /** When set, `iss` must equal it (e.g. the partner a receipt is expected from). */
  readonly expectedIssuer?: string;
  /** SHA-256 of the token; defaults to Web Crypto. */
  readonly sha256?: Sha256;
}

export interface Opened<C extends RegisteredClaims = RegisteredClaims> {
  readonly token: string;
  readonly header: ProtectedHeader;
  readonly claims: C;
  readonly alg: SigningAlgorithm;
  readonly key: VerificationKey;
  /** Lower-case hex SHA-256 of the exact JWS bytes. */
  readonly sha256: string;
}

/**
 * Opens a compact JWS of the expected `typ`, in a fixed order: size, compact form, protected header,
 * `typ`, `kid`, algorithm allow-list, payload, issuer, key (only among the issuer's keys), signature,
 * then the registered claims. Every refusal is a `YrdxError` with its own code.
 */
export async function openJws(token: unknown, typ: string, ctx: OpenContext): Promise<Opened> {
  const { policy } = ctx;
  const parts = splitCompact(token, policy.maxTokenBytes);
  const header = parseProtectedHeader(parts.header);
  if (header.typ !== typ) {
    throw new YrdxError('jws_typ_mismatch', {
      params: { expected: typ, actual: header.typ === undefined ? '(none)' : clip(header.typ) },
    });
  }
  if (header.kid === undefined) throw new YrdxError('jws_kid_missing');
  if (!isSigningAlgorithm(header.alg) || !policy.algorithms.includes(header.alg)) {
    throw new YrdxError('jws_alg_not_allowed', {
      params: {
        alg: typeof header.alg === 'string' ? clip(header.alg) : typeof header.alg,
        allowed: policy.algorithms.join(', '),
      },
    });
  }
  const payload = parseJsonObjectPart(parts.payload, 'payload', policy.maxJsonDepth);
  const iss = payload.iss;
  if (typeof iss !== 'string') {
    throw new YrdxError('jws_claim_invalid', { params: { claim: 'iss', reason: 'expected a node id' } });
  }
  if (ctx.expectedIssuer !== undefined && iss !== ctx.expectedIssuer)
    throw new YrdxError('jws_issuer_mismatch');
  const lookup = ctx.keys.resolve(iss, header.kid);
  if (lookup.status === 'unknown-issuer') throw new YrdxError('jws_unknown_issuer');
  if (lookup.status === 'suspended') throw new YrdxError('jws_partner_suspended');
  if (lookup.status === 'unknown-key') throw new YrdxError('jws_unknown_key');
  const key = lookup.key;
  const alg = await verifySignature(parts, header, key, policy.algorithms);
  const nowMs = ctx.now();
  const nowSeconds = Math.floor(nowMs / 1000);
  if (key.notAfter !== undefined && nowSeconds > key.notAfter + policy.clockSkewSeconds) {
    throw new YrdxError('jws_key_expired');
  }
  const claims = checkRegisteredClaims(payload, ctx.self, nowSeconds, policy);
  return {
    token: parts.token,
    header,
    claims,
    alg,
    key,
    sha256: await (ctx.sha256 ?? sha256Hex)(parts.token),
  };
}

export interface OpenedMessage extends Opened<MessageClaims> {
  /** `first` when this (iss, jti) was new; `duplicate` for a retry of the very same bytes. */
  readonly replay?: Exclude<ReplayVerdict, 'conflict'>;
}

/**
 * Opens a cooperation message. With a replay guard, (iss, jti) is remembered for the life of the
 * message: the same bytes again are a `duplicate`, different bytes under a seen jti are refused.
 */
export async function openMessage(
  token: unknown,
  ctx: OpenContext & { readonly replay?: ReplayGuard },
): Promise<OpenedMessage> {
  const opened = await openJws(token, MESSAGE_TYP, ctx);
  const claims = checkMessageClaims(opened.claims as unknown as Record<string, unknown>);
  if (ctx.replay === undefined) return { ...opened, claims };
  const verdict = await ctx.replay.remember({
    iss: claims.iss,
    jti: claims.jti,
    sha256: opened.sha256,
    expiresAt: claims.exp + ctx.policy.clockSkewSeconds,
  });
  if (verdict === 'conflict') throw new YrdxError('jws_replayed');
  return { ...opened, claims, replay: verdict };
}

/** Opens a receipt. A message never opens as a receipt, nor a receipt as a message (`typ`). */
export async function openReceipt(token: unknown, ctx: OpenContext): Promise<Opened<ReceiptClaims>> {
  const opened = await openJws(token, RECEIPT_TYP, ctx);
  return { ...opened, claims: checkReceiptClaims(opened.claims as unknown as Record<string, unknown>) };
}
