import type { ProblemSpec } from './spec.js';

/**
 * Problems of cooperation workflows (the state machines contracts declare): a message that would
 * move a thread it may not move is refused before it is sealed (by the sender's node) and before it
 * is accepted (by the recipient's), so the two ends of a thread never disagree about its state.
 */
export const workflowProblems = {
  workflow_wrong_sender: {
    status: 409,
    title: 'Not this party’s move',
    zh: '{workflow}事项 {thread}：{type} 应由{by}发送，{who} 不能发送。',
    en: 'Thread {thread} ({workflow}): {type} is sent by the {by}; {who} cannot send it.',
  },
  workflow_wrong_state: {
    status: 409,
    title: 'Not allowed in this state',
    zh: '{workflow}事项 {thread} 中与 {partner} 的协作处于“{state}”状态，不能接受 {type}（可接受：{allowed}）。',
    en: 'Thread {thread} ({workflow}) is in state {state} with {partner}, which does not take {type} (it takes: {allowed}).',
  },
  workflow_late: {
    status: 409,
    title: 'Too late for this thread',
    zh: '{workflow}事项 {thread} 已于 {expiredAt} 到期（{state}），不再接受 {type}。',
    en: 'Thread {thread} ({workflow}) expired at {expiredAt} ({state}) and no longer takes {type}.',
  },
  workflow_participants_mismatch: {
    status: 422,
    title: 'Recipients and participants differ',
    zh: '{workflow}请求的参与方（{participants}）应与收件节点（{to}）一致。',
    en: 'The participants this {workflow} request names ({participants}) must be its recipients ({to}).',
  },
  workflow_concurrent: {
    status: 409,
    title: 'Thread moved meanwhile',
    zh: '协作事项 {thread} 中与 {partner} 的协作刚被另一条报文推进，本报文未被接受：请查看该事项当前状态后重试。',
    en: 'Thread {thread} with {partner} was just moved by another message, so this one was not taken: check the thread’s state and try again.',
  },
  organ_unreachable: {
    status: 422,
    title: 'No system of the organ addressed',
    zh: '节点 {node} 没有接收 {organs} 报文的本地系统（localSystems[].organs），无法转交：请联系该节点确认公安机关、检察院等机关的接入。',
    en: 'Node {node} has no local system for {organs} (localSystems[].organs) to hand the message to: ask that node how the organ is connected.',
  },
} as const satisfies Record<string, ProblemSpec>;
