import type { NodeConfig } from '../../config/types.js';
import type { ThreadChange, ThreadView } from '../../store/port.js';
import type { Domain, MessageType } from '../../vocabulary/messages.js';

/** Requests that open a cooperation thread with a due date (闭环: every one must be answered). */
export const REQUEST_TYPES: ReadonlySet<MessageType> = new Set([
  'assistance-request',
  'consultation',
  'case-transfer',
  'clue-transfer',
]);
/** Replies that close the thread of the request they answer. */
export const REPLY_TYPES: ReadonlySet<MessageType> = new Set(['assistance-reply', 'consultation-reply']);

const DAY = 86_400_000;

/** The thread change a message brings, in the direction it travels; undefined for other types. */
export function threadChangeFor(
  config: NodeConfig,
  m: {
    readonly type: MessageType;
    readonly domain: Domain;
    readonly messageId: string;
    readonly thread: string;
    readonly partner: string;
    readonly direction: 'outbound' | 'inbound';
    readonly now: number;
    /** YYYY-MM-DD, end of that day in China Standard Time. */
    readonly dueDate?: string;
  },
): ThreadChange | undefined {
  if (REQUEST_TYPES.has(m.type)) {
    const dueAt =
      m.dueDate !== undefined
        ? Date.parse(`${m.dueDate}T23:59:59+08:00`)
        : m.now + (config.threadDueDays[m.type] ?? 15) * DAY;
    return {
      action: 'open',
      threadId: m.thread,
      partner: m.partner,
      direction: m.direction,
      type: m.type,
      domain: m.domain,
      messageId: m.messageId,
      dueAt: Number.isFinite(dueAt) ? dueAt : m.now + 15 * DAY,
    };
  }
  if (REPLY_TYPES.has(m.type)) {
    // A reply we send closes a thread the partner opened with us, and the reverse; the stores close
    // a thread only when its partner and direction are those of the change (see `answers`).
    return {
      action: 'close',
      threadId: m.thread,
      partner: m.partner,
      direction: m.direction === 'outbound' ? 'inbound' : 'outbound',
      type: m.type,
      domain: m.domain,
      messageId: m.messageId,
    };
  }
  return undefined;
}

/**
 * Whether a reply's thread change answers `thread`: the reply comes from (or goes to) the thread's
 * counterpart and travels against its request. The stores apply the same rule in SQL when they
 * close a thread; a reply that does not answer its thread is still a message, and changes nothing.
 */
export function answers(thread: Pick<ThreadView, 'partner' | 'direction'>, change: ThreadChange): boolean {
  return thread.partner === change.partner && thread.direction === change.direction;
}
