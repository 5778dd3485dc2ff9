import { describe, expect, it } from 'vitest';
import { continueTrace, formatTraceparent, nextHop, parseTraceparent } from '../../src/trace/traceparent.js';

const VALID = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const cases: [string, string | undefined, boolean][] = [
  ['the specification’s example', VALID, true],
  ['not sampled', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00', true],
  ['a later version with more fields', '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra', true],
  ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', false],
  ['version 00 with more fields', `${VALID}-extra`, false],
  ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01', false],
  ['an all-zero parent id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', false],
  ['upper-case hex', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01', false],
  ['a short trace id', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01', false],
  ['no flags', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7', false],
  ['garbage', 'hello', false],
  ['absent', undefined, false],
];

describe('W3C traceparent', () => {
  it.each(cases)('%s', (_what, header, valid) => {
    expect(parseTraceparent(header) !== undefined).toBe(valid);
  });

  it('keeps the trace id and flags on the next hop with a new parent id', () => {
    const given = parseTraceparent(VALID)!;
    const next = nextHop(given);
    expect(next.traceId).toBe(given.traceId);
    expect(next.flags).toBe('01');
    expect(next.parentId).toMatch(/^[0-9a-f]{16}$/);
    expect(next.parentId).not.toBe(given.parentId);
    expect(parseTraceparent(formatTraceparent(next))).toEqual(next);
  });

  it('starts a new valid trace when the given header is absent or invalid', () => {
    for (const header of [undefined, 'nonsense']) {
      const trace = continueTrace(header);
      expect(parseTraceparent(formatTraceparent(trace))).toEqual(trace);
    }
    expect(continueTrace(VALID).traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });
});
