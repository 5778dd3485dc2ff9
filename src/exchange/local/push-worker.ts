import type { FileStore, LocalClaim, LocalOutcome, LocalPushStore } from '../../store/port.js';
import { hopHeaders, traceIdOf } from '../../trace/hop.js';
import { backoffDelay } from '../delivery/backoff.js';
import type { Worker } from '../delivery/worker.js';
import type { StageDeps } from '../deps.js';

/** The pointers listed in `x-yrdx-lost` fit in this many bytes; the count header always has them all. */
const LOST_HEADER_BYTES = 4096;

/**
 * Headers that tell a local system what it received, beside the body in its own dialect: the
 * message, what its dialect could not carry (`x-yrdx-losses`, a count, 0 when nothing; `x-yrdx-lost`,
 * the canonical pointers as a JSON array, and a link to the whole canonical document, when
 * something was lost), and the message's W3C `traceparent` (same trace id as the sender's, a new
 * parent id) when it has one.
 */
export function deliveryHeaders(
  item: Pick<LocalClaim, 'iss' | 'jti' | 'type' | 'domain' | 'thread' | 'traceparent' | 'losses'>,
  files = 0,
): Record<string, string> {
  const count = item.losses === undefined ? 0 : item.losses.pointers.length + item.losses.omitted;
  const links = [
    ...(count > 0 ? [`</v1/inbox/messages/${encodeURIComponent(item.jti)}/canonical>; rel="canonical"`] : []),
    ...(files > 0
      ? [`</v1/inbox/messages/${encodeURIComponent(item.jti)}/attachments>; rel="attachments"`]
      : []),
  ];
  return {
    'x-yrdx-message-id': item.jti,
    'x-yrdx-sender': item.iss,
    'x-yrdx-type': item.type,
    'x-yrdx-domain': item.domain,
    'x-yrdx-thread': item.thread,
    'x-yrdx-losses': String(count),
    ...(count > 0 && item.losses !== undefined ? { 'x-yrdx-lost': lostHeader(item.losses.pointers) } : {}),
    // The message's case files (verified before the message was released): listed at the link.
    ...(files > 0 ? { 'x-yrdx-attachments': String(files) } : {}),
    ...(links.length > 0 ? { link: links.join(', ') } : {}),
    ...hopHeaders(item.traceparent),
  };
}

/** A JSON array of pointers, ASCII only (a header value), cut to whole items within the byte budget. */
function lostHeader(pointers: readonly string[]): string {
  const ascii = (p: string) =>
    JSON.stringify(p).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  let out = '[';
  for (const p of pointers) {
    const item = ascii(p);
    if (out.length + item.length + 2 > LOST_HEADER_BYTES) break;
    out += out === '[' ? item : `,${item}`;
  }
  return `${out}]`;
}

/**
 * Pushes received messages to local systems in push mode: POST of the body in the system's dialect
 * with the yrdx headers. 2xx delivers; network errors, 5xx and 429 are retried with backoff until the
 * retry budget, then the delivery is dead (an administrator can requeue it); other 4xx are final.
 * A local system must treat X-Yrdx-Message-Id as an idempotency key: a push in flight when the
 * gateway stops is sent again.
 */
export function localPushWorker(
  deps: StageDeps<LocalPushStore & FileStore>,
  options: { readonly worker: string; readonly batch?: number },
): Worker {
  const settings = deps.config.delivery;
  const systems = new Map(deps.config.localSystems.map((s) => [s.id, s]));

  async function attempt(claim: LocalClaim): Promise<LocalOutcome> {
    const system = systems.get(claim.localSystem);
    if (system === undefined || system.delivery.mode !== 'push')
      return { kind: 'dead', error: 'the local system is not configured for push' };
    let status: number;
    try {
      const files = (await deps.store.inboundFiles(claim.iss, claim.jti)).length;
      const response = await deps.fetch(system.delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', ...deliveryHeaders(claim, files) },
        body: JSON.stringify(claim.body),
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      status = response.status;
      // Drain the answer so the pooled connection can be reused.
      await response.arrayBuffer().catch(() => undefined);
    } catch (error) {
      return retry(claim, `network: ${(error as Error).message}`);
    }
    if (status >= 200 && status < 300) return { kind: 'delivered' };
    if (status === 429 || status >= 500) return retry(claim, `HTTP ${status}`);
    return { kind: 'dead', error: `the local system refused the message with HTTP ${status}` };
  }

  function retry(claim: LocalClaim, error: string): LocalOutcome {
    if (claim.attempts >= settings.maxAttempts)
      return { kind: 'dead', error: `retry budget used up; last error: ${error}` };
    return {
      kind: 'retry',
      nextAttemptAt: deps.now() + backoffDelay(claim.attempts, settings.baseDelayMs, settings.maxDelayMs),
      error,
    };
  }

  return {
    async runOnce() {
      const claims = await deps.store.claimLocalPushes(
        { worker: options.worker, leaseMs: settings.leaseMs, limit: options.batch ?? 32 },
        deps.now(),
      );
      await Promise.all(
        claims.map(async (claim) => {
          const outcome = await attempt(claim);
          const kept = await deps.store.completeLocalPush(claim, outcome, deps.now());
          if (kept) {
            deps.metrics?.localPushes.inc({ local_system: claim.localSystem, outcome: outcome.kind });
            if (outcome.kind === 'dead')
              deps.metrics?.deadLetters.inc({ queue: 'local-push', destination: claim.localSystem });
          }
          deps.log?.(outcome.kind === 'delivered' ? 'info' : 'warn', `local push ${outcome.kind}`, {
            messageId: claim.jti,
            partner: claim.iss,
            thread: claim.thread,
            localSystem: claim.localSystem,
            ...traceIdOf(claim.traceparent),
            ...(outcome.kind === 'delivered' ? {} : { error: outcome.error }),
          });
        }),
      );
      return claims.length;
    },
  };
}
