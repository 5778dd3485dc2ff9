import type { Domain, MessageType } from '../../vocabulary/messages.js';

/** Cooperation threads, as the units of the outbox and the inbox opened and closed them. */
export interface ThreadStore {
  getThread(threadId: string): Promise<ThreadView | undefined>;
  /** Threads by status; `overdueAt` lists open threads whose due time is before it. */
  listThreads(query: ThreadQuery): Promise<ThreadView[]>;
}

export interface ThreadChange {
  /** `open`: a request opens the thread with a due time; `close`: a reply closes it. */
  readonly action: 'open' | 'close';
  readonly threadId: string;
  readonly partner: string;
  readonly direction: 'outbound' | 'inbound';
  readonly type: MessageType;
  readonly domain: Domain;
  readonly messageId: string;
  /** Unix ms, for `open`. */
  readonly dueAt?: number;
}

export interface ThreadView {
  readonly threadId: string;
  readonly partner: string;
  readonly direction: 'outbound' | 'inbound';
  readonly type: MessageType;
  readonly domain: Domain;
  readonly status: 'open' | 'closed';
  readonly openedAt: number;
  readonly dueAt: number;
  readonly closedAt?: number;
  readonly requestId: string;
  readonly replyId?: string;
}

export interface ThreadQuery {
  readonly status?: 'open' | 'closed';
  readonly partner?: string;
  readonly overdueAt?: number;
  readonly limit?: number;
}
