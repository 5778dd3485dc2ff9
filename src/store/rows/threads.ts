import { YrdxError } from '../../errors/errors.js';
import type { ThreadChange, ThreadView } from '../port.js';
import { optional } from './values.js';

/** A row of `threads`. */
export interface ThreadRow {
  thread_id: string;
  partner: string;
  direction: ThreadView['direction'];
  type: ThreadView['type'];
  domain: ThreadView['domain'];
  status: ThreadView['status'];
  opened_at: number;
  due_at: number;
  closed_at: number | null;
  request_id: string;
  reply_id: string | null;
}

export const THREAD_COLUMNS =
  'thread_id, partner, direction, type, domain, status, opened_at, due_at, closed_at, request_id, reply_id';

export function threadView(row: ThreadRow): ThreadView {
  return {
    threadId: row.thread_id,
    partner: row.partner,
    direction: row.direction,
    type: row.type,
    domain: row.domain,
    status: row.status,
    openedAt: row.opened_at,
    dueAt: row.due_at,
    ...optional('closedAt', row.closed_at),
    requestId: row.request_id,
    ...optional('replyId', row.reply_id),
  };
}

/** The due time of a thread that `change` opens; a request always has one. */
export function openingDueAt(change: ThreadChange): number {
  if (change.dueAt === undefined) {
    throw new YrdxError('internal_error', {
      cause: new Error(`thread ${change.threadId} opened without a due time`),
    });
  }
  return change.dueAt;
}
