import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import counties from '../../contracts/reference/counties.json' with { type: 'json' };
import plates from '../../contracts/reference/plates.json' with { type: 'json' };
import { checkDivision, knownDivisions } from '../../src/vocabulary/identifiers/division.js';
import { IDENTIFIER_FORMATS } from '../../src/vocabulary/identifiers/index.js';
import { patentCheckCharacter } from '../../src/vocabulary/identifiers/patent.js';
import { checkVehiclePlate } from '../../src/vocabulary/identifiers/plate.js';

/** Issue 16, "Identifiers narrower than reality": each finding with its real-shaped value. */
const ok = (format: string, value: string) => expect(IDENTIFIER_FORMATS[format]!(value)).toBeUndefined();
const refused = (format: string, value: string, rule: string) =>
  expect(IDENTIFIER_FORMATS[format]!(value)).toMatchObject({ rule });

describe('GB/T 2260 divisions of the Delta, from data', () => {
  it('refuses 330599 and accepts the five county-level codes of Huzhou', () => {
    refused('yrdx-division', '330599', 'division-known');
    for (const code of ['330502', '330503', '330521', '330522', '330523']) ok('yrdx-division', code);
  });

  it('accepts the four provincial codes where a handling agency is expected', () => {
    for (const code of ['310000', '320000', '330000', '340000']) ok('yrdx-division', code);
  });

  it('holds every county-level unit of the four provinces', () => {
    const byProvince: Record<string, number> = {};
    for (const c of counties.counties)
      byProvince[c.code.slice(0, 2)] = (byProvince[c.code.slice(0, 2)] ?? 0) + 1;
    // 上海 16 districts; 江苏 95, 浙江 90, 安徽 104 county-level units (NBS 2023).
    expect(byProvince).toEqual({ '31': 16, '32': 95, '33': 90, '34': 104 });
  });

  it('accepts every code in the data', () => {
    const all = [...counties.counties, ...counties.functionalZones, ...counties.retired];
    fc.assert(
      fc.property(fc.constantFrom(...all), (c) => {
        expect(checkDivision(c.code)).toBeUndefined();
      }),
    );
  });

  it('refuses a six-digit code that is not in the data', () => {
    const known = new Set(knownDivisions());
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999 }).map((n) => String(n).padStart(6, '0')),
        (code) => {
          fc.pre(!known.has(code));
          expect(checkDivision(code)).toMatchObject({ rule: 'division-known' });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('patent numbers as CNIPA writes them', () => {
  it('accepts the granted-patent form ZL201710601862.3 and the bare application number', () => {
    ok('cn-patent-application', 'ZL201710601862.3');
    ok('cn-patent-application', '201710601862.3');
  });

  it('tells a publication number from an application number', () => {
    refused('cn-patent-application', 'CN107123456A', 'patent-publication-number');
    ok('cn-patent-publication', 'CN107123456A');
    refused('cn-patent-publication', '201710601862.3', 'patent-publication-format');
  });

  it('runs the same check digit with or without ZL', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^20[0-2]\d[12389]\d{7}$/), (digits) => {
        const number = `${digits}.${patentCheckCharacter(digits)}`;
        expect(IDENTIFIER_FORMATS['cn-patent-application']!(number)).toBeUndefined();
        expect(IDENTIFIER_FORMATS['cn-patent-application']!(`ZL${number}`)).toBeUndefined();
      }),
    );
  });
});

describe('vehicle plates from every province', () => {
  it('accepts the trailer plate 浙E1234挂 and plates of 京, 粤 and 川', () => {
    for (const plate of ['浙E1234挂', '京A12345', '粤B12345', '川A1234学', '粤BD12345', '川A12345F']) {
      expect(checkVehiclePlate(plate), plate).toBeUndefined();
    }
  });

  it('has the 31 provincial abbreviations, each accepted in every form', () => {
    expect(plates.provinces).toHaveLength(31);
    for (const { abbr } of plates.provinces) {
      for (const serial of ['12345', 'D12345', '12345D', '1234挂', '1234学', '1234警']) {
        expect(checkVehiclePlate(`${abbr}A${serial}`), `${abbr}A${serial}`).toBeUndefined();
      }
    }
  });

  it('refuses I and O, a wrong length and a suffix after five characters', () => {
    for (const plate of ['浙EI2345', '浙E1234', '浙E12345挂', '浙EO1234挂', '港A12345']) {
      expect(checkVehiclePlate(plate), plate).toMatchObject({ rule: 'plate-format' });
    }
  });
});
