import { describe, expect, it } from 'vitest';
import { formatDuration, responseTimes } from '../../src/console/response-times.js';
import type { ThreadView } from '../../src/store/port.js';

const thread = (partner: string, openedAt: number, closedAt?: number): ThreadView => ({
  threadId: `${partner}-${openedAt}`,
  partner,
  direction: 'outbound',
  type: 'assistance-request',
  domain: 'food-safety',
  status: closedAt === undefined ? 'open' : 'closed',
  openedAt,
  dueAt: openedAt + 86_400_000,
  ...(closedAt === undefined ? {} : { closedAt }),
  requestId: `r-${openedAt}`,
  tracks: [
    {
      partner,
      state: closedAt === undefined ? 'open' : 'closed',
      enteredAt: closedAt ?? openedAt,
      ...(closedAt === undefined ? { dueAt: openedAt + 86_400_000 } : { closedAt }),
    },
  ],
});

describe('responseTimes', () => {
  it('counts closed threads per partner with their median and longest time to reply', () => {
    const out = responseTimes([
      thread('320500', 0, 1000),
      thread('320500', 0, 5000),
      thread('320500', 0, 3000),
      thread('310000', 100, 200),
      thread('310000', 100, 500),
      thread('330500', 0), // still open: not counted
    ]);
    expect(out).toEqual([
      { partner: '310000', answered: 2, medianMs: 250, longestMs: 400 },
      { partner: '320500', answered: 3, medianMs: 3000, longestMs: 5000 },
    ]);
  });

  it('is empty without closed threads', () => {
    expect(responseTimes([thread('320500', 0)])).toEqual([]);
  });

  it('formats durations', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(12 * 60_000)).toBe('12 min');
    expect(formatDuration(3.5 * 3_600_000)).toBe('3.5 h');
    expect(formatDuration(2 * 86_400_000)).toBe('2.0 d');
  });
});
