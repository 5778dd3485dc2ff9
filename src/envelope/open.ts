// Hand-written, not jose's jwtVerify: the order of checks below, with one yrdx refusal code for each.
import { YrdxError } from '../errors/errors.js';
import { isSigningAlgorithm, type SigningAlgorithm } from './algorithms.js';
import {
  checkMessageClaims,
  checkReceiptClaims,
  checkRegisteredClaims,
  type MessageClaims,
  type ReceiptClaims,
  type RegisteredClaims,
} from './claims.js';
import { type CompactParts, splitCompact } from './compact.js';
import { type Sha256, sha256Hex } from './digest.js';
import { clip, type ProtectedHeader, parseJsonObjectPart, parseProtectedHeader } from './header.js';
import { type EnvelopePolicy, MESSAGE_TYP, RECEIPT_TYP } from './policy.js';
import { envelopeReason } from './reason-text.js';
import type { ReplayGuard, ReplayVerdict } from './replay.js';
import type { KeyResolver, VerificationKey, VerificationKeyLookup } from './verification-key.js';
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
 * `typ`, `kid`, algorithm allow-list, then the signature over the raw bytes with the keys registered
 * under `kid` (see `verifiedKey`), and only then the payload: issuer — the verifying key must be the
 * one `iss` has under that kid — key expiry, then the registered claims. Every refusal is a
 * `YrdxError` with its own code.
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
  const { key, alg } = await verifiedKey(parts, header as ProtectedHeader & { kid: string }, ctx);
  const payload = parseJsonObjectPart(parts.payload, 'payload', policy.maxJsonDepth);
  const iss = issuerOf(payload);
  if (ctx.expectedIssuer !== undefined && iss !== ctx.expectedIssuer)
    throw new YrdxError('jws_issuer_mismatch');
  // The key is the issuer's only if `iss` itself resolves to it: a kid is looked up only among the
  // keys registered for the claimed issuer.
  const lookup = ctx.keys.resolve(iss, header.kid);
  if (lookup.status !== 'ok') throw refusal(lookup.status);
  if (lookup.key.thumbprint !== key.thumbprint) throw new YrdxError('jws_signature_invalid');
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

/**
 * The key whose signature over the raw bytes verifies, found before the payload is decoded, so that
 * a forged token costs a signature check, never a parse of its payload:
 *
 * - With an expected issuer (a receipt), only that issuer's key under `kid` is tried; a kid of
 *   another node's key is `jws_issuer_mismatch`, an unknown one the issuer lookup's refusal.
 * - Otherwise every key registered under `kid` is tried (one, unless partners reuse a kid); the
 *   signature's verdict (`jws_signature_invalid`, `jws_alg_key_mismatch`) decides, since the payload
 *   that would name an issuer is not read before a key has verified it.
 * - No key has the kid: nothing can verify the token. The refusal names what its payload claims
 *   (`jws_unknown_issuer`, `jws_partner_suspended`, `jws_unknown_key`) only when that payload is
 *   small (`UNVERIFIED_PAYLOAD_BYTES`); a larger one is `jws_unknown_key`, unread.
 */
async function verifiedKey(
  parts: CompactParts,
  header: ProtectedHeader & { readonly kid: string },
  ctx: OpenContext,
): Promise<{ key: VerificationKey; alg: SigningAlgorithm }> {
  let candidates: readonly VerificationKey[];
  if (ctx.expectedIssuer !== undefined) {
    const lookup = ctx.keys.resolve(ctx.expectedIssuer, header.kid);
    if (lookup.status === 'ok') candidates = [lookup.key];
    else if (ctx.keys.candidates(header.kid).length > 0) throw new YrdxError('jws_issuer_mismatch');
    else throw refusal(lookup.status);
  } else {
    candidates = ctx.keys.candidates(header.kid);
    if (candidates.length === 0) throw unverifiable(parts, header.kid, ctx);
  }
  let failure: unknown;
  for (const key of candidates) {
    try {
      return { key, alg: await verifySignature(parts, header, key, ctx.policy.algorithms) };
    } catch (error) {
      // A bad signature says more than an algorithm that does not fit some other partner's key.
      if (failure === undefined || (error as YrdxError).code === 'jws_signature_invalid') failure = error;
    }
  }
  throw failure;
}

/** The payload of a token that no registered key can verify is read only up to this size. */
export const UNVERIFIED_PAYLOAD_BYTES = 64 * 1024;

function unverifiable(parts: CompactParts, kid: string, ctx: OpenContext): YrdxError {
  if ((parts.payloadLength * 3) / 4 > UNVERIFIED_PAYLOAD_BYTES) return new YrdxError('jws_unknown_key');
  const payload = parseJsonObjectPart(parts.payload, 'payload', ctx.policy.maxJsonDepth);
  const lookup = ctx.keys.resolve(issuerOf(payload), kid);
  return refusal(lookup.status === 'ok' ? 'unknown-key' : lookup.status);
}

function issuerOf(payload: Record<string, unknown>): string {
  const iss = payload.iss;
  if (typeof iss !== 'string') {
    throw new YrdxError('jws_claim_invalid', { params: { claim: 'iss', reason: envelopeReason('nodeId') } });
  }
  return iss;
}

function refusal(status: Exclude<VerificationKeyLookup['status'], 'ok'>): YrdxError {
  if (status === 'unknown-issuer') return new YrdxError('jws_unknown_issuer');
  if (status === 'suspended') return new YrdxError('jws_partner_suspended');
  return new YrdxError('jws_unknown_key');
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
