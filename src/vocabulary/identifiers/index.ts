import { checkDivision } from './division.js';
import type { IdentifierCheck } from './fault.js';
import { checkIdNumber } from './id-number.js';
import { checkPatentApplication } from './patent.js';
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
    : { rule: 'un-number', message: '联合国危险货物编号（UN 号）应为 4 位数字' };

/** The identifier formats every contract schema may use, by format name. */
export const IDENTIFIER_FORMATS: Readonly<Record<string, IdentifierCheck>> = {
  uscc: checkUscc,
  'cn-id-number': checkIdNumber,
  'cn-patent-application': checkPatentApplication,
  'yrdx-division': checkDivision,
  'hj212-pollutant': checkPollutant2017,
  'hj212-pollutant-2005': checkPollutant2005,
  'hazardous-waste-code': checkHazardousWasteCode,
  'hazardous-waste-category': checkHazardousWasteCategory,
  'vehicle-plate': checkVehiclePlate,
  'un-number': checkUnNumber,
};
