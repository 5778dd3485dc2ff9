import { checkDivision } from './division.js';
import type { IdentifierCheck } from './fault.js';
import { checkIdNumber, normalizeIdNumber } from './id-number.js';
import { checkPatentApplication, checkPatentPublication } from './patent.js';
import { checkVehiclePlate } from './plate.js';
import {
  checkHazardousWasteCategory,
  checkHazardousWasteCode,
  checkPollutant2005,
  checkPollutant2017,
} from './reference-codes.js';
import { checkUscc } from './uscc.js';

export type { IdentifierCheck, IdentifierFault } from './fault.js';

const checkUnNumber: IdentifierCheck = (value) =>
  /^\d{4}$/.test(value)
    ? undefined
    : {
        rule: 'un-number',
        message: {
          zh: '联合国危险货物编号（UN 号）应为 4 位数字',
          en: 'a UN number (United Nations dangerous goods number) has 4 digits',
        },
      };

/** The identifier formats every contract schema may use, by format name. */
export const IDENTIFIER_FORMATS: Readonly<Record<string, IdentifierCheck>> = {
  uscc: checkUscc,
  'cn-id-number': checkIdNumber,
  'cn-patent-application': checkPatentApplication,
  'cn-patent-publication': checkPatentPublication,
  'yrdx-division': checkDivision,
  'hj212-pollutant': checkPollutant2017,
  'hj212-pollutant-2005': checkPollutant2005,
  'hazardous-waste-code': checkHazardousWasteCode,
  'hazardous-waste-category': checkHazardousWasteCategory,
  'vehicle-plate': checkVehiclePlate,
  'un-number': checkUnNumber,
};

/**
 * The canonical form of identifiers a format accepts in more than one writing, by format name:
 * translation to canonical applies it, so every dialect yields the same canonical value.
 */
export const IDENTIFIER_NORMAL_FORMS: Readonly<Record<string, (value: string) => string>> = {
  'cn-id-number': normalizeIdNumber,
};
