import type { DeadLetter, DeadLetterQuery, MessageQuery, MessageSummary, PartnerActivity } from '../port.js';
import { optional } from '../rows.js';
import { type D1Database, rowsOf, sql } from './types.js';

interface SummaryRow {
  direction: MessageSummary['direction'];
  message_id: string;
  partners: string | null;
  local_system: string | null;
  type: MessageSummary['type'];
  domain: MessageSummary['domain'];
  contract: string;
  thread: string;
  case_number: string | null;
  at: number;
}

interface DeadRow {
  kind: DeadLetter['kind'];
  delivery_id: string;
  message_id: string;
  partner: string;
  local_system: string | null;
  type: DeadLetter['type'];
  domain: DeadLetter['domain'];
  attempts: number;
  last_error: string | null;
  at: number;
}

const OUTBOUND = `SELECT 'outbound' AS direction, m.message_id, m.local_system, m.type, m.domain, m.contract,
    m.thread, m.case_number, m.created_at AS at,
    (SELECT group_concat(recipient, ',') FROM (SELECT recipient FROM deliveries d
      WHERE d.message_id = m.message_id ORDER BY recipient)) AS partners
  FROM outbound_messages m`;
const INBOUND = `SELECT 'inbound' AS direction, i.jti AS message_id, NULL AS local_system, i.type, i.domain,
    i.contract, i.thread, i.case_number, i.received_at AS at, i.iss AS partners
  FROM inbound_messages i`;

/** What administrators read from the D1 store: message search, dead letters and per-partner activity. */
export function adminOps(db: D1Database) {
  async function search(query: MessageQuery): Promise<MessageSummary[]> {
    const params: Record<string, unknown> = { limit: Math.min(query.limit ?? 100, 1000) };
    const parts: string[] = [];
    for (const direction of ['outbound', 'inbound'] as const) {
      if (query.direction !== undefined && query.direction !== direction) continue;
      const a = direction === 'outbound' ? 'm' : 'i';
      const where: string[] = [];
      const filter = (name: keyof MessageQuery, clause: string) => {
        if (query[name] === undefined) return;
        params[name] = query[name];
        where.push(clause);
      };
      filter('id', direction === 'outbound' ? 'm.message_id = @id' : 'i.jti = @id');
      filter(
        'partner',
        direction === 'outbound'
          ? 'EXISTS (SELECT 1 FROM deliveries p WHERE p.message_id = m.message_id AND p.recipient = @partner)'
          : 'i.iss = @partner',
      );
      filter('domain', `${a}.domain = @domain`);
      filter('type', `${a}.type = @type`);
      filter('thread', `${a}.thread = @thread`);
      filter('caseNumber', `${a}.case_number = @caseNumber`);
      const at = direction === 'outbound' ? 'm.created_at' : 'i.received_at';
      filter('from', `${at} >= @from`);
      filter('to', `${at} < @to`);
      const base = direction === 'outbound' ? OUTBOUND : INBOUND;
      parts.push(
        `SELECT * FROM (${base}${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`}
          ORDER BY ${at} DESC LIMIT @limit)`,
      );
    }
    const text = `${parts.join(' UNION ALL ')} ORDER BY at DESC, message_id LIMIT @limit`;
    return (await sql(db, text, params).all<SummaryRow>()).results.map(summary);
  }

  async function deadLetters(query: DeadLetterQuery): Promise<DeadLetter[]> {
    const params = { partner: query.partner ?? null, limit: Math.min(query.limit ?? 100, 1000) };
    const results = await db.batch([
      sql(
        db,
        `SELECT 'partner' AS kind, d.delivery_id, d.message_id, d.recipient AS partner, NULL AS local_system,
           m.type, m.domain, d.attempts, d.last_error, d.updated_at AS at
         FROM deliveries d JOIN outbound_messages m ON m.message_id = d.message_id
         WHERE d.status = 'dead' AND (@partner IS NULL OR d.recipient = @partner)
         ORDER BY d.updated_at, d.delivery_id LIMIT @limit`,
        params,
      ),
      sql(
        db,
        `SELECT 'local' AS kind, l.local_delivery_id AS delivery_id, l.jti AS message_id, l.iss AS partner,
           l.local_system, i.type, i.domain, l.attempts, l.last_error, l.updated_at AS at
         FROM local_deliveries l JOIN inbound_messages i ON i.iss = l.iss AND i.jti = l.jti
         WHERE l.status = 'dead' AND (@partner IS NULL OR l.iss = @partner)
         ORDER BY l.updated_at, l.seq LIMIT @limit`,
        params,
      ),
    ]);
    return [...rowsOf<DeadRow>(results, 0), ...rowsOf<DeadRow>(results, 1)]
      .sort((a, b) => a.at - b.at || a.delivery_id.localeCompare(b.delivery_id))
      .slice(0, params.limit)
      .map(deadLetter);
  }

  async function activity(since: number): Promise<PartnerActivity[]> {
    const results = await db.batch([
      db.prepare(
        `SELECT recipient AS partner,
           sum(status IN ('queued', 'retry', 'sending')) AS queued,
           sum(status = 'dead') AS dead,
           max(receipt_received_at) AS last_success_at
         FROM deliveries GROUP BY recipient`,
      ),
      sql(
        db,
        `SELECT recipient AS partner,
           sum(event = 'delivered') AS delivered,
           sum(event IN ('retry', 'rejected', 'dead')) AS failed
         FROM history_events WHERE recipient IS NOT NULL AND at >= @since
           AND event IN ('delivered', 'retry', 'rejected', 'dead')
         GROUP BY recipient`,
        { since },
      ),
    ]);
    const byPartner = new Map<
      string,
      { delivered: number; failed: number; queued: number; dead: number; last: number | null }
    >();
    const entry = (partner: string) => {
      let e = byPartner.get(partner);
      if (e === undefined) {
        e = { delivered: 0, failed: 0, queued: 0, dead: 0, last: null };
        byPartner.set(partner, e);
      }
      return e;
    };
    for (const row of rowsOf<{
      partner: string;
      queued: number;
      dead: number;
      last_success_at: number | null;
    }>(results, 0)) {
      const e = entry(row.partner);
      e.queued = row.queued;
      e.dead = row.dead;
      e.last = row.last_success_at;
    }
    for (const row of rowsOf<{ partner: string; delivered: number; failed: number }>(results, 1)) {
      const e = entry(row.partner);
      e.delivered = row.delivered;
      e.failed = row.failed;
    }
    return [...byPartner]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([partner, e]) => ({
        partner,
        delivered: e.delivered,
        failed: e.failed,
        queued: e.queued,
        dead: e.dead,
        ...optional('lastSuccessAt', e.last),
      }));
  }

  return { search, deadLetters, activity };
}

function summary(row: SummaryRow): MessageSummary {
  return {
    direction: row.direction,
    messageId: row.message_id,
    partners: row.partners === null ? [] : row.partners.split(','),
    ...optional('localSystem', row.local_system),
    type: row.type,
    domain: row.domain,
    contract: row.contract,
    thread: row.thread,
    ...optional('caseNumber', row.case_number),
    at: row.at,
  };
}

function deadLetter(row: DeadRow): DeadLetter {
  return {
    kind: row.kind,
    deliveryId: row.delivery_id,
    messageId: row.message_id,
    partner: row.partner,
    ...optional('localSystem', row.local_system),
    type: row.type,
    domain: row.domain,
    attempts: row.attempts,
    ...optional('lastError', row.last_error),
    at: row.at,
  };
}
