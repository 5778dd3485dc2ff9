import { YrdxError } from '../../errors/errors.js';
import type { ThreadChange, ThreadStore } from '../../store/port.js';
import { answers } from './threads.js';

/**
 * Refuses a reply that a local system addresses to another partner than the one whose request it
 * answers (422 `reply_thread_mismatch`): such a reply would change no thread here, and is a mistake
 * worth saying before it is sealed and sent. A thread this node does not know is let through —
 * the request may predate the node's store, or the thread is the partner's to keep.
 */
export async function checkReplyThread(
  store: ThreadStore,
  change: ThreadChange | undefined,
  recipients: readonly string[],
  named: 'thread' | 'inReplyTo',
): Promise<void> {
  if (change?.action !== 'close') return;
  const thread = await store.getThread(change.threadId);
  if (thread === undefined) return;
  if (recipients.length === 1 && answers(thread, change)) return;
  const to = recipients.join(',');
  throw new YrdxError('reply_thread_mismatch', {
    params: { thread: change.threadId, to, partner: thread.partner },
    errors: [
      {
        pointer: `/${named}`,
        detail: `线程 ${change.threadId} 的对方为 ${thread.partner}，不是 ${to}`,
      },
    ],
  });
}
