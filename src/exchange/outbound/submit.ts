import { PART_ID } from '../../attachments/blob-store.js';
import type { LocalSystemConfig } from '../../config/types.js';
import { translate } from '../../contracts/translate.js';
import { unknownDomain } from '../../contracts/unknown.js';
import { MAX_ATTACHMENTS } from '../../envelope/claims.js';
import { digestMatches, sha256Hex } from '../../envelope/digest.js';
import { sealMessage } from '../../envelope/seal.js';
import { ulid } from '../../envelope/ulid.js';
import { type ProblemItem, YrdxError } from '../../errors/errors.js';
import { requestFault } from '../../errors/request-text.js';
import type { LocalText } from '../../errors/text.js';
import type { DeliveryStatus, FileStore, InboxStore, OutboxStore, ThreadStore } from '../../store/port.js';
import { formatTraceparent, type TraceContext } from '../../trace/traceparent.js';
import {
  type Domain,
  inScope,
  isDomain,
  isMessageType,
  type MessageType,
} from '../../vocabulary/messages.js';
import { caseNumberOf } from '../case-number.js';
import type { ExchangeDeps, StageDeps } from '../deps.js';
import { resolveUploads } from '../files/attach.js';
import { threadChangeOf } from '../threads/threads.js';
import { overallStatus } from './status.js';

/** What a local system posts to `/v1/messages`. */
export interface SubmitRequest {
  readonly to?: string | readonly string[];
  readonly domain: Domain;
  readonly type: MessageType;
  readonly body: Record<string, unknown>;
  readonly thread?: string;
  readonly inReplyTo?: string;
  /** Files uploaded before (`/v1/uploads`), in the order the message lists them. */
  readonly attachments?: readonly { readonly upload: string }[];
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Checks the request envelope (not the body, which its contract checks) and reports every fault. */
export function parseSubmitRequest(value: unknown): SubmitRequest {
  const faults: ProblemItem[] = [];
  const fault = (pointer: string, detail: LocalText) => faults.push({ pointer, detail });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new YrdxError('request_invalid', {
      params: { count: 1 },
      errors: [{ pointer: '/', detail: requestFault('jsonObject') }],
    });
  }
  const r = value as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!['to', 'domain', 'type', 'body', 'thread', 'inReplyTo', 'attachments'].includes(key))
      fault(`/${key}`, requestFault('notAllowed'));
  }
  if (!isDomain(r.domain)) fault('/domain', requestFault('domain'));
  if (!isMessageType(r.type)) fault('/type', requestFault('type'));
  if (typeof r.body !== 'object' || r.body === null || Array.isArray(r.body))
    fault('/body', requestFault('body'));
  const to = r.to;
  if (
    to !== undefined &&
    !(typeof to === 'string' && /^\d{6}$/.test(to)) &&
    !(Array.isArray(to) && to.length > 0 && to.every((t) => typeof t === 'string' && /^\d{6}$/.test(t)))
  ) {
    fault('/to', requestFault('to'));
  }
  if (to === undefined && r.type !== 'risk-alert') fault('/to', requestFault('toMissing'));
  for (const name of ['thread', 'inReplyTo'] as const) {
    if (r[name] !== undefined && (typeof r[name] !== 'string' || !ID.test(r[name] as string)))
      fault(`/${name}`, requestFault('messageId'));
  }
  if ((r.type === 'assistance-reply' || r.type === 'consultation-reply') && r.inReplyTo === undefined) {
    fault('/inReplyTo', requestFault('inReplyTo'));
  }
  const files = r.attachments;
  if (
    files !== undefined &&
    !(
      Array.isArray(files) &&
      files.length <= MAX_ATTACHMENTS &&
      files.every(
        (f) =>
          typeof f === 'object' &&
          f !== null &&
          Object.keys(f).length === 1 &&
          typeof (f as { upload?: unknown }).upload === 'string' &&
          PART_ID.test((f as { upload: string }).upload),
      )
    )
  )
    fault('/attachments', requestFault('attachments', { max: MAX_ATTACHMENTS }));
  if (faults.length > 0)
    throw new YrdxError('request_invalid', { params: { count: faults.length }, errors: faults });
  return r as unknown as SubmitRequest;
}

export interface SubmitResult {
  readonly messageId: string;
  readonly replayed: boolean;
  readonly recipients: readonly string[];
  readonly thread: string;
  /** `queued` for a new message; for a replay, the stored message's current status. */
  readonly status: DeliveryStatus;
}

/**
 * The outbound path: authorise → translate the local dialect to canonical (validating both) →
 * seal → persist with the idempotency record and the thread change in one unit. Nothing is
 * acknowledged before the message is stored.
 */
export async function submitMessage(
  deps: StageDeps<OutboxStore & InboxStore & ThreadStore & FileStore>,
  system: LocalSystemConfig,
  request: SubmitRequest,
  idempotency: { readonly key: string; readonly rawBody: string } | undefined,
  trace?: TraceContext,
): Promise<SubmitResult> {
  const { config, partners, contracts } = deps;
  // Same key and same body: the stored message answers, whatever has changed since (a partner
  // suspended, a permission withdrawn, a new contract); nothing is translated or sealed again.
  const key =
    idempotency === undefined
      ? undefined
      : {
          key: idempotency.key,
          requestSha256: await (deps.digest ?? sha256Hex)(idempotency.rawBody),
          // For the store's own comparison under a concurrent submission of the other profile.
          requestBody: idempotency.rawBody,
        };
  const seen = key && (await deps.store.findIdempotencyKey(system.id, key.key));
  if (seen !== undefined) {
    // Compared by the algorithm the stored digest names, so a profile change keeps retries answering.
    if (!(await digestMatches(seen.requestSha256, idempotency!.rawBody)))
      throw new YrdxError('idempotency_conflict');
    return replayOf(deps, seen.messageId);
  }
  if (!inScope(system.maySend.domains, request.domain) || !inScope(system.maySend.types, request.type)) {
    throw new YrdxError('not_authorised', {
      params: { who: system.id, domain: request.domain, type: request.type },
    });
  }
  const recipients =
    request.to === undefined
      ? partners
          .list()
          .filter((p) => p.status === 'active' && subscribed(config, p.id, request.domain))
          .map((p) => p.id)
      : typeof request.to === 'string'
        ? [request.to]
        : [...new Set(request.to)];
  for (const r of recipients) {
    if (partners.get(r)?.status !== 'active')
      throw new YrdxError('partner_unknown', { params: { partner: r } });
  }
  if (recipients.length === 0)
    throw new YrdxError('partner_unknown', { params: { partner: `(${request.domain} 领域无订阅方)` } });
  // The system's dialect is that of the major it speaks (pinned in its configuration, else the newest).
  const major = system.contractMajors[request.domain];
  const contract = contracts.latest(request.domain, major);
  if (contract === undefined) throw unknownDomain(contracts, request.domain, major, system.id);
  const canonical = translate(contract, system.dialect, 'canonical', request.type, request.body);
  const files = await resolveUploads(deps, system, request.attachments ?? []);
  const now = deps.now();
  const jti = ulid(now);
  const thread = await threadFor(deps, request, recipients, jti);
  const threadChange = await threadChangeOf(deps.store, config, contract, {
    type: request.type,
    domain: request.domain,
    messageId: jti,
    thread,
    canonical,
    direction: 'outbound',
    sender: config.id,
    recipients,
    now,
  });
  const sealed = await sealMessage(
    {
      to: recipients.length === 1 ? recipients[0]! : recipients,
      type: request.type,
      domain: request.domain,
      contract: contract.id,
      body: canonical,
      thread,
      ...(request.inReplyTo === undefined ? {} : { inReplyTo: request.inReplyTo }),
      jti,
      // Which local system submitted it: the recipients' provenance fields name it.
      origin: system.id,
      ...(files.claims.length === 0 ? {} : { attachments: files.claims }),
    },
    {
      self: config.id,
      signer: deps.keyring().signer,
      policy: config.envelope,
      now: deps.now,
      ...((deps.digest ?? deps.sha256) ? { sha256: (deps.digest ?? deps.sha256)! } : {}),
    },
  );
  const outcome = await deps.store.submitOutbound(
    {
      messageId: jti,
      localSystem: system.id,
      ...(key === undefined ? {} : { idempotency: key }),
      type: request.type,
      domain: request.domain,
      contract: contract.id,
      thread,
      ...(request.inReplyTo === undefined ? {} : { inReplyTo: request.inReplyTo }),
      token: sealed.token,
      sha256: sealed.sha256,
      expiresAt: sealed.claims.exp * 1000,
      recipients,
      canonical,
      caseNumber: caseNumberOf(canonical),
      ...(threadChange === undefined ? {} : { threadChange }),
      ...(trace === undefined ? {} : { traceparent: formatTraceparent(trace) }),
      ...(files.refs.length === 0 ? {} : { attachments: files.refs }),
    },
    now,
  );
  if (outcome.status === 'conflict') throw new YrdxError('idempotency_conflict');
  // A concurrent submission under the same key stored it first.
  if (outcome.status === 'replayed') return replayOf(deps, outcome.messageId);
  deps.notify?.('delivery');
  return { messageId: outcome.messageId, replayed: false, recipients, thread, status: 'queued' };
}

/** The answer to a replay: the stored message's id, thread, recipients and current status. */
async function replayOf(deps: StageDeps<OutboxStore>, messageId: string): Promise<SubmitResult> {
  const stored = await deps.store.getOutbound(messageId);
  if (stored === undefined) throw new YrdxError('message_not_found', { params: { id: messageId } });
  return {
    messageId,
    replayed: true,
    recipients: stored.deliveries.map((d) => d.recipient),
    thread: stored.thread,
    status: overallStatus(stored.deliveries),
  };
}

function subscribed(config: ExchangeDeps['config'], partner: string, domain: Domain): boolean {
  const subscribes = config.partners.find((p) => p.id === partner)?.subscribes;
  return subscribes !== undefined && inScope(subscribes, domain);
}

/** A reply joins its request's thread; anything else names its own or starts one. */
async function threadFor(
  deps: StageDeps<InboxStore>,
  request: SubmitRequest,
  recipients: readonly string[],
  jti: string,
): Promise<string> {
  if (request.thread !== undefined) return request.thread;
  if (request.inReplyTo !== undefined) {
    const answered = await deps.store.getInbound(recipients[0]!, request.inReplyTo);
    return answered?.thread ?? request.inReplyTo;
  }
  return jti;
}
