import type { MessageQuery } from '../port.js';

// The administrators' message search, the same in SQLite, D1 and PostgreSQL but for how a list of
// recipients is aggregated: written once with `@name` parameters (bound by ./bind.ts where the
// dialect binds by position).

/** What the search writes differently per dialect. */
export interface Dialect {
  /** The recipients of outbound message `m`, in order, joined by commas. */
  readonly recipients: string;
}

export const SQLITE: Dialect = {
  // group_concat has no ORDER BY before SQLite 3.44: the subquery orders.
  recipients: `(SELECT group_concat(recipient, ',') FROM (SELECT recipient FROM deliveries d
      WHERE d.message_id = m.message_id ORDER BY recipient))`,
};

export const POSTGRES: Dialect = {
  recipients: `(SELECT string_agg(recipient, ',' ORDER BY recipient) FROM deliveries d
      WHERE d.message_id = m.message_id)`,
};

/** The outbound half of the administrators' search (`INBOUND_SUMMARY` is the other). */
function outboundSummary(dialect: Dialect): string {
  return `SELECT 'outbound' AS direction, m.message_id, m.local_system, m.type, m.domain, m.contract,
    m.thread, m.case_number, m.created_at AS at, ${dialect.recipients} AS partners
  FROM outbound_messages m`;
}

/** The inbound half of the search: a `SummaryRow` per row of `inbound_messages i`. */
const INBOUND_SUMMARY = `SELECT 'inbound' AS direction, i.jti AS message_id, NULL AS local_system, i.type, i.domain,
    i.contract, i.thread, i.case_number, i.received_at AS at, i.iss AS partners
  FROM inbound_messages i`;

/** The administrators' message search: each direction newest first, then both merged. */
export function messageSearch(
  query: MessageQuery,
  dialect: Dialect,
): { sql: string; params: Record<string, unknown> } {
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
    const base = direction === 'outbound' ? outboundSummary(dialect) : INBOUND_SUMMARY;
    // Each half in a subquery of its own (named, as PostgreSQL wants), so that each takes its newest.
    parts.push(
      `SELECT * FROM (${base}${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`}
        ORDER BY ${at} DESC LIMIT @limit) ${direction}`,
    );
  }
  return { sql: `${parts.join(' UNION ALL ')} ORDER BY at DESC, message_id LIMIT @limit`, params };
}
