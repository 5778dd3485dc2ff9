import { describe, expect, it } from 'vitest';
import { beijingClock, beijingTime } from '../../src/text/beijing-time.js';
import { editDistance, suggest } from '../../src/text/suggest.js';
import { cityLabel, cityName } from '../../src/vocabulary/regions.js';

describe('did you mean', () => {
  it('counts edits, a swap of neighbours as one', () => {
    expect(editDistance('zhejiang', 'zhejiang')).toBe(0);
    expect(editDistance('zhejaing', 'zhejiang')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('offers the close names, closest first, and nothing for a stranger', () => {
    const domains = [
      'food-safety',
      'road-transport',
      'ip-protection',
      'pollution',
      'qualification',
      'franchise',
    ];
    expect(suggest('food-saftey', domains)).toEqual(['food-safety']);
    expect(suggest('food', domains)).toEqual(['food-safety']);
    expect(suggest('POLUTION', domains)).toEqual(['pollution']);
    expect(suggest('banking', domains)).toEqual([]);
    expect(suggest('food-safety', domains)).toEqual([]);
    expect(suggest('x'.repeat(10_000), domains)).toEqual([]);
  });
});

describe('Beijing time', () => {
  it('is UTC+8 with the zone shown in each language', () => {
    expect(beijingClock('2026-12-07T20:35:09Z')).toBe('2026-12-08 04:35:09');
    expect(beijingTime(Date.parse('2026-12-07T20:35:09.123Z'))).toBe('2026-12-08 04:35:09（北京时间）');
    expect(beijingTime('2026-12-07T20:35:09Z', 'en')).toBe('2026-12-08 04:35:09 (Beijing time, UTC+8)');
    expect(beijingTime('not a time')).toBe('');
  });
});

describe('city names beside codes', () => {
  it('names the Delta cities in each language and leaves other codes alone', () => {
    expect(cityLabel('320500')).toBe('320500 苏州市');
    expect(cityLabel('320500', 'en')).toBe('320500 Suzhou');
    expect(cityName('330500')).toBe('湖州市');
    expect(cityLabel('440300')).toBe('440300');
  });
});
