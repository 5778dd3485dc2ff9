import type { NodeConfig } from '../../config/types.js';
import type { Contract } from '../../contracts/contract.js';
import type { ThreadChange, ThreadStore } from '../../store/port.js';
import { type StepMessage, workflowStep } from './step.js';

/**
 * The thread change a message makes in the direction it travels, judged against the thread as this
 * node has it; throws the workflow's refusal (`workflow_*`, `reply_thread_mismatch`) for a message
 * its thread does not allow. A thread moved by a concurrent message between this read and the
 * message's unit is caught by the store (`workflow_concurrent`).
 */
export async function threadChangeOf(
  store: ThreadStore,
  config: Pick<NodeConfig, 'id' | 'threadDueDays'>,
  contract: Contract,
  message: Omit<StepMessage, 'self'>,
): Promise<ThreadChange | undefined> {
  const existing = await store.getThread(message.thread);
  return workflowStep(contract, { ...message, self: config.id }, existing, config.threadDueDays);
}
