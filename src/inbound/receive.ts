import { translate } from '../contracts/translate.js';
import { openMessage } from '../envelope/open.js';
import { sealReceipt } from '../envelope/seal.js';
import { YrdxError } from '../errors.js';
import type { ExchangeDeps } from '../exchange/deps.js';
import { threadChangeFor } from '../threads/threads.js';

export interface InboxResult {
  /** The signed receipt to answer with (the stored one for a retry of the same bytes). */
  readonly receipt: string;
  readonly duplicate: boolean;
}

/**
 * The inbound path: open the JWS (every envelope rule) → authorise sender × domain × type →
 * validate the canonical body against the contract it names → translate it for every local system
 * that receives it → seal a receipt → store message, receipt, local deliveries and thread change in
 * one unit. A retry of the same bytes gets the stored receipt; other bytes under a seen (iss, jti)
 * are refused.
 */
export async function receiveMessage(deps: ExchangeDeps, token: string): Promise<InboxResult> {
  const { config } = deps;
  const sha = deps.sha256 ? { sha256: deps.sha256 } : {};
  const opened = await openMessage(token, {
    self: config.id,
    keys: deps.partners,
    policy: config.envelope,
    now: deps.now,
    ...sha,
  });
  const claims = opened.claims;
  if (!deps.partners.maySend(claims.iss, claims.domain, claims.type)) {
    throw new YrdxError('not_authorised', {
      params: { who: claims.iss, domain: claims.domain, type: claims.type },
    });
  }
  // A retry of bytes already stored is answered before any further work.
  const seen = await deps.store.getInbound(claims.iss, claims.jti);
  if (seen !== undefined) {
    if (seen.sha256 === opened.sha256) return { receipt: seen.receiptToken, duplicate: true };
    throw new YrdxError('jws_replayed');
  }
  const [domain, version] = claims.contract.split('@') as [string, string];
  const contract = deps.contracts.accepting(domain, version);
  if (contract === undefined)
    throw new YrdxError('contract_unknown', {
      params: { reason: `this node does not accept ${claims.contract}` },
    });
  const localDeliveries = config.localSystems
    .filter((s) => s.receives.domains.includes(claims.domain) && s.receives.types.includes(claims.type))
    .map((s) => ({
      localSystem: s.id,
      mode: s.delivery.mode,
      body: translate(contract, 'canonical', s.dialect, claims.type, claims.body),
    }));
  if (localDeliveries.length === 0) {
    // Validate even when nobody here receives the type, so that a receipt always vouches for a valid body.
    translate(contract, 'canonical', 'canonical', claims.type, claims.body);
  }
  const now = deps.now();
  const receipt = await sealReceipt(
    { to: claims.iss, messageId: claims.jti, sha256: opened.sha256, status: 'accepted' },
    { self: config.id, signer: deps.keyring().signer, policy: config.envelope, now: deps.now, ...sha },
  );
  const due = (claims.body.request as { dueDate?: unknown } | undefined)?.dueDate;
  const threadChange = threadChangeFor(config, {
    type: claims.type,
    domain: claims.domain,
    messageId: claims.jti,
    thread: claims.thread,
    partner: claims.iss,
    direction: 'inbound',
    now,
    ...(typeof due === 'string' ? { dueDate: due } : {}),
  });
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
      receipt: { token: receipt.token, sha256: receipt.sha256 },
      localDeliveries,
      ...(threadChange === undefined ? {} : { threadChange }),
    },
    now,
  );
  if (outcome.status === 'conflict') throw new YrdxError('jws_replayed');
  if (outcome.status === 'duplicate') return { receipt: outcome.receiptToken, duplicate: true };
  if (localDeliveries.some((d) => d.mode === 'push')) deps.notify?.('local-push');
  return { receipt: receipt.token, duplicate: false };
}
