import type { DeliveryStatus, DeliveryView } from '../../store/port.js';

/**
 * The status of a whole message from its deliveries: the least advanced wins (a message is
 * `delivered` only when every recipient holds it). `GET /v1/messages/{id}` and an idempotent
 * replay of `POST /v1/messages` both answer with it.
 */
export function overallStatus(deliveries: readonly Pick<DeliveryView, 'status'>[]): DeliveryStatus {
  const statuses = new Set(deliveries.map((d) => d.status));
  for (const s of ['dead', 'rejected', 'sending', 'retry', 'queued'] as const) if (statuses.has(s)) return s;
  return 'delivered';
}
