import { describe, expect, it } from 'vitest';
import { IDENTIFIER_FORMATS } from '../../src/vocabulary/identifiers/index.js';

/** Vectors from the project's reference facts (identifiers.md, pollution.md), recomputed there. */
const cases: [format: string, value: string, fault?: { rule: string; expected?: string }][] = [
  ['uscc', '91350100M000100Y43'],
  ['uscc', '91130200699229617X'],
  ['uscc', '91330200561262545U'],
  ['uscc', '91350100M000100Y44', { rule: 'uscc-check', expected: '3' }],
  ['uscc', '91350100M000100Y4Z', { rule: 'uscc-format' }],
  ['uscc', '91350203M0001QAY9B', { rule: 'uscc-check', expected: '9' }],
  ['uscc', '91350100M000100Y4', { rule: 'uscc-format' }],
  ['uscc', '91350100M0001O0Y43', { rule: 'uscc-format' }],
  ['cn-id-number', '11010519491231002X'],
  ['cn-id-number', '34052419800101001X'],
  ['cn-id-number', '370101190102039973'],
  ['cn-id-number', '110105194912310021', { rule: 'id-number-check', expected: 'X' }],
  ['cn-id-number', '110105194902301002', { rule: 'id-number-birth-date' }],
  ['cn-id-number', '11010519491231002x'],
  ['cn-id-number', '11010519491231002y', { rule: 'id-number-format' }],
  ['cn-patent-application', '201710601862.3'],
  ['cn-patent-application', '95115608.X'],
  ['cn-patent-application', '201710601862.4', { rule: 'patent-check', expected: '3' }],
  ['cn-patent-application', '201750601862.3', { rule: 'patent-type' }],
  ['cn-patent-application', 'CN201710601862.3', { rule: 'patent-format' }],
  ['cn-patent-application', 'ZL201710601862.3'],
  ['cn-patent-application', 'ZL95115608.X'],
  ['cn-patent-application', 'ZL201710601862.4', { rule: 'patent-check', expected: '3' }],
  ['cn-patent-application', 'CN107123456A', { rule: 'patent-publication-number' }],
  ['cn-patent-publication', 'CN107123456A'],
  ['cn-patent-publication', 'ZL201710601862.3', { rule: 'patent-publication-format' }],
  ['vehicle-plate', '沪EWM957'],
  ['vehicle-plate', '皖SJ6M07'],
  ['vehicle-plate', '沪ADE6598'],
  ['vehicle-plate', '浙E12345D'],
  ['vehicle-plate', '浙EI2345', { rule: 'plate-format' }],
  ['vehicle-plate', '苏A1234', { rule: 'plate-format' }],
  ['vehicle-plate', '京A12345'],
  ['vehicle-plate', '浙E1234挂'],
  ['vehicle-plate', '苏A1234学'],
  ['vehicle-plate', '沪A1234警'],
  ['vehicle-plate', '粤Z1234港'],
  ['vehicle-plate', '台A12345', { rule: 'plate-format' }],
  ['vehicle-plate', '浙E12345挂', { rule: 'plate-format' }],
  ['yrdx-division', '330500'],
  ['yrdx-division', '330502'],
  ['yrdx-division', '310115'],
  ['yrdx-division', '440300', { rule: 'division-known' }],
  ['yrdx-division', '330599', { rule: 'division-known' }],
  ['yrdx-division', '330000'],
  ['yrdx-division', '3305', { rule: 'division-format' }],
  ['hj212-pollutant', 'a21026'],
  ['hj212-pollutant', 'w01018'],
  ['hj212-pollutant', 'a99999', { rule: 'hj212-pollutant' }],
  ['hj212-pollutant-2005', '02'],
  ['hj212-pollutant-2005', '011'],
  ['hj212-pollutant-2005', 'B02'],
  ['hj212-pollutant-2005', 'a21026', { rule: 'hj212-pollutant-2005' }],
  ['hazardous-waste-code', '900-041-49'],
  ['hazardous-waste-code', '336-064-17'],
  ['hazardous-waste-code', '900-041-42', { rule: 'hazardous-waste-category' }],
  ['hazardous-waste-code', '90004149', { rule: 'hazardous-waste-format' }],
  ['hazardous-waste-category', 'HW49'],
  ['hazardous-waste-category', 'HW43', { rule: 'hazardous-waste-category' }],
  ['un-number', '1203'],
  ['un-number', 'UN1203', { rule: 'un-number' }],
];

describe('identifier formats', () => {
  it.each(cases)('%s %s', (format, value, fault) => {
    const result = IDENTIFIER_FORMATS[format]!(value);
    if (fault === undefined) expect(result).toBeUndefined();
    else {
      expect(result).toMatchObject(fault);
      expect(result?.message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(result?.message.en).not.toMatch(/[\u4e00-\u9fff]/);
      if (fault.expected) {
        expect(result?.message.zh).toContain(`“${fault.expected}”`);
        expect(result?.message.en).toContain(`"${fault.expected}"`);
      }
    }
  });
});
