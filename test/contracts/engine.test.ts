import { describe, expect, it } from 'vitest';
import { checkContract } from '../../src/contracts/checks.js';
import type { Contract } from '../../src/contracts/contract.js';
import type { ContractFiles } from '../../src/contracts/files.js';
import { ContractRegistry } from '../../src/contracts/registry.js';
import { translate } from '../../src/contracts/translate.js';
import { YrdxError } from '../../src/errors/errors.js';
import { compileFiles, copyFiles, fixture, loadAll } from '../helpers/contracts.js';

const dir = fixture();
const sample = dir.contracts[0]!;
const contract = () => {
  const c = compileFiles(dir, sample);
  if (Array.isArray(c)) throw new Error(JSON.stringify(c));
  return c;
};
const mutate = (
  change: (
    f: ContractFiles & {
      dialects: Record<
        string,
        {
          mapping: { rules: unknown[]; codeTables: Record<string, Record<string, string>> };
          schema: Record<string, unknown>;
          examples: Record<string, unknown>;
        }
      >;
    },
  ) => void,
) => {
  const files = copyFiles(sample) as Parameters<Parameters<typeof mutate>[0]>[0];
  change(files);
  return files;
};
function faultsOf(files: ContractFiles): string[] {
  const c = compileFiles(dir, files);
  const faults = Array.isArray(c) ? c : checkContract(c);
  return faults.map((f) => `${f.file}#${f.pointer}: ${f.detail}`);
}

describe('the fixture contract', () => {
  it('loads and passes every check', () => {
    const { registry, faults } = loadAll(dir);
    expect([...faults.values()].flat()).toEqual([]);
    expect(registry.list().map((c) => c.id)).toEqual(['sample@1.0.0']);
  });

  it('translates a flat Zhejiang-style document into a nested one and back', () => {
    const c = contract();
    const flat = sample.dialects.flat!.examples.notification as Record<string, unknown>;
    const canonical = translate(c, 'flat', 'canonical', 'notification', flat);
    expect(canonical).toMatchObject({
      case: { caseNumber: '湖市监案〔2026〕12号', filedOn: '2026-03-16' },
      parties: [{ kind: 'organisation', name: '湖州某某食品有限公司', uscc: '91350100M000100Y43' }],
      decision: { penalties: ['warning', 'fine'], fine: '12000.50' },
      agency: { divisionCode: '330500' },
      value: '35.2',
    });
    const nested = translate(c, 'flat', 'nested', 'notification', flat);
    expect(nested).toMatchObject({
      caseInfo: { number: '湖市监案〔2026〕12号', openedOn: '2026-03-16' },
      parties: [{ type: 'ORG', creditCode: '91350100M000100Y43' }],
      penalties: ['WARN', 'FINE'],
      fineYuan: '12000.50',
      value: '35.2',
    });
    const { BZ: _dropped, ...carried } = flat;
    expect(translate(c, 'nested', 'flat', 'notification', nested)).toEqual(carried);
  });

  it('reports every invalid field at once, in the sender’s dialect, with the expected check character', () => {
    const c = contract();
    const bad = {
      ...(sample.dialects.nested!.examples.notification as object),
      parties: [{ type: 'ORG', name: '某公司', creditCode: '91350100M000100Y44' }],
      fineYuan: 12,
      extra: 1,
    };
    const error = (() => {
      try {
        translate(c, 'nested', 'canonical', 'notification', bad);
      } catch (e) {
        return e as YrdxError;
      }
      throw new Error('expected a failure');
    })();
    expect(error.code).toBe('document_invalid');
    expect(error.status).toBe(422);
    expect(error.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/parties/0/creditCode', rule: 'uscc-check', expected: '3' }),
        expect.objectContaining({ pointer: '/fineYuan', rule: 'type' }),
        expect.objectContaining({ pointer: '/extra', rule: 'additionalProperties' }),
      ]),
    );
  });

  it('points canonical faults back at the dialect field that carried them', () => {
    const c = contract();
    const flat = { ...(sample.dialects.flat!.examples.notification as object), ZJHM: '91350100M000100Y44' };
    try {
      translate(c, 'flat', 'canonical', 'notification', flat);
      throw new Error('expected a failure');
    } catch (e) {
      expect((e as YrdxError).errors).toEqual([
        expect.objectContaining({ pointer: '/ZJHM', rule: 'uscc-check', expected: '3' }),
      ]);
    }
  });

  it('checks what each message type requires', () => {
    const c = contract();
    const flat = { ...(sample.dialects.flat!.examples.notification as Record<string, unknown>) };
    delete flat.CFZL;
    delete flat.FKJE;
    expect(() => translate(c, 'flat', 'canonical', 'notification', flat)).toThrow(YrdxError);
    expect(translate(c, 'flat', 'canonical', undefined, flat)).toBeDefined();
  });

  it('reads the same fields whatever the order and shape of the document’s keys', () => {
    // Top-level values are gathered per document shape (list of own keys); a cache of shapes must
    // never hand one document's layout to another.
    const c = contract();
    const flat = sample.dialects.flat!.examples.notification as Record<string, unknown>;
    const dialect = c.dialects.get('flat')!;
    const expected = dialect.toCanonical(flat).value;
    const entries = Object.entries(flat);
    for (let n = 0; n < 40; n++) {
      // Rotations, reversals and extra unmapped keys: more shapes than the cache keeps.
      const rotated = [...entries.slice(n % entries.length), ...entries.slice(0, n % entries.length)];
      const ordered = n % 2 === 0 ? rotated : rotated.reverse();
      const doc = Object.fromEntries(n % 3 === 0 ? [...ordered, [`X${n}`, 'unmapped']] : ordered);
      expect(dialect.toCanonical(doc).value).toEqual(expected);
      // The same shape with a field missing: its value must not be carried over from before.
      const { AY: _, ...without } = doc;
      const { value } = dialect.toCanonical(without);
      expect((value.case as Record<string, unknown>).cause).toBeUndefined();
      expect((value.case as Record<string, unknown>).caseNumber).toBe(flat.AJBH);
    }
    // A name the document only inherits is not its own field.
    const inherited = Object.create({ AY: 'inherited cause' }) as Record<string, unknown>;
    Object.assign(inherited, { ...flat });
    delete inherited.AY;
    expect((dialect.toCanonical(inherited).value.case as Record<string, unknown>).cause).toBeUndefined();
  });

  it('never lets a document pollute prototypes', () => {
    const c = contract();
    const hostile = JSON.parse(
      `{"AJBH":"x","AY":"y","DSRLX":"法人","DSRMC":"z","ZJHM":"91350100M000100Y43","CFJG":"a","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`,
    );
    expect(() => translate(c, 'flat', 'canonical', undefined, hostile)).toThrow(YrdxError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('mapping checks refuse broken mappings with a pointer into the file', () => {
  it.each([
    [
      'an unknown rule key',
      (f: Parameters<Parameters<typeof mutate>[0]>[0]) => {
        f.dialects.flat!.mapping.rules.push({ canonical: '/case/title', dialect: '/AY', renmae: true });
      },
      /rules\/\d+\/renmae: unknown key "renmae"/,
    ],
    [
      'a __proto__ pointer',
      (f: Parameters<Parameters<typeof mutate>[0]>[0]) => {
        f.dialects.flat!.mapping.rules.push({ canonical: '/__proto__/polluted', dialect: '/AY' });
      },
      /forbidden segment "__proto__"/,
    ],
    [
      'a constructor.prototype pointer',
      (f: Parameters<Parameters<typeof mutate>[0]>[0]) => {
        f.dialects.flat!.mapping.rules.push({ canonical: '/case/title', dialect: '/constructor/prototype' });
      },
      /forbidden segment "constructor"/,
    ],
    [
      'a pointer outside the schema',
      (f: Parameters<Parameters<typeof mutate>[0]>[0]) => {
        f.dialects.flat!.mapping.rules.push({ canonical: '/case/titel', dialect: '/AY' });
      },
      /"\/case\/titel" does not exist in the canonical schema/,
    ],
    [
      'two conversions',
      (f: Parameters<Parameters<typeof mutate>[0]>[0]) => {
        f.dialects.flat!.mapping.rules.push({
          canonical: '/case/closedOn',
          dialect: '/AY',
          date: 'yyyyMMdd',
          money: 'fen',
        });
      },
      /one conversion/,
    ],
    [
      'a drop without lossy',
      (f: Parameters<Parameters<typeof mutate>[0]>[0]) => {
        f.dialects.flat!.mapping.rules.push({ dialect: '/BZ' });
      },
      /must say "lossy": "toCanonical"/,
    ],
    [
      'a table that is not total',
      (f: Parameters<Parameters<typeof mutate>[0]>[0]) => {
        delete f.dialects.flat!.mapping.codeTables.penalty!.detention;
      },
      /codeTables\/penalty: is not total: canonical value "detention"/,
    ],
    [
      'a table that is not one-to-one',
      (f: Parameters<Parameters<typeof mutate>[0]>[0]) => {
        f.dialects.flat!.mapping.codeTables.penalty!.other = '警告';
      },
      /not one-to-one/,
    ],
    [
      'a required canonical field nobody produces',
      (f: Parameters<Parameters<typeof mutate>[0]>[0]) => {
        f.dialects.flat!.mapping.rules = f.dialects.flat!.mapping.rules.filter(
          (r) => (r as { canonical?: string }).canonical !== '/case/cause',
        );
      },
      /\/case\/cause is required but no rule produces it/,
    ],
    [
      'a dialect field nobody maps',
      (f: Parameters<Parameters<typeof mutate>[0]>[0]) => {
        (f.dialects.flat!.schema.properties as Record<string, unknown>).XYZ = { type: 'string' };
      },
      /dialect field \/XYZ is neither mapped nor dropped/,
    ],
    [
      'an example that does not round-trip',
      (f: Parameters<Parameters<typeof mutate>[0]>[0]) => {
        (f.dialects.flat!.examples.notification as Record<string, unknown>).LASJ = '20260230';
      },
      /examples\/notification.json#\/LASJ: "20260230" 不是有效日期/,
    ],
    [
      'a missing example',
      (f: Parameters<Parameters<typeof mutate>[0]>[0]) => {
        delete f.dialects.flat!.examples['assistance-request'];
      },
      /carries assistance-request but has no example/,
    ],
  ])('%s', (_name, change, expected) => {
    const found = faultsOf(mutate(change));
    expect(found.join('\n')).toMatch(expected);
  });
});

describe('the contract registry', () => {
  const variant = (version: string, change: (f: ReturnType<typeof mutate>) => void = () => {}) => {
    const files = mutate((f) => {
      (f.contract as { version: string }).version = version;
      change(f);
    });
    const c = compileFiles(dir, files);
    if (Array.isArray(c)) throw new Error(JSON.stringify(c));
    return c as Contract;
  };

  it('keeps versions immutable and answers which version reads a message', () => {
    const registry = new ContractRegistry();
    registry.add(contract());
    expect(() => registry.add(contract())).toThrow(/contract_version_exists/);
    registry.add(
      variant('1.1.0', (f) => {
        (f.canonical as { properties: Record<string, unknown> }).properties.note = { type: 'string' };
        f.dialects.flat!.mapping.rules.push({ canonical: '/note', lossy: 'toDialect' });
        f.dialects.nested!.mapping.rules.push({ canonical: '/note', lossy: 'toDialect' });
      }),
    );
    registry.add(
      variant('2.0.0', (f) => {
        (f.canonical as { required?: string[] }).required = ['agency'];
      }),
    );
    expect(registry.accepting('sample', '1.0.0')?.version).toBe('1.0.0');
    expect(registry.accepting('sample', '1.0.5')?.version).toBe('1.1.0');
    expect(registry.accepting('sample', '1.2.0')).toBeUndefined();
    expect(registry.latest('sample')?.version).toBe('2.0.0');
    expect(registry.latest('sample', 1)?.version).toBe('1.1.0');
    expect(registry.accepted().map(({ domain, version }) => ({ domain, version }))).toEqual([
      { domain: 'sample', version: '1.0.0' },
      { domain: 'sample', version: '1.1.0' },
      { domain: 'sample', version: '2.0.0' },
    ]);
  });

  it('refuses an incompatible minor version and names every breaking change', () => {
    const registry = new ContractRegistry();
    registry.add(contract());
    const breaking = variant('1.1.0', (f) => {
      const canonical = f.canonical as { properties: Record<string, unknown>; required?: string[] };
      canonical.required = ['agency'];
      delete canonical.properties.measuredAt;
      const schema = f.dialects.nested!.schema as {
        properties: { penalties: { items: { enum: string[] } } };
      };
      schema.properties.penalties.items.enum = schema.properties.penalties.items.enum.filter(
        (v) => v !== 'DETN',
      );
      f.dialects.nested!.mapping.codeTables.penalty!.detention = 'DETENTION';
      f.dialects.flat!.mapping.rules = f.dialects.flat!.mapping.rules.filter(
        (r) => (r as { canonical?: string }).canonical !== '/measuredAt',
      );
      f.dialects.nested!.mapping.rules = f.dialects.nested!.mapping.rules.filter(
        (r) => (r as { canonical?: string }).canonical !== '/measuredAt',
      );
    });
    try {
      registry.add(breaking);
      throw new Error('expected a refusal');
    } catch (e) {
      const error = e as YrdxError;
      expect(error.code).toBe('contract_incompatible');
      expect(error.errors.map((x) => `${x.file}#${x.pointer} ${x.rule}`)).toEqual(
        expect.arrayContaining([
          'canonical.schema.json#/agency required-added',
          'canonical.schema.json#/measuredAt field-removed',
          'dialects/nested/schema.json#/penalties/* enum-value-removed',
        ]),
      );
    }
  });
});
