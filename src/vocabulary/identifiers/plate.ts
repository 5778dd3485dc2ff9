import plates from '../../../contracts/reference/plates.json' with { type: 'json' };
import type { IdentifierFault } from './fault.js';

/**
 * GA 36-2018 机动车号牌 of every province (contracts/reference/plates.json): ordinary, new-energy,
 * trailer 挂, coach 学, police 警 and 粤Z 港/澳 plates. Letters I and O are never used.
 */
const TOKENS: Readonly<Record<string, string>> = {
  '{province}': `[${plates.provinces.map((p) => p.abbr).join('')}]`,
  '{letter}': `[${plates.letters}]`,
  '{serial}': '[A-HJ-NP-Z0-9]',
};

const FORMS: readonly RegExp[] = plates.forms.map(
  (f) => new RegExp(f.pattern.replace(/\{[a-z]+\}/g, (token) => TOKENS[token] ?? token)),
);

export function checkVehiclePlate(value: string): IdentifierFault | undefined {
  for (const form of FORMS) if (form.test(value)) return undefined;
  return {
    rule: 'plate-format',
    message: {
      zh: '号牌号码应为省份简称 + 发牌机关字母 + 5 位序号（新能源号牌 6 位；挂车、教练车、警车为 4 位加“挂”“学”“警”），不使用字母 I、O',
      en: 'a vehicle plate is the province abbreviation, the issuing office’s letter and a 5-character serial (6 for new-energy plates; 4 and a suffix character for trailers, learner and police vehicles), without the letters I and O',
    },
  };
}
