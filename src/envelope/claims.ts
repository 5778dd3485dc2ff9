// Hand-written, not jose's JWT claim checks: yrdx's own claims (type, domain, thread…) and refusal codes.
import { YrdxError } from '../errors/errors.js';
import { listOf, type TextParams } from '../errors/text.js';
import { type Domain, isDomain, isMessageType, type MessageType } from '../vocabulary/messages.js';
import { nameFault } from './file-name.js';
import type { EnvelopePolicy } from './policy.js';
import { type EnvelopeReason, envelopeReason } from './reason-text.js';

/** Claims every yrdx token carries. Times are NumericDate (seconds since the epoch). */
export interface RegisteredClaims {
  readonly iss: string;
  readonly aud: string | readonly string[];
  readonly jti: string;
  readonly iat: number;
  readonly exp: number;
  readonly nbf?: number;
}

/**
 * A file bound to the message by the sender's signature: its name as people wrote it, its media type
 * as the sender's node read it from the content, its size and its digest — `sha256` (lower-case hex)
 * or, from a node of the national profile, `sm3` (lower-case hex), exactly one of the two.
 */
export interface Attachment {
  readonly name: string;
  readonly mediaType: string;
  readonly sha256?: string;
  readonly sm3?: string;
  readonly size: number;
}

/** At most this many attachments in one message. */
export const MAX_ATTACHMENTS = 100;

/** The claims of a cooperation message (`typ: yrdx+jwt`). */
export interface MessageClaims extends RegisteredClaims {
  readonly type: MessageType;
  readonly domain: Domain;
  /** Contract of the canonical body, `domain@semver`. */
  readonly contract: string;
  readonly thread: string;
  readonly inReplyTo?: string;
  /** The `jti` of an expired message that this one re-seals after a requeue. */
  readonly supersedes?: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly attachments?: readonly Attachment[];
  /** The sender's local system that submitted the message (its id in the sender's configuration). */
  readonly origin?: string;
}

export const RECEIPT_STATUSES = ['accepted', 'rejected'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/** The claims of a receipt (`typ: yrdx-receipt+jwt`). */
export interface ReceiptClaims extends RegisteredClaims {
  /** The `jti` of the acknowledged message. */
  readonly messageId: string;
  /**
   * Lower-case hex SHA-256 of the exact JWS bytes received; a recipient of the national profile sends
   * `sm3` instead. A receipt carries exactly one of the two (see `receiptDigest`).
   */
  readonly sha256?: string;
  /** Lower-case hex SM3 of the exact JWS bytes received (the national profile). */
  readonly sm3?: string;
  readonly status: ReceiptStatus;
  /** Stable problem code when the status is `rejected` (`a-z`, `0-9`, `_`; up to 64 characters). */
  readonly reason?: string;
  /**
   * What the recipient's local systems could not carry of the message, by local system id: canonical
   * JSON pointers (at most `MAX_RECEIPT_LOSSES` each, for at most `MAX_RECEIPT_LOSS_SYSTEMS` systems).
   */
  readonly losses?: Readonly<Record<string, readonly string[]>>;
  /** Per local system, how many further pointers were not listed in `losses`. */
  readonly lossesOmitted?: Readonly<Record<string, number>>;
}

/** Bounds of a receipt's `losses`: a receipt is stored and shown by the sender, so it stays small. */
export const MAX_RECEIPT_LOSSES = 100;
export const MAX_RECEIPT_LOSS_SYSTEMS = 16;
export const MAX_RECEIPT_POINTER_LENGTH = 256;

export const NODE_ID_PATTERN = /^\d{6}$/;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const CONTRACT_PATTERN = /^([a-z][a-z0-9-]*)@(\d+)\.(\d+)\.(\d+)$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const REASON_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

function invalid(claim: string, reason: EnvelopeReason, params: TextParams = {}): YrdxError {
  return new YrdxError('jws_claim_invalid', { params: { claim, reason: envelopeReason(reason, params) } });
}

function requireString(
  claims: Record<string, unknown>,
  name: string,
  pattern: RegExp,
  expected: EnvelopeReason,
): string {
  const value = claims[name];
  if (value === undefined) throw invalid(name, 'missing');
  if (typeof value !== 'string' || !pattern.test(value)) throw invalid(name, expected);
  return value;
}

function optionalString(
  claims: Record<string, unknown>,
  name: string,
  pattern: RegExp,
  expected: EnvelopeReason,
): void {
  if (claims[name] !== undefined) requireString(claims, name, pattern, expected);
}

function requireTime(claims: Record<string, unknown>, name: string): number {
  const value = claims[name];
  if (value === undefined) throw invalid(name, 'missing');
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalid(name, 'numericDate');
  }
  return value;
}

/**
 * Checks `iss`, `aud`, `jti`, `iat`, `exp`, `nbf` against this node and the clock. The order is
 * fixed so that each fault has exactly one code.
 */
export function checkRegisteredClaims(
  claims: Record<string, unknown>,
  self: string | undefined,
  nowSeconds: number,
  policy: EnvelopePolicy,
): RegisteredClaims {
  requireString(claims, 'iss', ID_PATTERN, 'nodeId');
  requireString(claims, 'jti', ID_PATTERN, 'id');
  const aud = claims.aud;
  const audList = typeof aud === 'string' ? [aud] : aud;
  if (aud === undefined) throw invalid('aud', 'missing');
  if (
    !Array.isArray(audList) ||
    audList.length === 0 ||
    audList.some((a) => typeof a !== 'string' || !ID_PATTERN.test(a))
  ) {
    throw invalid('aud', 'audience');
  }
  const iat = requireTime(claims, 'iat');
  const exp = requireTime(claims, 'exp');
  const nbf = claims.nbf === undefined ? undefined : requireTime(claims, 'nbf');
  if (exp <= iat) throw invalid('exp', 'expAfterIat');
  const skew = policy.clockSkewSeconds;
  if (exp - iat > policy.maxLifetimeSeconds) {
    throw new YrdxError('jws_lifetime_exceeded', { params: { limit: policy.maxLifetimeSeconds } });
  }
  if (nowSeconds > exp + skew) throw new YrdxError('jws_expired');
  if (iat > nowSeconds + skew || (nbf !== undefined && nbf > nowSeconds + skew)) {
    throw new YrdxError('jws_not_yet_valid');
  }
  if (self !== undefined && !(audList as string[]).includes(self))
    throw new YrdxError('jws_audience_mismatch');
  return claims as unknown as RegisteredClaims;
}

/** Checks the yrdx message claims after the registered ones. */
export function checkMessageClaims(claims: Record<string, unknown>): MessageClaims {
  if (!isMessageType(claims.type)) throw invalid('type', 'messageType');
  if (!isDomain(claims.domain)) throw invalid('domain', 'domain');
  const contract = requireString(claims, 'contract', CONTRACT_PATTERN, 'contract');
  if (!contract.startsWith(`${claims.domain}@`)) throw invalid('contract', 'contractDomain');
  requireString(claims, 'thread', ID_PATTERN, 'threadId');
  optionalString(claims, 'inReplyTo', ID_PATTERN, 'messageId');
  optionalString(claims, 'supersedes', ID_PATTERN, 'messageId');
  const body = claims.body;
  if (body === undefined) throw invalid('body', 'missing');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('body', 'jsonObject');
  if (claims.attachments !== undefined) checkAttachments(claims.attachments);
  optionalString(claims, 'origin', ID_PATTERN, 'origin');
  return claims as unknown as MessageClaims;
}

function checkAttachments(value: unknown): void {
  if (!Array.isArray(value) || value.length > MAX_ATTACHMENTS) throw invalid('attachments', 'list');
  value.forEach((item: unknown, i) => {
    const a = item as Record<string, unknown>;
    const oneDigest =
      (typeof a.sha256 === 'string' && SHA256_HEX.test(a.sha256) && a.sm3 === undefined) ||
      (typeof a.sm3 === 'string' && SHA256_HEX.test(a.sm3) && a.sha256 === undefined);
    const ok =
      typeof item === 'object' &&
      item !== null &&
      !Array.isArray(item) &&
      Object.keys(a).every((k) => ATTACHMENT_MEMBERS.has(k)) &&
      typeof a.name === 'string' &&
      nameFault(a.name) === undefined &&
      typeof a.mediaType === 'string' &&
      a.mediaType.length <= 127 &&
      /^[\w.+-]+\/[\w.+-]+$/.test(a.mediaType) &&
      oneDigest &&
      Number.isSafeInteger(a.size) &&
      (a.size as number) >= 0;
    if (!ok) throw invalid(`attachments/${i}`, 'attachment');
  });
}

const ATTACHMENT_MEMBERS = new Set(['name', 'mediaType', 'sha256', 'sm3', 'size']);

/** An attachment's digest in the kept form (src/envelope/digest.ts): bare hex for SHA-256, `sm3:` hex for SM3. */
export function attachmentDigest(a: Attachment): string {
  return a.sm3 !== undefined ? `sm3:${a.sm3}` : a.sha256!;
}

/** The claim members of a kept digest (`sm3:` hex or bare SHA-256 hex). */
export function attachmentDigestClaim(digest: string): { sha256: string } | { sm3: string } {
  return digest.startsWith('sm3:') ? { sm3: digest.slice(4) } : { sha256: digest };
}

/** Checks the yrdx receipt claims after the registered ones. */
export function checkReceiptClaims(claims: Record<string, unknown>): ReceiptClaims {
  requireString(claims, 'messageId', ID_PATTERN, 'messageId');
  if (claims.sm3 !== undefined) {
    if (claims.sha256 !== undefined) throw invalid('sha256', 'oneDigest');
    requireString(claims, 'sm3', SHA256_HEX, 'sm3');
  } else requireString(claims, 'sha256', SHA256_HEX, 'sha256');
  const status = claims.status;
  if (!(RECEIPT_STATUSES as readonly unknown[]).includes(status)) {
    throw invalid('status', 'status', { statuses: listOf(RECEIPT_STATUSES) });
  }
  // Shown and stored by the sender (delivery status, console, audit log): a short code, nothing more.
  optionalString(claims, 'reason', REASON_PATTERN, 'problemCode');
  if (claims.losses !== undefined) checkLosses(claims.losses);
  if (claims.lossesOmitted !== undefined) checkLossesOmitted(claims.lossesOmitted);
  return claims as unknown as ReceiptClaims;
}

/** A map of at most MAX_RECEIPT_LOSS_SYSTEMS local system ids, or the reason it is not. */
function lossMap(value: unknown): [string, unknown][] | EnvelopeReason {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'object';
  const entries = Object.entries(value);
  if (entries.length > MAX_RECEIPT_LOSS_SYSTEMS) return 'lossSystems';
  if (entries.some(([id]) => !ID_PATTERN.test(id))) return 'lossIds';
  return entries;
}

// A hostile receipt with a huge list is refused here, before anything is stored.
function checkLosses(value: unknown): void {
  const entries = lossMap(value);
  if (typeof entries === 'string') throw invalid('losses', entries, { max: MAX_RECEIPT_LOSS_SYSTEMS });
  for (const [, list] of entries) {
    if (!Array.isArray(list) || list.length > MAX_RECEIPT_LOSSES)
      throw invalid('losses', 'lossLists', { max: MAX_RECEIPT_LOSSES });
    for (const p of list)
      if (typeof p !== 'string' || !p.startsWith('/') || p.length > MAX_RECEIPT_POINTER_LENGTH)
        throw invalid('losses', 'lossPointers', { max: MAX_RECEIPT_POINTER_LENGTH });
  }
}

function checkLossesOmitted(value: unknown): void {
  const entries = lossMap(value);
  if (typeof entries === 'string') throw invalid('lossesOmitted', entries, { max: MAX_RECEIPT_LOSS_SYSTEMS });
  for (const [, n] of entries)
    if (!Number.isSafeInteger(n) || (n as number) < 1) throw invalid('lossesOmitted', 'lossCounts');
}

/** The digest a receipt names, in the kept form (digest.ts): SHA-256 hex, or `sm3:` and hex. */
export function receiptDigest(claims: Pick<ReceiptClaims, 'sha256' | 'sm3'>): string {
  return claims.sm3 !== undefined ? `sm3:${claims.sm3}` : claims.sha256!;
}

/** The receipt claims that carry a digest in the kept form. */
export function receiptDigestClaims(digest: string): { sha256: string } | { sm3: string } {
  return digest.startsWith('sm3:') ? { sm3: digest.slice(4) } : { sha256: digest };
}

export function audienceList(aud: string | readonly string[]): readonly string[] {
  return typeof aud === 'string' ? [aud] : aud;
}
