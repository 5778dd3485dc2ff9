import type { ThreadChange, ThreadQuery, TrackChange } from '../port.js';
import { NEVER_DUE } from '../ports/threads.js';

// The SQL of cooperation threads, the same in SQLite, D1 and PostgreSQL: written once with `@name`
// parameters (the SQLite store binds them as they are; D1 and PostgreSQL through ./bind.ts). Each
// statement is followed by nothing (`VALUES`) or by a guard a store may append with `AND`.

/** One statement of a thread change, with its parameters. */
export interface ThreadStatement {
  readonly sql: string;
  readonly params: Record<string, unknown>;
  /** For a track's move: the store may refuse the unit when it changed no row (the track moved meanwhile). */
  readonly mustChange?: TrackChange;
}

const OPENED_BY_THIS = `EXISTS (SELECT 1 FROM threads WHERE thread_id = @threadId AND request_id = @messageId)`;

/**
 * The statements of a change, in order. Opening inserts the thread (nothing when it exists: a
 * retried request) and, only when this request inserted it, a track per counterpart and the opening
 * transitions. A move records each track's transition and moves it, each only when the track is in
 * the state the move leaves; then the thread's due time and status follow its tracks.
 * `where` is appended to every statement (D1's unit guard), or `''`.
 */
export function threadStatements(change: ThreadChange, now: number, where = ''): ThreadStatement[] {
  const and = where === '' ? '' : ` AND ${where}`;
  const base = { threadId: change.threadId, messageId: change.messageId, now, type: change.type };
  const out: ThreadStatement[] = [];
  if (change.action === 'open') {
    const due = Math.min(NEVER_DUE, ...change.tracks.map((t) => t.dueAt ?? NEVER_DUE));
    out.push({
      sql: `INSERT INTO threads (thread_id, partner, direction, type, domain, status, opened_at, due_at,
          request_id, workflow, facts)
        SELECT @threadId, @partner, @direction, @type, @domain, 'open', @now, @dueAt, @messageId, @workflow, @facts
        WHERE 1 = 1${and}
        ON CONFLICT (thread_id) DO NOTHING`,
      params: {
        ...base,
        partner: change.partner,
        direction: change.direction,
        domain: change.domain,
        dueAt: due,
        workflow: change.workflow ?? null,
        facts: change.facts ?? null,
      },
    });
    change.tracks.forEach((track, i) => {
      const params = { ...base, ...trackParams(track, now), index: i };
      out.push({
        sql: `INSERT INTO thread_tracks (thread_id, partner, state, entered_at, due_at, expires_at, expires_to, closed_at)
          SELECT @threadId, @partner, @to, @now, @dueAt, @expiresAt, @expiresTo, @closedAt
          WHERE ${OPENED_BY_THIS}${and}
          ON CONFLICT (thread_id, partner) DO NOTHING`,
        params,
      });
      out.push({
        sql: insertTransition(`${OPENED_BY_THIS}${and}`),
        params: { ...params, from: '', by: 'requester' },
      });
    });
    return out;
  }
  for (const track of change.tracks) {
    const params = {
      ...base,
      ...trackParams(track, now),
      from: track.from ?? '',
      by: change.by ?? 'recipient',
    };
    const inState = `thread_id = @threadId AND partner = @partner AND state = @from AND closed_at IS NULL`;
    // The transition first, while the track is still in the state it leaves.
    out.push({
      sql: insertTransition(`EXISTS (SELECT 1 FROM thread_tracks WHERE ${inState})${and}`),
      params,
    });
    out.push({
      sql: `UPDATE thread_tracks SET state = @to, entered_at = @now, due_at = @dueAt, expires_at = @expiresAt,
          expires_to = @expiresTo, closed_at = @closedAt
        WHERE ${inState}${and}`,
      params,
      mustChange: track,
    });
  }
  const open = `EXISTS (SELECT 1 FROM thread_tracks WHERE thread_id = @threadId AND closed_at IS NULL)`;
  out.push({
    sql: `UPDATE threads SET
        due_at = COALESCE((SELECT MIN(due_at) FROM thread_tracks
          WHERE thread_id = @threadId AND closed_at IS NULL), @never),
        status = CASE WHEN ${open} THEN 'open' ELSE 'closed' END,
        closed_at = CASE WHEN ${open} THEN NULL ELSE CAST(@now AS BIGINT) END,
        reply_id = CASE WHEN ${open} THEN NULL ELSE @messageId END
      WHERE thread_id = @threadId AND status = 'open'${and}`,
    params: { ...base, never: NEVER_DUE },
  });
  return out;
}

function insertTransition(condition: string): string {
  return `INSERT INTO thread_transitions (thread_id, message_id, partner, type, from_state, to_state, by_role, at, late)
    SELECT @threadId, @messageId, @partner, @type, @from, @to, @by, @now, @late
    WHERE ${condition}
    ON CONFLICT (thread_id, message_id, partner) DO NOTHING`;
}

function trackParams(track: TrackChange, now: number): Record<string, unknown> {
  return {
    partner: track.partner,
    to: track.to,
    dueAt: track.dueAt ?? null,
    expiresAt: track.expiresAt ?? null,
    expiresTo: track.expiresTo ?? null,
    closedAt: track.final ? now : null,
    late: track.late ? 1 : 0,
  };
}

export const THREAD_COLUMNS =
  'thread_id, partner, direction, type, domain, workflow, status, opened_at, due_at, closed_at, request_id, reply_id';
export const TRACK_COLUMNS =
  'thread_id, partner, state, entered_at, due_at, expires_at, expires_to, closed_at';
export const TRANSITION_COLUMNS = 'message_id, partner, type, from_state, to_state, by_role, at, late';

/** The thread's row (with its facts), its tracks, and its transitions in the order they were made. */
export const SELECT_THREAD = `SELECT ${THREAD_COLUMNS}, facts FROM threads WHERE thread_id = @threadId`;
export const SELECT_TRACKS = `SELECT ${TRACK_COLUMNS} FROM thread_tracks WHERE thread_id = @threadId ORDER BY partner`;
export const SELECT_TRANSITIONS = `SELECT ${TRANSITION_COLUMNS} FROM thread_transitions WHERE thread_id = @threadId
  ORDER BY at, message_id, partner`;

/**
 * The threads that match `query` with their tracks, in one statement (D1 binds at most 100
 * parameters, so no list of ids follows): one row per track, the thread's columns first.
 */
export function threadList(query: ThreadQuery): { sql: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.overdueAt !== undefined) {
    where.push(`status = 'open' AND due_at < @overdueAt`);
    params.overdueAt = query.overdueAt;
  }
  if (query.status !== undefined) {
    where.push('status = @status');
    params.status = query.status;
  }
  if (query.partner !== undefined) {
    // A thread with this counterpart: its own partner, or one of its tracks'.
    where.push(
      '(partner = @partner OR EXISTS (SELECT 1 FROM thread_tracks k WHERE k.thread_id = threads.thread_id AND k.partner = @partner))',
    );
    params.partner = query.partner;
  }
  const order = query.overdueAt === undefined ? 'opened_at, thread_id' : 'due_at, thread_id';
  // No LIMIT without a limit: SQLite would take -1 and PostgreSQL NULL for "all".
  let limit = '';
  if (query.limit !== undefined) {
    limit = ' LIMIT @limit';
    params.limit = query.limit;
  }
  const selected = `SELECT ${THREAD_COLUMNS} FROM threads ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
    ORDER BY ${order}${limit}`;
  const trackColumns = TRACK_COLUMNS.split(', ')
    .map((c) => `k.${c} AS track_${c}`)
    .join(', ');
  return {
    sql: `SELECT t.*, ${trackColumns} FROM (${selected}) t
      LEFT JOIN thread_tracks k ON k.thread_id = t.thread_id
      ORDER BY ${order
        .split(', ')
        .map((c) => `t.${c}`)
        .join(', ')}, k.partner`,
    params,
  };
}
