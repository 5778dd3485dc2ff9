import type { ReceiptClaims } from '../../envelope/claims.js';
import { verifyReceipt } from '../../envelope/receipt.js';
import type { DeliveryClaim, DeliveryOutcome, DeliveryQueueStore } from '../../store/port.js';
import { scrubText } from '../../text/safe-text.js';
import { hopHeaders, traceIdOf } from '../../trace/hop.js';
import type { Language } from '../../vocabulary/language.js';
import type { StageDeps } from '../deps.js';
import { backoffDelay, Circuits, retryAfterMs } from './backoff.js';
import { answeringNode, mayBeWrongNode, wrongNodeError } from './wrong-node.js';

/** A partner's problem code and detail are kept this long at most (in the delivery and its history). */
const MAX_PROBLEM_CODE = 64;
const MAX_PROBLEM_DETAIL = 512;

/** A receipt that verified and says `rejected`: final, with the partner's reason, the receipt kept. */
function receiptRejection(
  status: number,
  claims: ReceiptClaims,
  receipt: { readonly token: string; readonly sha256: string },
): DeliveryOutcome {
  return {
    kind: 'rejected',
    status,
    ...(claims.reason === undefined ? {} : { code: claims.reason }),
    detail: 'rejected in the partner’s signed receipt',
    receipt,
  };
}

export interface Worker {
  /** Claims and processes one batch; resolves to the number of rows handled (0: nothing was due). */
  runOnce(): Promise<number>;
}

/**
 * Delivers outbox rows to partners: `POST {partner}/v1/inbox` (application/jose), verifies the
 * signed receipt against the exact bytes sent, and records the outcome. Network errors, 5xx and
 * 429 are retried with backoff (honouring Retry-After) until the retry budget or the message's
 * expiry, then the delivery is dead; other 4xx answers are final. A circuit per partner stops
 * calls to a partner that keeps failing, and at most `perPartnerConcurrency` calls run per partner.
 * An answer that comes from another node than the partner (its published `/.well-known/yrdx-node`
 * names another id) is a configuration fault: the delivery is dead at once, naming the node that
 * answered, so that it can be requeued once `partners[].baseUrl` is fixed.
 */
export function deliveryWorker(
  deps: StageDeps<DeliveryQueueStore>,
  options: {
    readonly worker: string;
    readonly batch?: number;
    /** The language of the errors recorded with deliveries (default 简体中文). */
    readonly lang?: Language;
  },
): Worker & { readonly circuits: Circuits } {
  const settings = deps.config.delivery;
  const circuits = new Circuits(settings.circuitFailures, settings.circuitOpenMs);
  const inFlight = new Map<string, number>();
  const digest = deps.digest ?? deps.sha256;
  const sha = digest ? { sha256: digest } : {};
  const metrics = deps.metrics;
  metrics?.registry.onCollect(() => {
    const now = deps.now();
    metrics.circuitOpen.reset();
    for (const p of deps.partners.list())
      metrics.circuitOpen.set({ partner: p.id }, circuits.isOpen(p.id, now) ? 1 : 0);
  });

  /**
   * A dead outcome when the partner's address is answered by another node. Retrying cannot help, and
   * a rejection would be final although the partner never saw the message: dead can be requeued.
   */
  async function wrongNode(claim: DeliveryClaim, baseUrl: string): Promise<DeliveryOutcome | undefined> {
    const answered = await answeringNode(deps.fetch, baseUrl, settings.timeoutMs);
    if (answered === undefined || answered === claim.recipient) return undefined;
    return { kind: 'dead', error: wrongNodeError(claim.recipient, baseUrl, answered, options.lang ?? 'zh') };
  }

  async function attempt(claim: DeliveryClaim): Promise<DeliveryOutcome> {
    const partner = deps.partners.get(claim.recipient);
    const now = deps.now();
    if (partner === undefined || partner.status !== 'active')
      return { kind: 'dead', error: 'the partner is no longer registered or is suspended' };
    if (now > claim.expiresAt)
      return { kind: 'dead', error: 'the message expired before it could be delivered' };
    let response: Response;
    try {
      response = await deps.fetch(`${partner.baseUrl}/v1/inbox`, {
        method: 'POST',
        headers: {
          'content-type': 'application/jose',
          accept: 'application/jose, application/problem+json',
          ...hopHeaders(claim.traceparent),
        },
        body: claim.token,
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
    } catch (error) {
      return retry(claim, `network: ${(error as Error).message}`, undefined);
    }
    const text = await response.text().catch(() => '');
    if (response.ok) {
      try {
        const receipt = await verifyReceipt(
          text.trim(),
          {
            token: claim.token,
            claims: { jti: claim.messageId, aud: [claim.recipient], iss: deps.config.id },
          },
          {
            self: deps.config.id,
            keys: deps.partners,
            policy: deps.config.envelope,
            now: deps.now,
            expectedIssuer: claim.recipient,
            ...sha,
          },
        );
        const kept = { token: receipt.token, sha256: receipt.sha256 };
        // A verified receipt is the partner's signed word on the message, status included.
        if (receipt.claims.status === 'rejected')
          return receiptRejection(response.status, receipt.claims, kept);
        return { kind: 'delivered', receipt: kept };
      } catch (error) {
        if (mayBeWrongNode(response.status, undefined)) {
          const wrong = await wrongNode(claim, partner.baseUrl);
          if (wrong !== undefined) return wrong;
        }
        return retry(claim, `the receipt does not verify: ${(error as Error).message}`, undefined);
      }
    }
    if (response.status === 429 || response.status >= 500) {
      return retry(claim, `HTTP ${response.status}`, retryAfterMs(response.headers.get('retry-after'), now));
    }
    let problem: { code?: unknown; detail?: unknown } = {};
    try {
      problem = JSON.parse(text) as typeof problem;
    } catch {
      // not problem+json: keep the status
    }
    const code = typeof problem.code === 'string' ? problem.code : undefined;
    if (mayBeWrongNode(response.status, code)) {
      const wrong = await wrongNode(claim, partner.baseUrl);
      if (wrong !== undefined) return wrong;
    }
    return {
      kind: 'rejected',
      status: response.status,
      ...(typeof problem.code === 'string' ? { code: scrubText(problem.code, MAX_PROBLEM_CODE) } : {}),
      ...(typeof problem.detail === 'string'
        ? { detail: scrubText(problem.detail, MAX_PROBLEM_DETAIL) }
        : {}),
    };
  }

  function retry(claim: DeliveryClaim, error: string, retryAfter: number | undefined): DeliveryOutcome {
    const now = deps.now();
    const delay = Math.max(
      backoffDelay(claim.attempts, settings.baseDelayMs, settings.maxDelayMs),
      retryAfter ?? 0,
    );
    const next = now + delay;
    if (claim.attempts >= settings.maxAttempts)
      return {
        kind: 'dead',
        error: `retry budget of ${settings.maxAttempts} attempts used up; last error: ${error}`,
      };
    if (next > claim.expiresAt)
      return {
        kind: 'dead',
        error: `the next attempt would fall after the message expires; last error: ${error}`,
      };
    return { kind: 'retry', nextAttemptAt: next, error };
  }

  async function handle(claim: DeliveryClaim): Promise<void> {
    inFlight.set(claim.recipient, (inFlight.get(claim.recipient) ?? 0) + 1);
    try {
      const outcome = await attempt(claim);
      // A signed answer, whatever it says, shows the partner is up.
      if (outcome.kind === 'delivered' || (outcome.kind === 'rejected' && outcome.receipt !== undefined))
        circuits.success(claim.recipient);
      else if (outcome.kind === 'retry') circuits.failure(claim.recipient, deps.now());
      const kept = await deps.store.completeDelivery(claim, outcome, deps.now());
      if (kept) record(claim, outcome);
      deps.log?.(outcome.kind === 'delivered' ? 'info' : 'warn', `delivery ${outcome.kind}`, {
        messageId: claim.messageId,
        partner: claim.recipient,
        attempt: claim.attempts,
        ...traceIdOf(claim.traceparent),
        ...(outcome.kind === 'retry' || outcome.kind === 'dead' ? { error: outcome.error } : {}),
        ...(outcome.kind === 'rejected'
          ? { status: outcome.status, code: outcome.code, receipt: outcome.receipt !== undefined }
          : {}),
        ...(kept ? {} : { leaseLost: true }),
      });
    } finally {
      inFlight.set(claim.recipient, (inFlight.get(claim.recipient) ?? 1) - 1);
    }
  }

  function record(claim: DeliveryClaim, outcome: DeliveryOutcome): void {
    if (metrics === undefined) return;
    const partner = claim.recipient;
    metrics.deliveryAttempts.inc({ partner, outcome: outcome.kind });
    if (outcome.kind === 'retry') {
      metrics.retries.inc({ partner });
      return;
    }
    if (outcome.kind === 'dead') metrics.deadLetters.inc({ queue: 'delivery', destination: partner });
    metrics.messages.inc({
      direction: 'outbound',
      partner,
      domain: claim.domain ?? 'unknown',
      type: claim.type ?? 'unknown',
      outcome: outcome.kind,
    });
    if (outcome.kind === 'delivered' && claim.createdAt !== undefined) {
      metrics.deliveryLatency.observe(
        { partner, domain: claim.domain ?? 'unknown' },
        Math.max(0, deps.now() - claim.createdAt) / 1000,
      );
    }
  }

  return {
    circuits,
    async runOnce() {
      const now = deps.now();
      // Claim, per partner, only as many deliveries as it has free call slots, so that every claimed
      // row is sent at once and its lease never runs out while it waits in a queue.
      const partners = deps.partners
        .list()
        .filter((p) => p.status === 'active' && !circuits.isOpen(p.id, now));
      const claims: DeliveryClaim[] = [];
      for (const partner of partners) {
        const free = settings.perPartnerConcurrency - (inFlight.get(partner.id) ?? 0);
        if (free <= 0) continue;
        const others = deps.partners
          .list()
          .map((p) => p.id)
          .filter((id) => id !== partner.id);
        claims.push(
          ...(await deps.store.claimDeliveries(
            {
              worker: options.worker,
              leaseMs: settings.leaseMs,
              limit: Math.min(free, options.batch ?? 32),
              exclude: others,
            },
            now,
          )),
        );
      }
      await Promise.all(claims.map((c) => handle(c)));
      return claims.length;
    },
  };
}
