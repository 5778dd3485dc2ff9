import { describe, expect, it } from 'vitest';
import { Contract } from '../../src/contracts/contract.js';
import type { ContractFiles } from '../../src/contracts/files.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { compileFiles, copyFiles } from '../helpers/contracts.js';

/**
 * A workflow is data in contract.json: the loader reads it against the contract's own message types
 * and canonical schema, and refuses every inconsistency with its pointer, so a broken state machine
 * never reaches a node (issue 17: "adding a workflow is a contract change, not a code change").
 */
const dir = readContractsDir('contracts', { domain: 'food-safety' });
const base = dir.contracts.find((c) => (c.contract as { version: string }).version === '2.0.0')!;

const assistance = () => ({
  title: { 'zh-CN': '协查', en: 'assistance' },
  opens: ['assistance-request'],
  initial: 'requested',
  states: {
    requested: {
      title: { 'zh-CN': '待协查', en: 'awaiting assistance' },
      due: { fromRequest: '/request/dueDate', days: 15, calendar: 'working', basis: '第45条' },
    },
    answered: { title: { 'zh-CN': '已回复', en: 'answered' }, final: true },
  },
  transitions: [{ type: 'assistance-reply', by: 'recipient', from: ['requested'], to: 'answered' }],
});

function withWorkflows(workflows: unknown, edit?: (meta: Record<string, unknown>) => void): ContractFiles {
  const files = copyFiles(base);
  const meta = files.contract as Record<string, unknown>;
  meta.workflows = workflows;
  edit?.(meta);
  return files;
}

function faultsOf(files: ContractFiles): string[] {
  const loaded = compileFiles(dir, files);
  if (loaded instanceof Contract) return [];
  return loaded.map((f) => `${f.pointer}: ${f.detail}`);
}

describe('workflows declared by a contract', () => {
  it('loads a workflow and finds it by the type that opens it', () => {
    const loaded = compileFiles(dir, withWorkflows({ assistance: assistance() }));
    expect(loaded).toBeInstanceOf(Contract);
    const contract = loaded as Contract;
    const workflow = contract.workflowOpenedBy('assistance-request');
    expect(workflow?.name).toBe('assistance');
    expect(workflow?.states.get('requested')?.due).toMatchObject({ days: 15, calendar: 'working' });
    expect(contract.workflowOpenedBy('assistance-reply')).toBeUndefined();
  });

  it('takes a message type the contract declares, with its title, and refuses a title in one language', () => {
    const files = withWorkflows(undefined, (meta) => {
      const types = meta.messageTypes as Record<string, Record<string, unknown>>;
      types['assistance-request']!.title = { 'zh-CN': '协查请求', en: 'assistance request' };
    });
    delete (files.contract as Record<string, unknown>).workflows;
    const contract = compileFiles(dir, files) as Contract;
    expect(contract.typeTitles.get('assistance-request')).toEqual({
      'zh-CN': '协查请求',
      en: 'assistance request',
    });
    const broken = withWorkflows(undefined, (meta) => {
      const types = meta.messageTypes as Record<string, Record<string, unknown>>;
      types['assistance-request']!.title = { 'zh-CN': '协查请求' };
    });
    delete (broken.contract as Record<string, unknown>).workflows;
    expect(faultsOf(broken)).toEqual([
      '/messageTypes/assistance-request/title: expected {"zh-CN": "…", "en": "…"}',
    ]);
  });

  const breakings: [string, (w: ReturnType<typeof assistance>) => unknown, string][] = [
    [
      'a type the contract does not carry',
      (w) => ({ ...w, opens: ['gossip'] }),
      '/workflows/assistance/opens/0',
    ],
    [
      'a transition by a type the contract does not carry',
      (w) => ({ ...w, transitions: [{ ...w.transitions[0], type: 'case-acceptance' }] }),
      '/workflows/assistance/transitions/0/type',
    ],
    [
      'an unknown sender role',
      (w) => ({ ...w, transitions: [{ ...w.transitions[0], by: 'anyone' }] }),
      '/workflows/assistance/transitions/0/by',
    ],
    [
      'a transition into a state that does not exist',
      (w) => ({ ...w, transitions: [{ ...w.transitions[0], to: 'done' }] }),
      '/workflows/assistance/transitions/0/to',
    ],
    [
      'a transition out of a final state',
      (w) => ({ ...w, transitions: [{ ...w.transitions[0], from: ['answered'] }] }),
      '/workflows/assistance/transitions/0/from/0',
    ],
    [
      'a state with no way out',
      (w) => ({ ...w, transitions: [{ ...w.transitions[0], from: ['requested'], to: 'requested' }] }),
      '/workflows/assistance/states/answered',
    ],
    [
      'a due time on a final state',
      (w) => ({ ...w, states: { ...w.states, answered: { ...w.states.answered, due: { days: 1 } } } }),
      '/workflows/assistance/states/answered',
    ],
    [
      'a period out of bounds',
      (w) => ({ ...w, states: { ...w.states, requested: { ...w.states.requested, due: { days: 100000 } } } }),
      '/workflows/assistance/states/requested/due/days',
    ],
    [
      'working hours',
      (w) => ({
        ...w,
        states: {
          ...w.states,
          requested: { ...w.states.requested, due: { hours: 24, calendar: 'working' } },
        },
      }),
      '/workflows/assistance/states/requested/due/calendar',
    ],
    ['a title in one language', (w) => ({ ...w, title: { 'zh-CN': '协查' } }), '/workflows/assistance/title'],
    [
      'a condition on a field the canonical schema lacks',
      (w) => ({ ...w, transitions: [{ ...w.transitions[0], when: { '/reply/verdict': 'yes' } }] }),
      '/workflows/assistance',
    ],
    [
      'an initial state that is final',
      (w) => ({ ...w, initial: 'answered' }),
      '/workflows/assistance/initial',
    ],
    ['an unknown member', (w) => ({ ...w, owner: 'me' }), '/workflows/assistance/owner'],
  ];

  it.each(breakings)('refuses %s, naming the pointer', (_name, edit, pointer) => {
    const faults = faultsOf(withWorkflows({ assistance: edit(assistance()) }));
    expect(
      faults.some((f) => f.startsWith(`${pointer}:`)),
      faults.join('\n'),
    ).toBe(true);
  });

  it('refuses a type that opens two workflows', () => {
    const faults = faultsOf(withWorkflows({ assistance: assistance(), again: assistance() }));
    expect(faults).toContain(
      '/workflows/again/opens: "assistance-request" already opens workflow "assistance"',
    );
  });
});
