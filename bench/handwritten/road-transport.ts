/**
 * road-transport, 浙江 (zj) dialect → canonical body, hand-written: what
 * contracts/road-transport/1.0.0/dialects/zj/mapping.json does towards canonical, in plain TypeScript.
 * It assumes the document passed the zj schema (as yrdx checks before translating).
 */
export interface ZjRoadTransport {
  AJBH?: string;
  AJMC?: string;
  AY?: string;
  AJLY?: string;
  LASJ?: string;
  CFJDRQ?: string;
  JASJ?: string;
  CFJDSWH?: string;
  DSRLX?: string;
  DSRMC?: string;
  TYSHXYDM?: string;
  SFZH?: string;
  FDDBR?: string;
  DSRDZ?: string;
  DSRXZQHDM?: string;
  DSRLXDH?: string;
  WFSS?: string;
  CFYJ?: string;
  CFZL?: string;
  FKJE?: string;
  MSWFSDJE?: string;
  CFNR?: string;
  BAJGMC?: string;
  BAJGDM?: string;
  BAJGXZQHDM?: string;
  LXR?: string;
  LXDH?: string;
  XYFXDJ?: string;
  XCSX?: string;
  XCNR?: string;
  FKQX?: string;
  XCJG?: string;
  FKNR?: string;
  FKRQ?: string;
  CPHM?: string;
  CPYS?: string;
  CLLX?: string;
  ZS?: number;
  DLYSZH?: string;
  JSYXM?: string;
  JSYSFZH?: string;
  CYZGZH?: string;
  YHMC?: string;
  YHTYSHXYDM?: string;
  JYXKZH?: string;
  WFLX?: string;
  WFSJ?: string;
  WFDD?: string;
  WFDXZQHDM?: string;
  CHZZL?: number;
  XDBZ?: number;
  CXL?: string;
  JCZD?: string;
  JCSJ?: string;
  UNBH?: string;
  WXHWMC?: string;
  WXHWLB?: string;
  BZLB?: string;
  WXHWSL?: string;
  SJLY?: string;
  BZ?: string;
}

const CASE_SOURCE: Record<string, string> = {
  监督检查: 'inspection',
  投诉: 'complaint',
  举报: 'report',
  移送: 'transfer',
  上级交办: 'assigned',
  监测: 'monitoring',
  其他: 'other',
};
const PARTY_KIND: Record<string, string> = { 单位: 'organisation', 个人: 'individual' };
const PENALTY: Record<string, string> = {
  警告: 'warning',
  通报批评: 'public-criticism',
  罚款: 'fine',
  没收违法所得: 'confiscate-illegal-gains',
  没收非法财物: 'confiscate-illegal-property',
  暂扣许可证件: 'suspend-permit',
  降低资质等级: 'lower-qualification',
  吊销许可证件: 'revoke-permit',
  限制开展生产经营活动: 'restrict-business',
  责令停产停业: 'suspend-production',
  责令关闭: 'order-closure',
  限制从业: 'restrict-practice',
  行政拘留: 'detention',
  其他: 'other',
};
const CREDIT_RISK: Record<string, string> = {
  信用风险低: 'A',
  信用风险一般: 'B',
  信用风险较高: 'C',
  信用风险高: 'D',
};
const REPLY_RESULT: Record<string, string> = {
  属实: 'confirmed',
  不属实: 'not-confirmed',
  部分属实: 'partly-confirmed',
  已转办: 'transferred',
  已立案: 'case-filed',
  其他: 'other',
};
const PLATE_COLOUR: Record<string, string> = {
  蓝色: '1',
  黄色: '2',
  黑色: '3',
  白色: '4',
  绿色: '5',
  其他: '9',
  未上牌: '0',
};
const VIOLATION_TYPE: Record<string, string> = {
  超限超载: 'overload',
  非法营运: 'illegal-operation',
  危险货物运输违法: 'dangerous-goods',
  其他: 'other',
};
const PACKING_GROUP: Record<string, string> = { Ⅰ类: 'I', Ⅱ类: 'II', Ⅲ类: 'III' };

type Json = Record<string, unknown>;

export function zjToCanonical(d: ZjRoadTransport): Json {
  const out: Json = {};

  const kase: Json = {};
  if (d.AJBH != null) kase.caseNumber = d.AJBH;
  if (d.AJMC != null) kase.title = d.AJMC;
  if (d.AY != null) kase.cause = d.AY;
  if (d.AJLY != null) kase.source = code(CASE_SOURCE, d.AJLY, 'AJLY');
  if (d.LASJ != null) kase.filedOn = date(d.LASJ, 'LASJ');
  if (d.CFJDRQ != null) kase.decidedOn = date(d.CFJDRQ, 'CFJDRQ');
  if (d.JASJ != null) kase.closedOn = date(d.JASJ, 'JASJ');
  if (d.CFJDSWH != null) kase.decisionNumber = d.CFJDSWH;
  if (!isEmpty(kase)) out.case = kase;

  // The flat form carries the first party only.
  const party: Json = {};
  if (d.DSRLX != null) {
    const kind = code(PARTY_KIND, d.DSRLX, 'DSRLX');
    party.kind = kind;
    if (kind === 'organisation') {
      if (d.TYSHXYDM != null) party.uscc = d.TYSHXYDM;
      if (d.FDDBR != null) party.legalRepresentative = d.FDDBR;
    } else if (d.SFZH != null) {
      party.idNumber = d.SFZH;
    }
  }
  if (d.DSRMC != null) party.name = spaces(d.DSRMC);
  if (d.DSRDZ != null) party.address = d.DSRDZ;
  if (d.DSRXZQHDM != null) party.divisionCode = d.DSRXZQHDM;
  if (d.DSRLXDH != null) party.phone = d.DSRLXDH;
  if (!isEmpty(party)) out.parties = [party];

  if (d.WFSS != null) out.facts = d.WFSS;
  if (d.CFYJ != null) out.legalBasis = d.CFYJ === '' ? [] : d.CFYJ.split('、');

  const decision: Json = {};
  if (d.CFZL != null)
    decision.penalties = d.CFZL === '' ? [] : d.CFZL.split('、').map((p) => code(PENALTY, p, 'CFZL'));
  if (d.FKJE != null) decision.fine = yuan(d.FKJE, 'FKJE');
  if (d.MSWFSDJE != null) decision.confiscatedGains = yuan(d.MSWFSDJE, 'MSWFSDJE');
  if (d.CFNR != null) decision.content = d.CFNR;
  if (!isEmpty(decision)) out.decision = decision;

  const agency: Json = {};
  if (d.BAJGMC != null) agency.name = d.BAJGMC;
  if (d.BAJGDM != null) agency.uscc = d.BAJGDM;
  if (d.BAJGXZQHDM != null) agency.divisionCode = d.BAJGXZQHDM;
  if (d.LXR != null) agency.contact = d.LXR;
  if (d.LXDH != null) agency.phone = d.LXDH;
  if (!isEmpty(agency)) out.agency = agency;

  if (d.XYFXDJ != null) out.creditRiskClass = code(CREDIT_RISK, d.XYFXDJ, 'XYFXDJ');

  const request: Json = {};
  if (d.XCSX != null) request.subject = d.XCSX;
  if (d.XCNR != null) request.actions = d.XCNR === '' ? [] : d.XCNR.split('；');
  if (d.FKQX != null) request.dueDate = date(d.FKQX, 'FKQX');
  if (!isEmpty(request)) out.request = request;

  const reply: Json = {};
  if (d.XCJG != null) reply.result = code(REPLY_RESULT, d.XCJG, 'XCJG');
  if (d.FKNR != null) reply.summary = d.FKNR;
  if (d.FKRQ != null) reply.repliedOn = date(d.FKRQ, 'FKRQ');
  if (!isEmpty(reply)) out.reply = reply;

  const vehicle: Json = {};
  // Plates are often typed with full-width or lower-case letters.
  if (d.CPHM != null) vehicle.plate = identifier(d.CPHM);
  if (d.CPYS != null) vehicle.plateColour = code(PLATE_COLOUR, d.CPYS, 'CPYS');
  if (d.CLLX != null) vehicle.vehicleType = d.CLLX;
  if (d.ZS != null) vehicle.axles = d.ZS;
  if (d.DLYSZH != null) vehicle.transportCertificate = d.DLYSZH;
  if (!isEmpty(vehicle)) out.vehicle = vehicle;

  const driver: Json = {};
  if (d.JSYXM != null) driver.name = d.JSYXM;
  if (d.JSYSFZH != null) driver.idNumber = d.JSYSFZH;
  if (d.CYZGZH != null) driver.qualificationCertificate = d.CYZGZH;
  if (!isEmpty(driver)) out.driver = driver;

  const operator: Json = {};
  if (d.YHMC != null) operator.name = d.YHMC;
  if (d.YHTYSHXYDM != null) operator.uscc = d.YHTYSHXYDM;
  if (d.JYXKZH != null) operator.operatingPermit = d.JYXKZH;
  if (!isEmpty(operator)) out.operator = operator;

  const violation: Json = {};
  if (d.WFLX != null) violation.kind = code(VIOLATION_TYPE, d.WFLX, 'WFLX');
  // The dialect keeps the date only: the time reads back as 00:00:00.
  if (d.WFSJ != null) violation.occurredAt = dateTime(d.WFSJ, 'WFSJ');
  if (d.WFDD != null) violation.location = d.WFDD;
  if (d.WFDXZQHDM != null) violation.divisionCode = d.WFDXZQHDM;
  if (!isEmpty(violation)) out.violation = violation;

  const overload: Json = {};
  if (d.CHZZL != null) overload.totalMassKg = d.CHZZL;
  if (d.XDBZ != null) overload.limitKg = d.XDBZ;
  if (d.CXL != null) overload.overloadRate = d.CXL;
  if (d.JCZD != null) overload.stationName = d.JCZD;
  if (d.JCSJ != null) overload.measuredAt = dateTime(d.JCSJ, 'JCSJ');
  if (!isEmpty(overload)) out.overload = overload;

  // The flat form carries the first dangerous good only.
  const goods: Json = {};
  if (d.UNBH != null) goods.unNumber = d.UNBH;
  if (d.WXHWMC != null) goods.name = d.WXHWMC;
  if (d.WXHWLB != null) goods.class = d.WXHWLB;
  if (d.BZLB != null) goods.packingGroup = code(PACKING_GROUP, d.BZLB, 'BZLB');
  if (d.WXHWSL != null) goods.quantityKg = d.WXHWSL;
  if (!isEmpty(goods)) out.dangerousGoods = [goods];

  // SJLY (数据来源) and BZ (备注) have no canonical meaning.
  return out;
}

// The few helpers the translation above needs. A bad date, amount or code throws at once.

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `yyyyMMdd` → `YYYY-MM-DD`, rejecting impossible dates such as 20250231. */
function date(text: string, field: string): string {
  if (!/^\d{8}$/.test(text)) throw new Error(`${field}: "${text}" is not yyyyMMdd`);
  const y = Number(text.slice(0, 4));
  const m = Number(text.slice(4, 6));
  const d = Number(text.slice(6, 8));
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (m < 1 || m > 12 || d < 1 || d > (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!))
    throw new Error(`${field}: "${text}" is not a valid date`);
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

/** `yyyyMMdd` → `YYYY-MM-DDT00:00:00+08:00`, for a canonical date-time the dialect keeps as a date. */
function dateTime(text: string, field: string): string {
  return `${date(text, field)}T00:00:00+08:00`;
}

const AMOUNT = /^(\d+)(?:\.(\d+))?$/;

/** An amount in 元 as sent (`"86400"`, `"8280.5"`, `"007.50"`) → canonical `"86400.00"`; at most two decimals. */
function yuan(text: string, field: string): string {
  const m = AMOUNT.exec(text);
  if (m === null) throw new Error(`${field}: "${text}" is not an amount in 元`);
  const whole = m[1]!.replace(/^0+(?=\d)/, '');
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 2) throw new Error(`${field}: "${text}" has more than two decimals`);
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

/** A dialect label → its canonical code, or an error naming the field. */
function code<T>(table: Readonly<Record<string, T>>, label: string, field: string): T {
  if (!Object.hasOwn(table, label)) throw new Error(`${field}: "${label}" is not a known value`);
  return table[label]!;
}

/** An identifier typed by hand: trimmed, full-width ASCII and ideographic spaces made half-width, upper case. */
function identifier(text: string): string {
  return text
    .trim()
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .toUpperCase();
}

/** A name with stray spaces: trimmed, runs of white space collapsed to one space. */
function spaces(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}
