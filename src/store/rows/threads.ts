import {
  NEVER_DUE,
  type ThreadDetail,
  type ThreadView,
  type TrackView,
  type TransitionView,
} from '../ports/threads.js';
import { optional } from './values.js';

/** A row of `threads`. */
export interface ThreadRow {
  thread_id: string;
  partner: string;
  direction: ThreadView['direction'];
  type: string;
  domain: string;
  workflow: string | null;
  status: ThreadView['status'];
  opened_at: number;
  due_at: number;
  closed_at: number | null;
  request_id: string;
  reply_id: string | null;
  facts?: string | null;
}

/** A row of `thread_tracks`. */
export interface TrackRow {
  thread_id: string;
  partner: string;
  state: string;
  entered_at: number;
  due_at: number | null;
  expires_at: number | null;
  expires_to: string | null;
  closed_at: number | null;
}

/** A row of `thread_transitions`. */
export interface TransitionRow {
  message_id: string;
  partner: string;
  type: string;
  from_state: string;
  to_state: string;
  by_role: TransitionView['by'];
  at: number;
  late: number | boolean;
}

/** A row of the thread list: the thread's columns, then its track's prefixed `track_` (NULL without tracks). */
export type ThreadListRow = ThreadRow & { [K in keyof TrackRow as `track_${K}`]: TrackRow[K] | null };

// PostgreSQL returns BIGINT columns as strings; SQLite and D1 as numbers.
const num = (v: number | string): number => Number(v);
const numOrNull = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function threadView(row: ThreadRow, tracks: readonly TrackView[]): ThreadView {
  const due = num(row.due_at);
  return {
    threadId: row.thread_id,
    partner: row.partner,
    direction: row.direction,
    type: row.type,
    domain: row.domain,
    ...optional('workflow', row.workflow),
    status: row.status,
    openedAt: num(row.opened_at),
    ...(due >= NEVER_DUE ? {} : { dueAt: due }),
    ...optional('closedAt', numOrNull(row.closed_at)),
    requestId: row.request_id,
    ...optional('replyId', row.reply_id),
    tracks,
  };
}

export function trackView(row: TrackRow): TrackView {
  return {
    partner: row.partner,
    state: row.state,
    enteredAt: num(row.entered_at),
    ...optional('dueAt', numOrNull(row.due_at)),
    ...optional('expiresAt', numOrNull(row.expires_at)),
    ...optional('expiresTo', row.expires_to),
    ...optional('closedAt', numOrNull(row.closed_at)),
  };
}

export function transitionView(row: TransitionRow): TransitionView {
  return {
    messageId: row.message_id,
    partner: row.partner,
    type: row.type,
    from: row.from_state,
    to: row.to_state,
    by: row.by_role,
    at: num(row.at),
    late: row.late === true || row.late === 1,
  };
}

export function threadDetail(
  row: ThreadRow,
  tracks: readonly TrackRow[],
  transitions: readonly TransitionRow[],
): ThreadDetail {
  return {
    ...threadView(row, tracks.map(trackView)),
    ...optional('facts', row.facts ?? null),
    transitions: transitions.map(transitionView),
  };
}

/** The list's rows (one per track) grouped into threads, in the order of the rows. */
export function threadsOfRows(rows: readonly ThreadListRow[]): ThreadView[] {
  const out: { row: ThreadRow; tracks: TrackView[] }[] = [];
  for (const row of rows) {
    let last = out[out.length - 1];
    if (last === undefined || last.row.thread_id !== row.thread_id) {
      last = { row, tracks: [] };
      out.push(last);
    }
    if (row.track_partner !== null)
      last.tracks.push(
        trackView({
          thread_id: row.thread_id,
          partner: row.track_partner,
          state: row.track_state ?? '',
          entered_at: row.track_entered_at ?? 0,
          due_at: row.track_due_at,
          expires_at: row.track_expires_at,
          expires_to: row.track_expires_to,
          closed_at: row.track_closed_at,
        }),
      );
  }
  return out.map(({ row, tracks }) => threadView(row, tracks));
}
