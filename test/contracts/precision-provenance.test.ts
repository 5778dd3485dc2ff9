import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bindRuns, type RunFactory } from '../../src/contracts/compile/bind.js';
import type { StepPlan } from '../../src/contracts/compile/step-plan.js';
import { type CompiledMapping, compileMapping } from '../../src/contracts/compile.js';
import { Dialect } from '../../src/contracts/contract.js';
import { date } from '../../src/contracts/conversions/date.js';
import { money } from '../../src/contracts/conversions/money.js';
import type { Conversion } from '../../src/contracts/conversions/op.js';
import type { MappingFault } from '../../src/contracts/faults.js';
import type { ProvenanceContext } from '../../src/contracts/mapping-types.js';
import { planKey, planSource } from '../../src/contracts/plan-source.js';
import { type SchemaNode, SchemaWalker } from '../../src/contracts/schema-walk.js';
import type { ValidateFn } from '../../src/contracts/validation-faults.js';

/**
 * Issue 16 points 3 and 5 in the engine: `when` keeps the precision written (a date stays a date,
 * a date-time its time of day, never T00:00:00 invented), Chinese dates with or without zero
 * padding, 万元 with any number of decimals exactly (finer than 1 分 refused, never rounded), and
 * provenance rules filled from the envelope. Each mapping runs in the engine and in ahead-of-time
 * code (the built path), which must agree.
 */

const core2 = JSON.parse(readFileSync('contracts/core/case-2.schema.json', 'utf8')) as SchemaNode;
const CORE = 'urn:yrdx:contracts:core:2#/$defs/';
const canonicalSchema: SchemaNode = {
  $id: 'urn:test:canonical',
  type: 'object',
  additionalProperties: false,
  properties: {
    occurredAt: { $ref: `${CORE}when` },
    decidedOn: { $ref: `${CORE}date` },
    fine: { $ref: `${CORE}money` },
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: { at: { $ref: `${CORE}when` } },
      },
    },
  },
};
const text = { type: 'string' };
const dialectSchema: SchemaNode = {
  type: 'object',
  additionalProperties: false,
  properties: {
    WFSJ: text,
    WFSJ_ISO: text,
    WFRQ: text,
    WFRQ_CN: text,
    JDRQ: text,
    FK: text,
    SJLY: text,
    SJLYDM: text,
    XT: text,
    LIST: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { SJ: text } } },
  },
};
const walker = new SchemaWalker([core2, canonicalSchema]);

function compile(rules: unknown[]): CompiledMapping | MappingFault[] {
  return compileMapping({
    mapping: { domain: 'test', dialect: 'd', rules },
    canonicalSchema,
    dialectSchema,
    walker,
  });
}

const RULES = [
  { canonical: '/occurredAt', dialect: '/WFSJ', date: 'yyyy-MM-dd HH:mm:ss' },
  { canonical: '/decidedOn', dialect: '/JDRQ', date: 'yyyy年M月d日' },
  { canonical: '/fine', dialect: '/FK', money: 'wanyuan' },
  { canonical: '/items', dialect: '/LIST', each: [{ canonical: '/at', dialect: '/SJ', date: 'iso-offset' }] },
  { dialect: '/SJLY', provenance: 'sender-name' },
  { dialect: '/SJLYDM', provenance: 'sender' },
  { dialect: '/XT', provenance: 'sender-system' },
];

const accept = (() => true) as ValidateFn;
function dialectOf(built: boolean): Dialect {
  const mapping = compile(RULES);
  if (Array.isArray(mapping)) throw new Error(JSON.stringify(mapping));
  if (built) {
    const factories: Record<string, RunFactory> = {};
    for (const plan of mapping.plans as StepPlan[])
      factories[planKey(plan)] = new Function('steps', 'helpers', planSource(plan)) as RunFactory;
    expect(bindRuns(mapping.plans, factories, planKey)).toBe(mapping.plans.length);
  }
  return new Dialect('d', ['notification'], dialectSchema, mapping, {}, {}, accept);
}

const ok = (c: Conversion | string): Conversion => {
  if (typeof c === 'string') throw new Error(c);
  return c;
};
const when = (form: string) => ok(date(form, { formats: ['date', 'date-time'] }));

describe('A1: a canonical `when` keeps the precision of the value', () => {
  it('reads a time of day as a date-time and a bare date as a date, in every form with a time', () => {
    for (const [form, withTime, bare] of [
      ['yyyy-MM-dd HH:mm:ss', '2025-10-09 22:48:00', '2025-10-09'],
      ['yyyy/MM/dd HH:mm:ss', '2025/10/09 22:48:00', '2025/10/09'],
      ['iso-offset', '2025-10-09T22:48:00+08:00', '2025-10-09'],
      ['yyyy年M月d日 HH:mm:ss', '2025年10月9日 22:48:00', '2025年10月9日'],
    ] as const) {
      const c = when(form);
      expect(c.toCanonical(withTime)).toBe('2025-10-09T22:48:00+08:00');
      expect(c.toCanonical(bare)).toBe('2025-10-09');
      expect(c.toDialect('2025-10-09T22:48:00+08:00')).toBe(withTime);
      // Never T00:00:00 (or 00:00:00) from a date.
      expect(c.toDialect('2025-10-09')).toBe(bare);
    }
    expect(when('iso-offset').toCanonical('2025-10-09T14:48:00Z')).toBe('2025-10-09T22:48:00+08:00');
    expect(when('yyyy年M月d日 HH:mm:ss').toCanonical('2025年10月09日 22:48:00')).toBe(
      '2025-10-09T22:48:00+08:00',
    );
    expect(when('yyyy年M月d日 HH:mm:ss').toCanonical('2025年10月09日')).toBe('2025-10-09');
    const slashDate = ok(date('yyyy/MM/dd', { format: 'date' }));
    expect(slashDate.toDialect('2025-10-09')).toBe('2025/10/09');
    expect(slashDate.toCanonical('2025/10/09')).toBe('2025-10-09');
  });

  it('date-only forms give dates, and write only the date of a date-time (a declared loss)', () => {
    expect(when('yyyyMMdd').toCanonical('20251009')).toBe('2025-10-09');
    expect(when('yyyy-MM-dd').toCanonical('2025-10-09')).toBe('2025-10-09');
    expect(when('yyyy-MM-dd').toDialect('2025-10-09T22:48:00+08:00')).toBe('2025-10-09');
    expect(when('yyyy-MM-dd').losesTime).toBe(true);
    expect(when('yyyy-MM-dd HH:mm:ss').losesTime).toBeUndefined();
    expect(() => when('yyyy-MM-dd HH:mm:ss').toCanonical('2025-10-09 24:00:00')).toThrow(
      /2024-05-16 09:30:00/,
    );
    expect(() => when('iso-offset').toDialect('2025-10-09T22:48:00')).toThrow(/日期时间/);
  });

  it('refuses a date-only form for a `when` unless the rule declares the loss of the time', () => {
    const faults = compile([{ canonical: '/occurredAt', dialect: '/WFRQ', date: 'yyyy-MM-dd' }]);
    expect(JSON.stringify(faults)).toMatch(/lossy.*toDialect/);
    const declared = compile([
      { canonical: '/occurredAt', dialect: '/WFRQ', date: 'yyyy-MM-dd', lossy: 'toDialect' },
    ]);
    expect(Array.isArray(declared)).toBe(false);
  });

  for (const built of [false, true]) {
    it(`keeps 22:48 and a bare date through a mapping, ${built ? 'in built code' : 'in the engine'}`, () => {
      const d = dialectOf(built);
      const canonical = {
        occurredAt: '2025-10-09T22:48:00+08:00',
        items: [{ at: '2025-10-09' }, { at: '2025-10-09T22:48:05+08:00' }],
      };
      const dialect = d.toDialect(canonical);
      expect(dialect).toEqual({
        value: {
          WFSJ: '2025-10-09 22:48:00',
          LIST: [{ SJ: '2025-10-09' }, { SJ: '2025-10-09T22:48:05+08:00' }],
        },
        faults: [],
      });
      expect(d.toCanonical(dialect.value)).toEqual({ value: canonical, faults: [] });
      expect(d.toCanonical({ WFSJ: '2025-10-09' }).value).toEqual({ occurredAt: '2025-10-09' });
      expect(d.toDialect({ occurredAt: '2025-10-09' }).value).toEqual({ WFSJ: '2025-10-09' });
    });
  }
});

describe('A2: Chinese dates with or without zero padding', () => {
  for (const built of [false, true]) {
    it(`reads 2025年10月09日 and 2025年10月9日 alike, ${built ? 'in built code' : 'in the engine'}`, () => {
      const d = dialectOf(built);
      expect(d.toCanonical({ JDRQ: '2025年10月09日' }).value).toEqual({ decidedOn: '2025-10-09' });
      expect(d.toCanonical({ JDRQ: '2025年10月9日' }).value).toEqual({ decidedOn: '2025-10-09' });
      expect(d.toCanonical({ JDRQ: '2025年1月5日' }).value).toEqual({ decidedOn: '2025-01-05' });
      expect(d.toDialect({ decidedOn: '2025-10-09' }).value).toEqual({ JDRQ: '2025年10月9日' });
      expect(d.toCanonical({ JDRQ: '2025年02月30日' }).faults).toMatchObject([
        { pointer: '/JDRQ', rule: 'date' },
      ]);
    });
  }
});

describe('A3: 万元 with any number of decimals, exactly', () => {
  const wan = ok(money('wanyuan', {}));
  it('reads 5.01250 万元 as 50125.00 元 and writes it back', () => {
    expect(wan.toCanonical('5.01250')).toBe('50125.00');
    expect(wan.toCanonical('5.0125')).toBe('50125.00');
    expect(wan.toCanonical('0.000001')).toBe('0.01');
    expect(wan.toCanonical('12345678.12345600')).toBe('123456781234.56');
    expect(wan.toDialect('50125.00')).toBe('5.0125');
  });
  it('refuses an amount finer than 1 分 with a clear fault, never rounding', () => {
    expect(() => wan.toCanonical('5.0125001')).toThrow(/50125\.001 元.*精度超过 1 分/);
    expect(() => wan.toCanonical('0.0000001')).toThrow(/1 分/);
  });
  for (const built of [false, true]) {
    it(`reports it against the dialect field, ${built ? 'in built code' : 'in the engine'}`, () => {
      const d = dialectOf(built);
      expect(d.toCanonical({ FK: '5.01250' }).value).toEqual({ fine: '50125.00' });
      expect(d.toCanonical({ FK: '5.0125001' }).faults).toMatchObject([{ pointer: '/FK', rule: 'money' }]);
    });
  }
});

describe('A4: provenance from the envelope', () => {
  const context: ProvenanceContext = {
    sender: '320100',
    senderName: '南京市市场监督管理局',
    senderSystem: 'js-case',
  };
  for (const built of [false, true]) {
    it(`writes the context towards the dialect only, ${built ? 'in built code' : 'in the engine'}`, () => {
      const d = dialectOf(built);
      expect(d.toDialect({ decidedOn: '2025-10-09' }, context).value).toEqual({
        JDRQ: '2025年10月9日',
        SJLY: '南京市市场监督管理局',
        SJLYDM: '320100',
        XT: 'js-case',
      });
      // Without a context (CLI, examples) nothing; a context without the system, no system.
      expect(d.toDialect({ decidedOn: '2025-10-09' }).value).toEqual({ JDRQ: '2025年10月9日' });
      expect(d.toDialect({}, { sender: '320100' }).value).toEqual({ SJLYDM: '320100' });
      // Towards canonical the body's claim of who sent is ignored.
      expect(d.toCanonical({ SJLY: '浙江省市场监督管理局', JDRQ: '2025年10月9日' }).value).toEqual({
        decidedOn: '2025-10-09',
      });
    });
  }

  it('checks the rule when the mapping loads', () => {
    const detail = (rules: unknown[]) => JSON.stringify(compile(rules));
    expect(detail([{ canonical: '/fine', dialect: '/SJLY', provenance: 'sender' }])).toMatch(
      /only the dialect/,
    );
    expect(detail([{ dialect: '/SJLY', provenance: 'recipient' }])).toMatch(
      /sender, sender-name, sender-system/,
    );
    expect(detail([{ dialect: '/NOPE', provenance: 'sender' }])).toMatch(/does not exist/);
    expect(detail([{ dialect: '/LIST', provenance: 'sender' }])).toMatch(/holds a string/);
    expect(
      detail([{ canonical: '/items', dialect: '/LIST', each: [{ dialect: '/SJ', provenance: 'sender' }] }]),
    ).toMatch(/top of the rules/);
  });
});
