import type { Domain, MessageType } from '../../vocabulary/messages.js';

/**
 * Cooperation threads, as the units of the outbox and the inbox change them. A thread is opened by a
 * request and has one *track* per counterpart — each recipient of a request this node sent, or the
 * requester of a request this node received — moving through the states of the request's workflow
 * (declared by its contract); every move is recorded. The thread closes when every track is final.
 */
export interface ThreadStore {
  /** The thread with its tracks and every transition, oldest first. */
  getThread(threadId: string): Promise<ThreadDetail | undefined>;
  /** Threads by status, with their tracks; `overdueAt` lists open threads with a track due before it. */
  listThreads(query: ThreadQuery): Promise<ThreadView[]>;
}

/** A track's move, as a thread change records it. */
export interface TrackChange {
  /** The counterpart whose track moves (a recipient's code, or the requester's). */
  readonly partner: string;
  /** The state the track must be in (absent when the thread opens): a track elsewhere is not moved. */
  readonly from?: string;
  readonly to: string;
  /** Unix ms the new state is due, if it has a due time. */
  readonly dueAt?: number;
  /** Unix ms the new state expires (hard end), and the final state it then counts as. */
  readonly expiresAt?: number;
  readonly expiresTo?: string;
  readonly final: boolean;
  /** The move came after the track's due time. */
  readonly late: boolean;
}

export interface ThreadChange {
  /** `open`: a request opens the thread with its tracks; `move`: a message moves tracks. */
  readonly action: 'open' | 'move';
  readonly threadId: string;
  /** The thread's counterpart: the first recipient of a request sent, or the requester of one received. */
  readonly partner: string;
  /** Which way the request travelled: `outbound` when this node opened the thread. */
  readonly direction: 'outbound' | 'inbound';
  /** The type of the message that makes the change. */
  readonly type: MessageType;
  readonly domain: Domain;
  readonly messageId: string;
  /** The workflow the request opens (for `open`). */
  readonly workflow?: string;
  /** Who sends the message that moves the tracks (for `move`). */
  readonly by?: 'requester' | 'recipient';
  /** What of the request the workflow reads later (conditions, dates), as JSON (for `open`). */
  readonly facts?: string;
  readonly tracks: readonly TrackChange[];
}

export interface TrackView {
  readonly partner: string;
  readonly state: string;
  readonly enteredAt: number;
  readonly dueAt?: number;
  readonly expiresAt?: number;
  readonly expiresTo?: string;
  /** When the track reached a final state. */
  readonly closedAt?: number;
}

export interface TransitionView {
  readonly messageId: string;
  readonly partner: string;
  readonly type: MessageType;
  /** `''` for the request that opened the thread. */
  readonly from: string;
  readonly to: string;
  readonly by: 'requester' | 'recipient';
  readonly at: number;
  readonly late: boolean;
}

export interface ThreadView {
  readonly threadId: string;
  readonly partner: string;
  readonly direction: 'outbound' | 'inbound';
  readonly type: MessageType;
  readonly domain: Domain;
  /** The workflow its request opened; absent for threads recorded before workflows. */
  readonly workflow?: string;
  readonly status: 'open' | 'closed';
  readonly openedAt: number;
  /** The earliest due time of a track that is not final; absent when none is due. */
  readonly dueAt?: number;
  readonly closedAt?: number;
  readonly requestId: string;
  /** The message that closed the thread (the last track's final move). */
  readonly replyId?: string;
  readonly tracks: readonly TrackView[];
}

export interface ThreadDetail extends ThreadView {
  readonly facts?: string;
  readonly transitions: readonly TransitionView[];
}

export interface ThreadQuery {
  readonly status?: 'open' | 'closed';
  readonly partner?: string;
  readonly overdueAt?: number;
  readonly limit?: number;
}

/** A due time far beyond any real one, stored when no track of an open thread is due. */
export const NEVER_DUE = 253_402_300_799_000;
