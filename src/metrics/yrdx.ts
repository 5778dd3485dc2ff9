import { MetricsRegistry } from './registry.js';

/** Seconds, from a fast local delivery to a partner that was down for a day. */
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21_600, 86_400];

/**
 * The metrics of a yrdx node. Label values are always bounded: node ids from configuration,
 * domains and types from the vocabulary, outcomes from a fixed list or a problem code. Values a
 * caller could invent (an unverified `iss`) are never used as labels.
 */
export function createMetrics(registry = new MetricsRegistry()) {
  return {
    registry,
    submissions: registry.counter(
      'yrdx_submissions_total',
      'Submissions from local systems to POST /v1/messages, by outcome (queued, replayed or the problem code).',
      ['local_system', 'domain', 'type', 'outcome'],
    ),
    messages: registry.counter(
      'yrdx_messages_total',
      'Messages by partner, domain, type and outcome. outbound: final delivery outcome (delivered, rejected, dead); inbound: accepted, duplicate or the problem code.',
      ['direction', 'partner', 'domain', 'type', 'outcome'],
    ),
    deliveryAttempts: registry.counter(
      'yrdx_delivery_attempts_total',
      'Attempts to deliver to a partner inbox, by outcome (delivered, retry, rejected, dead).',
      ['partner', 'outcome'],
    ),
    retries: registry.counter(
      'yrdx_delivery_retries_total',
      'Retries scheduled after a failed delivery attempt (network error, 5xx, 429, bad receipt).',
      ['partner'],
    ),
    deadLetters: registry.counter(
      'yrdx_dead_letters_total',
      'Deliveries given up on (dead), to partners (queue="delivery") and to local systems (queue="local-push").',
      ['queue', 'destination'],
    ),
    deliveryLatency: registry.histogram(
      'yrdx_delivery_latency_seconds',
      'Time from submission to a verified receipt from the partner.',
      ['partner', 'domain'],
      LATENCY_BUCKETS,
    ),
    fileBytes: registry.counter(
      'yrdx_file_bytes_total',
      'Bytes of case files: uploaded by local systems (upload), served to partners (out), fetched from partners (in), downloaded by local systems (download).',
      ['direction'],
    ),
    fileTransfers: registry.counter(
      'yrdx_file_transfers_total',
      'Case-file transfers from partners by outcome (arrived, refused, retry, dead).',
      ['outcome'],
    ),
    fileTransfersInFlight: registry.gauge(
      'yrdx_file_transfers_in_flight',
      'Case-file transfers running now: fetches from partners (in), serves to partners (out), uploads (upload).',
      ['direction'],
    ),
    localPushes: registry.counter(
      'yrdx_local_push_total',
      'Push attempts to local systems, by outcome (delivered, retry, dead).',
      ['local_system', 'outcome'],
    ),
    circuitOpen: registry.gauge(
      'yrdx_circuit_open',
      'Whether the circuit to a partner is open (1: calls are paused after repeated failures).',
      ['partner'],
    ),
    overdueThreads: registry.gauge(
      'yrdx_threads_overdue',
      'Tracks of open cooperation threads past the due time of their state, by counterpart, domain and direction.',
      ['partner', 'domain', 'direction'],
    ),
    openTracks: registry.gauge(
      'yrdx_thread_tracks_open',
      'Tracks of open cooperation threads by workflow and state (a joint investigation counts once per participant).',
      ['domain', 'workflow', 'state'],
    ),
    keyExpiry: registry.gauge(
      'yrdx_key_expiry_seconds',
      'Seconds until a key expires (negative: expired); owner "self" for this node, else the partner id.',
      ['owner', 'kid', 'state'],
    ),
    keyExpiring: registry.gauge(
      'yrdx_key_expiring',
      'Whether a key that is still in use expires within the warning period (60 days): 1 means act now.',
      ['owner', 'kid'],
    ),
    anonymousRefusals: registry.counter(
      'yrdx_anonymous_refusals_total',
      'Admin API and console requests refused without a valid credential (none, wrong, expired, or rate limited before one), by surface (admin_api, console) and problem code. The audit log keeps a summary per window, not each one.',
      ['surface', 'code'],
    ),
    rateLimited: registry.counter(
      'yrdx_rate_limited_total',
      'Exchange requests refused with 429 by a rate limit, by limit: partner_address (POST /v1/inbox before verification), partner (after), local_system, anonymous (local-system routes without a valid API key).',
      ['limit'],
    ),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
