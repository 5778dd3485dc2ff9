import { attachmentRefs } from '../../attachments/grant.js';
import type { LocalSystemConfig } from '../../config/types.js';
import type { Contract } from '../../contracts/contract.js';
import { toLocalDialect } from '../../contracts/deliver.js';
import { type LossReport, lossCount } from '../../contracts/loss.js';
import type { ProvenanceContext } from '../../contracts/mapping-types.js';
import { translate } from '../../contracts/translate.js';
import { notAccepted } from '../../contracts/unknown.js';
import {
  MAX_RECEIPT_LOSS_SYSTEMS,
  MAX_RECEIPT_LOSSES,
  MAX_RECEIPT_POINTER_LENGTH,
  type MessageClaims,
} from '../../envelope/claims.js';
import { digestMatches } from '../../envelope/digest.js';
import { openMessage } from '../../envelope/open.js';
import { type ReceiptDraft, sealReceipt } from '../../envelope/seal.js';
import { YrdxError } from '../../errors/errors.js';
import type { ClientIdentity } from '../../http/client-identity.js';
import type { InboxStore, ThreadStore } from '../../store/port.js';
import { formatTraceparent, type TraceContext } from '../../trace/traceparent.js';
import { inScope } from '../../vocabulary/messages.js';
import { caseNumberOf } from '../case-number.js';
import { requireClientCertificate } from '../client-certificate.js';
import type { StageDeps } from '../deps.js';
import { admitAttachments } from '../files/attach.js';
import { forOrgans, organsOf } from '../local/organs.js';
import { threadChangeOf } from '../threads/threads.js';

export interface InboxResult {
  /** The signed receipt to answer with (the stored one for a retry of the same bytes). */
  readonly receipt: string;
  readonly duplicate: boolean;
  /** The message, once its signature is verified (for logs). */
  readonly messageId: string;
  readonly partner: string;
  readonly thread: string;
}

/** Labels of the message being received, known once its signature has been verified. */
interface Seen {
  partner: string;
  domain: string;
  type: string;
}

/**
 * The inbound path: open the JWS (every envelope rule) → authorise sender × domain × type →
 * validate the canonical body against the contract it names → write it in the dialect of every
 * local system that receives it, with what that dialect cannot carry (never refused for it) → seal
 * a receipt that names those losses → store message, receipt, local deliveries and thread change in
 * one unit. A retry of the same bytes gets the stored receipt; other bytes under a seen (iss, jti)
 * are refused.
 */
export async function receiveMessage(
  deps: StageDeps<InboxStore & ThreadStore>,
  token: string,
  trace?: TraceContext,
  client: ClientIdentity = { kind: 'none', reason: 'notConfigured' },
): Promise<InboxResult> {
  // Until the signature verifies, nothing in the message may become a label (it could be anything).
  const seen: Seen = { partner: 'unknown', domain: 'unknown', type: 'unknown' };
  try {
    const result = await receive(deps, token, trace, seen, client);
    deps.metrics?.messages.inc({
      direction: 'inbound',
      ...seen,
      outcome: result.duplicate ? 'duplicate' : 'accepted',
    });
    return result;
  } catch (error) {
    const code = error instanceof YrdxError ? error.code : 'internal_error';
    deps.metrics?.messages.inc({ direction: 'inbound', ...seen, outcome: code });
    throw error;
  }
}

/** The receipt's `losses` claim: per local system that lost anything, within the receipt's bounds. */
function receiptLosses(
  deliveries: readonly { readonly localSystem: string; readonly losses: LossReport }[],
): Pick<ReceiptDraft, 'losses' | 'lossesOmitted'> {
  const lossy = deliveries.filter((d) => lossCount(d.losses) > 0).slice(0, MAX_RECEIPT_LOSS_SYSTEMS);
  if (lossy.length === 0) return {};
  const losses: Record<string, readonly string[]> = {};
  const omitted: Record<string, number> = {};
  for (const d of lossy) {
    // A pointer too long for the claim is counted, not listed (the receipt must always seal).
    const fit = d.losses.pointers.filter((p) => p.length <= MAX_RECEIPT_POINTER_LENGTH);
    losses[d.localSystem] = fit.slice(0, MAX_RECEIPT_LOSSES);
    const rest = d.losses.omitted + d.losses.pointers.length - losses[d.localSystem]!.length;
    if (rest > 0) omitted[d.localSystem] = rest;
  }
  return Object.keys(omitted).length === 0 ? { losses } : { losses, lossesOmitted: omitted };
}

async function receive(
  deps: StageDeps<InboxStore & ThreadStore>,
  token: string,
  trace: TraceContext | undefined,
  seen: Seen,
  client: ClientIdentity,
): Promise<InboxResult> {
  const { config } = deps;
  const digest = deps.digest ?? deps.sha256;
  const sha = digest ? { sha256: digest } : {};
  const opened = await openMessage(token, {
    self: config.id,
    keys: deps.partners,
    policy: config.envelope,
    now: deps.now,
    ...sha,
  });
  const claims = opened.claims;
  const known = { messageId: claims.jti, partner: claims.iss, thread: claims.thread };
  if (deps.partners.get(claims.iss) !== undefined) {
    seen.partner = claims.iss;
    seen.domain = claims.domain;
    seen.type = claims.type;
  }
  // The certificate the partner's pins require (docs/tlcp.md), before its budget is spent.
  requireClientCertificate(claims.iss, deps.partners.config(claims.iss)?.tlsClient, client);
  // The partner's rate limit, now that the signature says who sent the message.
  deps.admitPartner?.(claims.iss);
  if (!deps.partners.maySend(claims.iss, claims.domain, claims.type)) {
    throw new YrdxError('not_authorised', {
      params: { who: claims.iss, domain: claims.domain, type: claims.type },
    });
  }
  // A retry of bytes already stored is answered before any further work.
  const stored = await deps.store.getInbound(claims.iss, claims.jti);
  if (stored !== undefined) {
    // By the algorithm the stored digest names: a retry stays a duplicate across a profile change.
    if (stored.sha256 === opened.sha256 || (await digestMatches(stored.sha256, opened.token, deps.sha256)))
      return { receipt: stored.receiptToken, duplicate: true, ...known };
    throw new YrdxError('jws_replayed');
  }
  const [domain, version] = claims.contract.split('@') as [string, string];
  const contract = deps.contracts.accepting(domain, version);
  if (contract === undefined) throw notAccepted(deps.contracts, claims.contract);
  // The canonical body is validated first, so that a receipt always vouches for a valid body; a local
  // system's dialect never refuses it: what the dialect cannot carry is reported, not refused.
  const canonical = translate(contract, 'canonical', 'canonical', claims.type, claims.body);
  const provenance = provenanceOf(deps, claims);
  // Another major's mapping was not written for this document's shapes: should it fail outright (not
  // merely report losses), the system gets the message in this version's dialect instead, and a warning.
  const throughMajor = (older: Contract | undefined, system: LocalSystemConfig) => {
    if (older === undefined) return undefined;
    try {
      return toLocalDialect(older, system.dialect, claims.type, canonical, provenance);
    } catch (error) {
      deps.log?.('warn', 'a message could not be written in the major a local system is pinned to', {
        messageId: claims.jti,
        localSystem: system.id,
        contract: older.id,
        error: (error as Error).message.slice(0, 200),
      });
      return undefined;
    }
  };
  // A message addressed to organs (a suspected crime for the public-security organ) reaches only
  // their systems here; a node with none of them refuses it, so the sender knows at once.
  const organs = organsOf(contract, claims.type, canonical);
  const receivers = forOrgans(config.localSystems, organs);
  if (organs.length > 0 && receivers.length === 0)
    throw new YrdxError('organ_unreachable', { params: { node: config.id, organs: organs.join(',') } });
  const localDeliveries = receivers
    .filter((s) => inScope(s.receives.domains, claims.domain) && inScope(s.receives.types, claims.type))
    .map((s) => {
      // A system pinned to another major reads the message through its own major's mapping; what
      // that cannot carry of this version's document is in the loss report like any other loss.
      const pinned = s.contractMajors[claims.domain];
      const older =
        pinned === undefined || pinned === majorOf(contract.version)
          ? undefined
          : deps.contracts.latest(domain, pinned);
      const local =
        throughMajor(older, s) ?? toLocalDialect(contract, s.dialect, claims.type, canonical, provenance);
      if (!local.dialectValid)
        deps.log?.('warn', 'a local system receives a document its dialect schema refuses', {
          messageId: claims.jti,
          localSystem: s.id,
          losses: local.losses.pointers.slice(0, 5),
        });
      return { localSystem: s.id, mode: s.delivery.mode, body: local.body, losses: local.losses };
    });
  // The files the message names must fit this node's limits and formats before it is vouched for.
  const files = attachmentRefs(claims);
  admitAttachments(deps, files);
  const now = deps.now();
  // The thread's workflow is checked before anything is vouched for: a message its thread does not
  // allow (wrong sender, wrong state, expired) is refused, not receipted.
  const threadChange = await threadChangeOf(deps.store, config, contract, {
    type: claims.type,
    domain: claims.domain,
    messageId: claims.jti,
    thread: claims.thread,
    canonical,
    direction: 'inbound',
    sender: claims.iss,
    recipients: [config.id],
    now,
  });
  const receipt = await sealReceipt(
    {
      to: claims.iss,
      messageId: claims.jti,
      sha256: opened.sha256,
      status: 'accepted',
      ...receiptLosses(localDeliveries),
    },
    { self: config.id, signer: deps.keyring().signer, policy: config.envelope, now: deps.now, ...sha },
  );
  const outcome = await deps.store.receiveInbound(
    {
      iss: claims.iss,
      jti: claims.jti,
      sha256: opened.sha256,
      token: opened.token,
      type: claims.type,
      domain: claims.domain,
      contract: claims.contract,
      thread: claims.thread,
      ...(claims.inReplyTo === undefined ? {} : { inReplyTo: claims.inReplyTo }),
      expiresAt: (claims.exp + config.envelope.clockSkewSeconds) * 1000,
      canonical: claims.body,
      caseNumber: caseNumberOf(claims.body),
      receipt: { token: receipt.token, sha256: receipt.sha256 },
      localDeliveries,
      ...(threadChange === undefined ? {} : { threadChange }),
      ...(trace === undefined ? {} : { traceparent: formatTraceparent(trace) }),
      // Its local deliveries are then held until every file arrived and matched its digest.
      ...(files.length === 0 ? {} : { attachments: files }),
    },
    now,
  );
  if (outcome.status === 'conflict') throw new YrdxError('jws_replayed');
  if (outcome.status === 'duplicate') return { receipt: outcome.receiptToken, duplicate: true, ...known };
  if (files.length > 0) deps.notify?.('files');
  else if (localDeliveries.some((d) => d.mode === 'push')) deps.notify?.('local-push');
  return { receipt: receipt.token, duplicate: false, ...known };
}

/**
 * Who sent the message, for the provenance fields of the local systems' dialects (issue 16 point 5):
 * from the verified envelope and this node's configuration of the partner, never from the body.
 */
function provenanceOf(deps: StageDeps<InboxStore & ThreadStore>, claims: MessageClaims): ProvenanceContext {
  const name = deps.partners.get(claims.iss)?.name;
  return {
    sender: claims.iss,
    ...(name === undefined ? {} : { senderName: name }),
    ...(claims.origin === undefined ? {} : { senderSystem: claims.origin }),
  };
}

const majorOf = (version: string) => Number(version.split('.')[0]);
