// The activity of each local system, the same in SQLite, D1 and PostgreSQL (no parameters).

/**
 * Per local system: its newest submission, its newest delivery (a push answered 2xx, or a pull
 * acknowledged) and how many deliveries to it wait (queued, retrying, being sent, or pulled and
 * not yet acknowledged).
 */
export const LOCAL_SYSTEM_ACTIVITY = `SELECT local_system, max(last_submission_at) AS last_submission_at,
    max(last_delivery_at) AS last_delivery_at, sum(pending) AS pending
  FROM (
    SELECT local_system, max(created_at) AS last_submission_at, NULL AS last_delivery_at, 0 AS pending
      FROM outbound_messages GROUP BY local_system
    UNION ALL
    SELECT local_system, NULL,
      max(CASE WHEN status = 'delivered' THEN updated_at WHEN status = 'acked' THEN acked_at END),
      sum(CASE WHEN status IN ('queued', 'sending', 'retry') THEN 1 ELSE 0 END)
      FROM local_deliveries GROUP BY local_system
  ) activity
  GROUP BY local_system ORDER BY local_system`;
